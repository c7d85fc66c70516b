"""Publishing replied suggestions without personal data; the deputy may object first."""

import pytest

from congress.errors import InvalidTransition, RuleViolation
from congress.models import Deadline
from suggestions import selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db

PERSONAL = "请联系我13912345678或020-87654321，邮箱li@example.cn，身份证440106198005170011。"


def _replied(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0], content=f.CONTENT + PERSONAL)
    f.reply_to(suggestion.assignments.get(), lead_unit[1], text="已答复，经办人电话13800001111。")
    suggestion.refresh_from_db()
    return suggestion


def test_reply_opens_the_disclosure_clock(mandate, staff, lead_unit):
    suggestion = _replied(mandate, staff, lead_unit)
    assert Deadline.objects.open().filter(object_id=suggestion.pk, kind="suggestion.disclosure").exists()


def test_published_text_has_no_phone_email_or_id_number(mandate, staff, lead_unit):
    suggestion = _replied(mandate, staff, lead_unit)
    published = services.publish(actor=staff, suggestion_id=suggestion.pk)
    reply = published.assignments.get().replies.get()
    for secret in ("13912345678", "87654321", "li@example.cn", "440106198005170011", "13800001111"):
        assert secret not in published.public_content
        assert secret not in reply.public_text
    assert "课后服务" in published.public_content
    assert not Deadline.objects.open().filter(object_id=suggestion.pk, kind="suggestion.disclosure").exists()


def test_unreplied_suggestion_cannot_be_published(mandate, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    with pytest.raises(InvalidTransition):
        services.publish(actor=staff, suggestion_id=suggestion.pk)


def test_objection_blocks_publication_until_staff_record_why(mandate, deputy_user, staff, lead_unit):
    suggestion = _replied(mandate, staff, lead_unit)
    services.object_to_disclosure(actor=deputy_user, suggestion_id=suggestion.pk, reason="涉及个人隐私")
    with pytest.raises(RuleViolation):
        services.publish(actor=staff, suggestion_id=suggestion.pk)
    published = services.publish(
        actor=staff, suggestion_id=suggestion.pk, override_objection=True, note="内容不涉及隐私，经审核予以公开"
    )
    assert published.published_at is not None


def test_public_list_holds_only_published_suggestions(mandate, staff, lead_unit):
    published = _replied(mandate, staff, lead_unit)
    services.publish(actor=staff, suggestion_id=published.pk)
    _replied(mandate, staff, lead_unit)
    assert list(selectors.public_list()) == [published]
    assert list(selectors.public_list(unit=lead_unit[0].pk)) == [published]
    assert list(selectors.public_list(q="不存在的标题")) == []

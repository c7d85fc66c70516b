"""Drafting, co-signing, submission, review and withdrawal."""

import pytest

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import PolicyValue
from deputies.models import DutyEntry
from suggestions import services
from suggestions.models import CoSignerStatus, Kind, Status

from . import factories as f

pytestmark = pytest.mark.django_db


def test_only_the_deputy_can_draft_under_their_mandate(mandate, staff):
    with pytest.raises(Forbidden):
        services.create_draft(actor=staff, mandate_id=mandate.pk, fields={"title": "x"})


def test_autosaved_draft_keeps_what_was_typed(mandate, deputy_user):
    suggestion = services.create_draft(actor=deputy_user, mandate_id=mandate.pk, fields={"title": "半截"})
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={"content": "写了一半的内容"})
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.title, suggestion.content) == (Status.DRAFT, "半截", "写了一半的内容")


def test_incomplete_draft_cannot_be_submitted(mandate, deputy_user):
    suggestion = services.create_draft(actor=deputy_user, mandate_id=mandate.pk, fields={"title": "标题"})
    with pytest.raises(RuleViolation) as error:
        services.submit(actor=deputy_user, suggestion_id=suggestion.pk)
    assert set(error.value.fields) == {"content", "category"}


def test_cosigners_must_be_deputies_of_the_same_congress(mandate, deputy_user):
    from tests import factories as core

    stranger = f.deputy(core.CongressFactory(region=core.city()))
    with pytest.raises(RuleViolation):
        services.create_draft(
            actor=deputy_user, mandate_id=mandate.pk, fields={"title": "x"}, cosigner_ids=[stranger.pk]
        )


def test_motion_needs_its_threshold_of_confirmed_cosigners(congress, mandate, deputy_user):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    others = [f.deputy(congress) for _ in range(2)]
    suggestion = f.draft(mandate, kind=Kind.MOTION)
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={},
                        cosigner_ids=[m.pk for m in others])  # fmt: skip
    services.respond_cosign(actor=others[0].person.user, cosigner_id=suggestion.cosigners.first().pk, confirm=True)
    with pytest.raises(RuleViolation) as error:
        services.submit(actor=deputy_user, suggestion_id=suggestion.pk)
    assert "3" in str(error.value.fields["cosigners"][0])
    second = suggestion.cosigners.get(mandate=others[1])
    services.respond_cosign(actor=others[1].person.user, cosigner_id=second.pk, confirm=True)
    assert services.submit(actor=deputy_user, suggestion_id=suggestion.pk).status == Status.SUBMITTED


def test_a_deputy_cannot_answer_a_cosign_request_addressed_to_another(congress, mandate, deputy_user):
    other = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    with pytest.raises(Forbidden):
        services.respond_cosign(actor=deputy_user, cosigner_id=suggestion.cosigners.get().pk, confirm=True)


def test_accepting_gives_the_next_number_of_the_session(mandate, staff, congress):
    from tests import factories as core

    session = core.SessionFactory(term=mandate.term, number=2)
    first = f.accepted(mandate, staff, session=session)
    second = f.accepted(mandate, staff, session=session)
    assert first.number_label == "第14届第2次会议 建议第0001号"
    assert second.number_label == "第14届第2次会议 建议第0002号"


def test_accepting_records_the_suggestion_in_the_duty_record(mandate, staff):
    suggestion = f.accepted(mandate, staff)
    assert DutyEntry.objects.filter(mandate=mandate, kind="suggestion", source=f"suggestions:{suggestion.pk}").exists()


def test_returned_suggestion_can_be_revised_and_resubmitted(mandate, deputy_user, staff):
    suggestion = f.submitted(mandate)
    services.return_for_revision(actor=staff, suggestion_id=suggestion.pk, comment="请补充具体措施")
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={"content": f.CONTENT + "补充。"})
    assert services.submit(actor=deputy_user, suggestion_id=suggestion.pk).status == Status.SUBMITTED


def test_return_needs_a_comment(mandate, staff):
    suggestion = f.submitted(mandate)
    with pytest.raises(RuleViolation):
        services.return_for_revision(actor=staff, suggestion_id=suggestion.pk, comment=" ")


def test_decline_needs_one_of_the_domain_reasons(mandate, staff):
    suggestion = f.submitted(mandate)
    with pytest.raises(RuleViolation):
        services.decline(actor=staff, suggestion_id=suggestion.pk, reason="boring")
    declined = services.decline(actor=staff, suggestion_id=suggestion.pk, reason="litigation")
    assert declined.status == Status.DECLINED


def test_staff_of_another_congress_cannot_review(mandate):
    from tests import factories as core

    outsider = core.staff_of(core.CongressFactory(region=core.city()))
    suggestion = f.submitted(mandate)
    with pytest.raises(Forbidden):
        services.accept(actor=outsider, suggestion_id=suggestion.pk)


def test_accepting_twice_names_the_current_state(mandate, staff):
    suggestion = f.accepted(mandate, staff)
    with pytest.raises(InvalidTransition) as error:
        services.accept(actor=staff, suggestion_id=suggestion.pk)
    assert "accepted" in str(error.value.message) or "已受理" in str(error.value.message)


def test_deputy_withdraws_before_assignment(mandate, deputy_user, staff):
    suggestion = f.accepted(mandate, staff)
    assert services.withdraw(actor=deputy_user, suggestion_id=suggestion.pk, reason="已解决").status == Status.WITHDRAWN


def test_deputy_cannot_withdraw_once_assigned(mandate, deputy_user, staff, lead_unit):
    suggestion = f.assigned(mandate, staff, lead_unit[0])
    with pytest.raises(InvalidTransition):
        services.withdraw(actor=deputy_user, suggestion_id=suggestion.pk)


def test_staff_convert_a_motion_into_a_suggestion(congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=1)
    motion = f.submitted(mandate, kind=Kind.MOTION)
    converted = services.convert_motion(actor=staff, suggestion_id=motion.pk)
    assert (converted.kind, converted.converted_from_motion, converted.status) == (Kind.SUGGESTION, True, "submitted")


def test_a_converted_motion_titled_as_a_motion_is_retitled_as_a_suggestion(congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=1)
    motion = f.submitted(mandate, kind=Kind.MOTION, title="关于加强城市内涝治理的议案")
    services.convert_motion(actor=staff, suggestion_id=motion.pk)
    motion.refresh_from_db()
    assert motion.title == "关于加强城市内涝治理的建议"


def test_pending_cosign_invitations_lapse_on_acceptance(congress, mandate, deputy_user, staff):
    other = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=deputy_user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    services.submit(actor=deputy_user, suggestion_id=suggestion.pk)
    services.accept(actor=staff, suggestion_id=suggestion.pk)
    assert not suggestion.cosigners.filter(status=CoSignerStatus.INVITED).exists()


def test_deputy_removes_an_attachment_from_a_draft(mandate, deputy_user):
    suggestion = f.draft(mandate)
    [attachment] = services.add_attachments(actor=deputy_user, suggestion_id=suggestion.pk, files=[f.pdf("附件.pdf")])
    services.remove_attachment(actor=deputy_user, attachment_id=attachment.pk)
    assert not suggestion.attachments.exists()


def test_untitled_draft_cannot_be_submitted(mandate, deputy_user):
    suggestion = f.draft(mandate, title="")
    with pytest.raises(RuleViolation) as error:
        services.submit(actor=deputy_user, suggestion_id=suggestion.pk)
    assert "title" in error.value.fields

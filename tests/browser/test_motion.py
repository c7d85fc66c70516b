"""Motions on a deputy's phone: a delegate records the delegation's vote on the form (refused without a majority,
submitted with one), and a co-signer withdraws a signature from the detail page, sending a motion that falls
below its threshold back to its lead deputy."""

import pytest
from django.urls import reverse

from congress.models import PolicyValue
from suggestions import services
from suggestions.models import Kind, Suggestion
from tests import factories as core
from tests.deputies.factories import current_term, delegation
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:new")
def test_a_delegate_records_the_delegations_vote_for_its_motion(live_server, phone):
    congress = core.CongressFactory()
    current_term(congress)
    category = f.CategoryFactory(congress=congress, name="教育")
    delegate = f.deputy(congress)
    delegate.delegation = delegation(congress)
    delegate.save(update_fields=["delegation"])
    session = f.session_of(delegate.term)

    log_in(phone, live_server, delegate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    phone.get_by_label("议案").check()
    phone.get_by_label("标题").fill("关于制定学前教育条例的议案")
    phone.get_by_label("内容").fill(f.CONTENT)
    phone.get_by_label("类别").select_option(label=category.name)
    phone.get_by_label("提出时间").select_option(label=str(session))
    phone.get_by_label("以本代表团名义提出").check()
    phone.get_by_label("代表团全体代表人数").fill("35")
    phone.get_by_label("代表团表决赞成人数").fill("17")  # 17 of 35 is not a majority
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    assert "过半数" in phone.locator(".errorlist").first.inner_text()
    motion = Suggestion.objects.get()
    assert motion.status == "draft"

    phone.get_by_label("代表团表决赞成人数").fill("18")
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    motion.refresh_from_db()
    assert (motion.status, motion.delegation_votes_for, motion.delegation_members) == ("submitted", 18, 35)
    assert "赞成 18 人" in phone.locator(".delegation-vote").inner_text()


@pytest.mark.form_view("suggestions:cosign")
def test_a_cosigner_withdraws_and_the_motion_goes_back_to_its_lead(live_server, phone):
    congress = core.CongressFactory()
    current_term(congress)
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=2)
    lead, cosigner = f.deputy(congress), f.deputy(congress)
    motion = f.draft(lead, kind=Kind.MOTION)
    services.save_draft(actor=lead.person.user, suggestion_id=motion.pk, fields={}, cosigner_ids=[cosigner.pk])
    services.respond_cosign(actor=cosigner.person.user, cosigner_id=motion.cosigners.get().pk, confirm=True)
    services.submit(actor=lead.person.user, suggestion_id=motion.pk)

    log_in(phone, live_server, cosigner.person.user)
    phone.goto(live_server.url + reverse("suggestions:detail", args=[motion.pk]))
    press(phone, phone.get_by_role("button", name="撤回我的联名"))
    motion.refresh_from_db()
    assert motion.status == "returned"
    assert cosigner.person.name in motion.review_comment

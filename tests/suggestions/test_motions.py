"""Motions (议案) and their co-signers, as the deputy and the staff meet them through the API and the pages: the
threshold of deputies jointly (30 national, 10 county and above, 5 township, the lead included), kept at
submission and at acceptance; a co-signer who withdraws; unconfirmed co-signers at acceptance; a delegation's
motion and its vote; motions between sessions."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from congress import audit
from congress.models import Notification, PolicyValue
from deputies.services import end_mandate
from suggestions import services
from suggestions.models import CoSigner, CoSignerStatus, Kind, Status, Suggestion
from tests import factories as core
from tests.deputies.factories import current_term, delegation

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/"


def act(client, suggestion, action, data=None):
    return client.post(f"{URL}{suggestion.pk}/{action}/", data or {}, format="json")


def motion_with(mandate, confirmed: int, invited: int = 0, **fields) -> Suggestion:
    """A motion draft by `mandate` with `confirmed` co-signers who confirmed and `invited` who have not answered."""
    others = [f.deputy(mandate.congress) for _ in range(confirmed + invited)]
    motion = f.draft(mandate, kind=Kind.MOTION, **fields)
    services.save_draft(actor=mandate.person.user, suggestion_id=motion.pk, fields={},
                        cosigner_ids=[m.pk for m in others])  # fmt: skip
    for other in others[:confirmed]:
        cosigner = motion.cosigners.get(mandate=other)
        services.respond_cosign(actor=other.person.user, cosigner_id=cosigner.pk, confirm=True)
    return motion


def confirmed_cosigner(motion) -> CoSigner:
    return motion.cosigners.filter(status=CoSignerStatus.CONFIRMED).select_related("mandate__person__user").first()


def told(user, event: str, suggestion) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, key__startswith=f"suggestion:{event}:{suggestion.pk}"))


# The threshold, from the rule's own numbers (the lead deputy counts)


REGIONS = {"national": core.country, "provincial": core.province, "county": core.county, "township": core.township}


@pytest.mark.parametrize(("level", "needed"), [("national", 30), ("provincial", 10), ("county", 10), ("township", 5)])
def test_a_motion_needs_its_levels_number_of_deputies_including_the_lead(as_user, level, needed):
    congress = core.CongressFactory(region=REGIONS[level]())
    assert congress.level == level
    current_term(congress)
    lead = f.deputy(congress)
    short = motion_with(lead, confirmed=needed - 2)  # the lead and needed-2 co-signers: one short
    response = act(as_user(lead.person.user), short, "submit")
    assert response.status_code == 400
    assert f"{needed}" in response.json()["error"]["fields"]["cosigners"][0]
    enough = motion_with(lead, confirmed=needed - 1)  # the lead and needed-1 co-signers: exactly enough
    response = act(as_user(lead.person.user), enough, "submit")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.SUBMITTED


def test_staff_cannot_accept_a_motion_that_lost_a_signature_since_submission(as_user, congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    motion = motion_with(mandate, confirmed=2)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    # A co-signer's mandate ends after submission: two deputies of the three remain.
    ended = confirmed_cosigner(motion).mandate
    end_mandate(actor=staff, mandate_id=ended.pk, on=timezone.localdate(), reason="resigned")
    response = act(as_user(staff), motion, "accept")
    assert response.status_code == 400
    assert "3" in response.json()["error"]["fields"]["cosigners"][0]
    motion.refresh_from_db()
    assert (motion.status, motion.number) == (Status.SUBMITTED, None)


def test_staff_accept_a_motion_that_still_has_its_deputies(as_user, congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    motion = motion_with(mandate, confirmed=2)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    response = act(as_user(staff), motion, "accept")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.ACCEPTED


# A co-signer withdraws


def test_a_cosigner_withdrawing_below_the_threshold_sends_the_motion_back_to_its_lead(
    as_user, congress, mandate, staff, django_capture_on_commit_callbacks
):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    motion = motion_with(mandate, confirmed=2)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    leaving = confirmed_cosigner(motion)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_user(leaving.mandate.person.user), motion, "cosign", {"confirm": False})
    assert response.status_code == 200, response.json()
    motion.refresh_from_db()
    assert motion.status == Status.RETURNED
    # The reason names who withdrew and the numbers: 2 deputies of the 3 needed.
    assert leaving.mandate.person.name in motion.review_comment
    assert "2" in motion.review_comment and "3" in motion.review_comment
    [notice] = told(mandate.person.user, "fell_short", motion)
    assert notice.body == motion.review_comment


def test_the_withdrawal_is_in_the_suggestions_history(congress, mandate):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=2)
    motion = motion_with(mandate, confirmed=1)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    leaving = confirmed_cosigner(motion)
    services.respond_cosign(actor=leaving.mandate.person.user, cosigner_id=leaving.pk, confirm=False)
    [entry] = [e for e in audit.entries_for(motion) if (e.additional_data or {}).get("action") == "fall_short"]
    assert entry.actor_id == leaving.mandate.person.user_id
    assert entry.additional_data["withdrawn"] == leaving.mandate.person.name


def test_a_cosigner_withdrawing_above_the_threshold_leaves_the_motion_submitted(as_user, congress, mandate):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    motion = motion_with(mandate, confirmed=3)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    leaving = confirmed_cosigner(motion)
    response = act(as_user(leaving.mandate.person.user), motion, "cosign", {"confirm": False})
    assert response.status_code == 200
    motion.refresh_from_db()
    assert (motion.status, motion.review_comment) == (Status.SUBMITTED, "")


def test_a_cosigner_withdrawing_from_a_suggestion_changes_nothing_else(as_user, congress, mandate):
    other = f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=mandate.person.user, suggestion_id=suggestion.pk, fields={}, cosigner_ids=[other.pk])
    services.respond_cosign(actor=other.person.user, cosigner_id=suggestion.cosigners.get().pk, confirm=True)
    services.submit(actor=mandate.person.user, suggestion_id=suggestion.pk)
    act(as_user(other.person.user), suggestion, "cosign", {"confirm": False})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.SUBMITTED


def test_the_lead_finds_more_cosigners_and_submits_the_returned_motion_again(as_user, congress, mandate):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=2)
    motion = motion_with(mandate, confirmed=1)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    leaving = confirmed_cosigner(motion)
    services.respond_cosign(actor=leaving.mandate.person.user, cosigner_id=leaving.pk, confirm=False)
    another = f.deputy(congress)
    services.save_draft(actor=mandate.person.user, suggestion_id=motion.pk, fields={},
                        cosigner_ids=[leaving.mandate_id, another.pk])  # fmt: skip
    services.respond_cosign(actor=another.person.user, cosigner_id=motion.cosigners.get(mandate=another).pk,
                            confirm=True)  # fmt: skip
    response = act(as_user(mandate.person.user), motion, "submit")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == Status.SUBMITTED


def test_a_confirmed_cosigner_withdraws_from_the_detail_page(client, congress, mandate):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=2)
    motion = motion_with(mandate, confirmed=1)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    leaving = confirmed_cosigner(motion)
    client.force_login(leaving.mandate.person.user)
    page = client.get(reverse("suggestions:detail", args=[motion.pk])).content.decode()
    assert reverse("suggestions:cosign", args=[leaving.pk]) in page
    client.post(reverse("suggestions:cosign", args=[leaving.pk]), {"confirm": "no"})
    motion.refresh_from_db()
    assert motion.status == Status.RETURNED


# Co-signers who have not confirmed when staff accept


def accept_note(response) -> str:
    [panel] = [p for p in response.context["panels"] if p.key == "accept"]
    return str(panel.note)


def suggestion_with_unconfirmed(mandate, congress):
    confirmed, waiting = f.deputy(congress), f.deputy(congress)
    suggestion = f.draft(mandate)
    services.save_draft(actor=mandate.person.user, suggestion_id=suggestion.pk, fields={},
                        cosigner_ids=[confirmed.pk, waiting.pk])  # fmt: skip
    services.respond_cosign(actor=confirmed.person.user, cosigner_id=suggestion.cosigners.get(mandate=confirmed).pk,
                            confirm=True)  # fmt: skip
    services.submit(actor=mandate.person.user, suggestion_id=suggestion.pk)
    return suggestion, confirmed, waiting


def test_staff_see_unconfirmed_cosigners_in_the_api_before_accepting(as_user, congress, mandate, staff):
    suggestion, confirmed, waiting = suggestion_with_unconfirmed(mandate, congress)
    row = as_user(staff).get(f"{URL}{suggestion.pk}/").json()
    statuses = {c["mandate"]: c["status"] for c in row["cosigners"]}
    assert statuses == {confirmed.pk: "confirmed", waiting.pk: "invited"}


def test_staff_see_unconfirmed_cosigners_on_the_page_before_accepting(client, congress, mandate, staff):
    suggestion, confirmed, waiting = suggestion_with_unconfirmed(mandate, congress)
    client.force_login(staff)
    response = client.get(reverse("suggestions:detail", args=[suggestion.pk]))
    note = accept_note(response)
    assert waiting.person.name in note
    assert confirmed.person.name not in note
    assert note in response.content.decode()
    listing = client.get(reverse("suggestions:review")).content.decode()
    assert 'class="warning unconfirmed"' in listing


def test_the_review_list_counts_each_suggestions_unconfirmed_cosigners(client, congress, mandate, staff):
    suggestion_with_unconfirmed(mandate, congress)
    f.submitted(mandate, title="无人联名的建议")
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"))
    counts = {s.title: s.unconfirmed for s in response.context["page"]}
    assert counts == {"加强中小学课后服务": 1, "无人联名的建议": None}


def test_a_motion_shows_staff_its_signatures_against_the_threshold(client, congress, mandate, staff):
    PolicyValue.objects.create(congress=congress, key="motion.cosigner_threshold", value=3)
    motion = motion_with(mandate, confirmed=3)
    services.submit(actor=mandate.person.user, suggestion_id=motion.pk)
    client.force_login(staff)
    note = accept_note(client.get(reverse("suggestions:detail", args=[motion.pk])))
    # The lead and three co-signers, of the three needed.
    assert re.findall(r"\d+", note) == ["4", "3"]


def test_accepting_keeps_unconfirmed_cosigners_on_record_and_tells_them_and_the_lead(
    as_user, congress, mandate, staff, django_capture_on_commit_callbacks
):
    suggestion, confirmed, waiting = suggestion_with_unconfirmed(mandate, congress)
    with django_capture_on_commit_callbacks(execute=True):
        response = act(as_user(staff), suggestion, "accept")
    assert response.status_code == 200, response.json()
    statuses = {c["mandate"]: c["status"] for c in response.json()["cosigners"]}
    assert statuses == {confirmed.pk: "confirmed", waiting.pk: "lapsed"}
    [to_cosigner] = told(waiting.person.user, "cosign_lapsed", suggestion)
    [to_lead] = told(mandate.person.user, "cosigners_lapsed", suggestion)
    assert waiting.person.name in to_lead.body and confirmed.person.name not in to_lead.body
    assert not told(confirmed.person.user, "cosign_lapsed", suggestion)
    [entry] = [e for e in audit.entries_for(suggestion) if (e.additional_data or {}).get("action") == "accept"]
    assert entry.additional_data["lapsed"] == [waiting.person.name]


def test_a_lapsed_cosigner_can_no_longer_confirm(as_user, congress, mandate, staff):
    suggestion, _confirmed, waiting = suggestion_with_unconfirmed(mandate, congress)
    services.accept(actor=staff, suggestion_id=suggestion.pk)
    response = act(as_user(waiting.person.user), suggestion, "cosign", {"confirm": True})
    assert response.status_code == 400
    assert suggestion.cosigners.get(mandate=waiting).status == CoSignerStatus.LAPSED


# A delegation's motion: a majority of all the delegation's members


@pytest.fixture
def delegate(congress, mandate):
    mandate.delegation = delegation(congress)
    mandate.save(update_fields=["delegation"])
    return mandate


def delegation_motion(client, delegate, votes_for, members):
    """The delegate writes the delegation's motion through the API, with the delegation's vote."""
    category = f.CategoryFactory(congress=delegate.congress)
    data = {"mandate": delegate.pk, "kind": "motion", "title": "关于制定学前教育条例的议案", "content": f.CONTENT,
            "category": category.pk, "session": f.session_of(delegate.term).pk,
            "delegation": delegate.delegation_id, "delegation_votes_for": votes_for,
            "delegation_members": members}  # fmt: skip
    response = client.post(URL, data, format="json")
    assert response.status_code == 201, response.json()
    return Suggestion.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize(("votes_for", "members", "accepted"), [
    (18, 35, True), (17, 35, False),  # 35 members: a majority is 18
    (11, 20, True), (10, 20, False),  # exactly half is not a majority
])  # fmt: skip
def test_a_delegations_motion_needs_a_majority_of_all_its_members(as_user, delegate, votes_for, members, accepted):
    client = as_user(delegate.person.user)
    motion = delegation_motion(client, delegate, votes_for, members)
    response = act(client, motion, "submit")
    if accepted:
        assert response.status_code == 200, response.json()
        assert (response.json()["delegation_votes_for"], response.json()["delegation_members"]) == (votes_for, members)
    else:
        assert response.status_code == 400
        assert str(members) in response.json()["error"]["fields"]["delegation_votes_for"][0]
        motion.refresh_from_db()
        assert motion.status == Status.DRAFT


def test_a_delegations_motion_without_a_recorded_vote_is_refused(as_user, delegate):
    client = as_user(delegate.person.user)
    motion = delegation_motion(client, delegate, None, None)
    response = act(client, motion, "submit")
    assert response.status_code == 400
    assert "delegation_votes_for" in response.json()["error"]["fields"]


def test_the_delegation_cannot_count_fewer_members_than_its_roster(as_user, congress, delegate):
    others = [f.deputy(congress) for _ in range(4)]  # five deputies of the delegation on the roster
    for other in others:
        other.delegation_id = delegate.delegation_id
        other.save(update_fields=["delegation"])
    client = as_user(delegate.person.user)
    motion = delegation_motion(client, delegate, 2, 3)  # 2 of 3 would be a majority, but the roster has 5
    response = act(client, motion, "submit")
    assert response.status_code == 400
    assert "5" in response.json()["error"]["fields"]["delegation_members"][0]


def test_more_votes_than_members_are_refused_on_the_draft(as_user, delegate):
    client = as_user(delegate.person.user)
    category = f.CategoryFactory(congress=delegate.congress)
    response = client.post(URL, {"mandate": delegate.pk, "kind": "motion", "title": "议案", "category": category.pk,
                                 "delegation": delegate.delegation_id, "delegation_votes_for": 36,
                                 "delegation_members": 35}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "delegation_votes_for" in response.json()["error"]["fields"]


def test_the_delegate_records_the_vote_on_the_form_and_the_page_shows_it(client, delegate):
    client.force_login(delegate.person.user)
    category = f.CategoryFactory(congress=delegate.congress)
    response = client.post(reverse("suggestions:new"), {
        "mandate": delegate.pk, "kind": "motion", "title": "关于制定学前教育条例的议案", "content": f.CONTENT,
        "category": category.pk, "session": f.session_of(delegate.term).pk, "delegation": "on",
        "delegation_votes_for": "18",
        "delegation_members": "35", "submit": "1",
    })  # fmt: skip
    motion = Suggestion.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert (motion.status, motion.delegation_votes_for, motion.delegation_members) == (Status.SUBMITTED, 18, 35)
    page = client.get(reverse("suggestions:detail", args=[motion.pk])).content.decode()
    assert "18" in page.split('class="muted delegation-vote"')[1].split("</span>")[0]


def test_the_form_refuses_a_delegations_motion_without_a_majority(client, delegate):
    client.force_login(delegate.person.user)
    category = f.CategoryFactory(congress=delegate.congress)
    response = client.post(reverse("suggestions:new"), {
        "mandate": delegate.pk, "kind": "motion", "title": "关于制定学前教育条例的议案", "content": f.CONTENT,
        "category": category.pk, "session": f.session_of(delegate.term).pk, "delegation": "on",
        "delegation_votes_for": "17",
        "delegation_members": "35", "submit": "1",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["delegation_votes_for"]
    assert Suggestion.objects.get().status == Status.DRAFT


# Motions between sessions: a policy (by default, motions are made for a session)


def between_sessions_motion(mandate):
    PolicyValue.objects.create(congress=mandate.congress, key="motion.cosigner_threshold", value=1)
    return f.draft(mandate, kind=Kind.MOTION, session=None)


def test_by_default_a_motion_between_sessions_is_refused(as_user, mandate):
    motion = between_sessions_motion(mandate)
    response = act(as_user(mandate.person.user), motion, "submit")
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["session"]


def test_a_congress_that_takes_motions_between_sessions_accepts_one(as_user, congress, mandate):
    PolicyValue.objects.create(congress=congress, key="motion.between_sessions", value=1)
    motion = between_sessions_motion(mandate)
    response = act(as_user(mandate.person.user), motion, "submit")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["session"]) == (Status.SUBMITTED, None)


def test_a_motion_for_a_session_is_submitted_whatever_the_policy(as_user, mandate):
    PolicyValue.objects.create(congress=mandate.congress, key="motion.cosigner_threshold", value=1)
    motion = f.draft(mandate, kind=Kind.MOTION, session=f.session_of(mandate.term))
    assert act(as_user(mandate.person.user), motion, "submit").status_code == 200


def test_a_suggestion_between_sessions_is_not_affected(as_user, mandate):
    suggestion = f.draft(mandate, session=None)
    assert act(as_user(mandate.person.user), suggestion, "submit").status_code == 200


def test_the_form_tells_the_deputy_to_choose_a_session_for_a_motion(client, mandate, deputy_user):
    PolicyValue.objects.create(congress=mandate.congress, key="motion.cosigner_threshold", value=1)
    category = f.CategoryFactory(congress=mandate.congress)
    client.force_login(deputy_user)
    response = client.post(reverse("suggestions:new"), {
        "mandate": mandate.pk, "kind": "motion", "title": "关于制定学前教育条例的议案", "content": f.CONTENT,
        "category": category.pk, "session": "", "submit": "1",
    })  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["session"]
    assert Suggestion.objects.get().status == Status.DRAFT

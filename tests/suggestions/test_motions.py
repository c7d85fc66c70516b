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
from tests.deputies.factories import current_term

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


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

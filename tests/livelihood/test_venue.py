"""Voting on tablets at the venue (issue 27, "on a phone or on a tablet at the venue"): staff enrol a device, deputies
sign in on it one after another with their own account and vote, nobody stays signed in, and a withdrawn tablet
opens nothing. Requests are made as the tablet and as an attacker would make them."""

import pytest
from auditlog.models import LogEntry
from django.core import signing
from django.urls import reverse

from livelihood import services, venue
from livelihood.models import Ballot, Channel, Turnout, VenueTablet
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "Passw0rd!x"


@pytest.fixture
def voting(staff, congress):
    """A vote open with 3 deputies present, 3 projects from 4 candidates."""
    prog, candidates, voters = f.voting(staff, congress, present=3)
    return prog, candidates, voters


@pytest.fixture
def tablet(client, staff, voting):
    """The test client is an enrolled tablet of the open vote."""
    prog = voting[0]
    client.force_login(staff)
    response = client.post(reverse("livelihood:tablets", args=[prog.pk]), {"label": "会场平板3"})
    assert response.status_code == 302
    return VenueTablet.objects.get(programme=prog)


def sign_in(client, prog, user, password=PASSWORD):
    return client.post(reverse("livelihood:tablet", args=[prog.pk]),
                       {"step": "sign_in", "username": user.username, "password": password})  # fmt: skip


def vote(client, prog, token, candidates):
    return client.post(reverse("livelihood:tablet", args=[prog.pk]),
                       {"step": "vote", "token": token, "candidates": [c.pk for c in candidates]})  # fmt: skip


def test_enrolling_sets_the_devices_key_signs_staff_out_and_stores_only_a_digest(client, tablet, voting):
    key = client.cookies[venue.COOKIE].value
    assert client.cookies[venue.COOKIE]["httponly"]
    assert tablet.key_digest == venue.digest(key) and key not in tablet.key_digest
    assert "_auth_user_id" not in client.session
    assert LogEntry.objects.filter(additional_data__action="enrol_tablet").exists()


def test_a_deputy_signs_in_votes_and_is_not_left_signed_in(client, tablet, voting):
    prog, candidates, voters = voting
    page = sign_in(client, prog, voters[0].person.user)
    token = page.context["token"]
    assert page.context["step"] == "ballot"
    done = vote(client, prog, token, candidates[:3])
    assert done.context["step"] == "done"
    turnout = Turnout.objects.get(programme=prog, mandate=voters[0])
    assert turnout.channel == Channel.TABLET
    assert Ballot.objects.get(programme=prog).channel == Channel.TABLET
    assert "_auth_user_id" not in client.session
    tablet.refresh_from_db()
    assert tablet.votes == 1


def test_the_next_deputy_votes_on_the_same_tablet(client, tablet, voting):
    prog, candidates, voters = voting
    for mandate in voters[:2]:
        token = sign_in(client, prog, mandate.person.user).context["token"]
        assert vote(client, prog, token, candidates[:1]).context["step"] == "done"
    assert Turnout.objects.filter(programme=prog, channel=Channel.TABLET).count() == 2


def test_the_ballot_sent_again_after_the_vote_is_refused(client, tablet, voting):
    prog, candidates, voters = voting
    token = sign_in(client, prog, voters[0].person.user).context["token"]
    vote(client, prog, token, candidates[:1])
    again = vote(client, prog, token, candidates[1:2])
    assert again.context["step"] == "ballot" and again.context["form"].errors
    assert Ballot.objects.filter(programme=prog).count() == 1


def test_a_device_without_the_key_cannot_open_the_tablet(client, voting):
    prog = voting[0]
    assert client.get(reverse("livelihood:tablet", args=[prog.pk])).status_code == 403
    client.cookies[venue.COOKIE] = "guessed-key"
    assert client.get(reverse("livelihood:tablet", args=[prog.pk])).status_code == 403


def test_a_tablet_of_one_programme_does_not_open_another(client, tablet, elsewhere):
    _congress, _staff, other = elsewhere
    assert client.get(reverse("livelihood:tablet", args=[other.pk])).status_code == 403


def test_a_withdrawn_tablet_opens_nothing(client, tablet, staff, voting):
    prog, candidates, voters = voting
    key = client.cookies[venue.COOKIE].value
    venue.withdraw_tablet(actor=staff, tablet_id=tablet.pk)
    client.cookies[venue.COOKIE] = key
    assert sign_in(client, prog, voters[0].person.user).status_code == 403
    assert not Turnout.objects.exists()


def test_a_wrong_password_shows_no_ballot_and_counts_as_a_failed_login(client, tablet, voting):
    from axes.models import AccessAttempt

    prog, _candidates, voters = voting
    page = sign_in(client, prog, voters[0].person.user, password="wrong")
    assert page.context["step"] == "sign_in" and "token" not in page.context
    assert AccessAttempt.objects.filter(username=voters[0].person.user.username).exists()


def test_an_account_that_is_not_a_deputy_of_the_congress_is_refused(client, tablet, voting, staff):
    prog = voting[0]
    staff.set_password(PASSWORD)
    staff.save()
    page = sign_in(client, prog, staff)
    assert page.context["step"] == "sign_in" and page.context["refusal"]
    other = f.deputies(core.CongressFactory(region=core.county("440105", "海珠区")), 1)[0]
    page = sign_in(client, prog, other.person.user)
    assert page.context["step"] == "sign_in" and page.context["refusal"]


def test_a_deputy_who_voted_on_the_phone_is_told_at_sign_in(client, tablet, voting):
    prog, candidates, voters = voting
    services.cast_vote(actor=voters[0].person.user, programme_id=prog.pk, candidate_ids=[candidates[0].pk])
    page = sign_in(client, prog, voters[0].person.user)
    assert page.context["step"] == "sign_in" and page.context["refusal"]


def test_a_forged_or_borrowed_sign_in_casts_nothing(client, tablet, voting, staff):
    prog, candidates, voters = voting
    forged = signing.dumps({"tablet": tablet.pk, "user": voters[0].person.user.pk}, salt="another salt")
    assert vote(client, prog, forged, candidates[:1]).context["step"] == "sign_in"
    other_tablet, _key = venue.enrol_tablet(actor=staff, programme_id=prog.pk, label="会场平板4")
    borrowed = venue.sign_in_token(other_tablet, voters[0].person.user)
    assert vote(client, prog, borrowed, candidates[:1]).context["step"] == "sign_in"
    assert not Turnout.objects.exists()


def test_a_sign_in_older_than_ten_minutes_has_expired(client, tablet, voting, monkeypatch):
    import time

    prog, candidates, voters = voting
    token = sign_in(client, prog, voters[0].person.user).context["token"]
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + venue.SIGN_IN_AGE + 1)
    page = vote(client, prog, token, candidates[:1])
    assert page.context["step"] == "sign_in" and page.context["refusal"]
    assert not Turnout.objects.exists()


def test_too_many_marks_keep_the_deputy_on_the_ballot(client, tablet, voting):
    prog, candidates, voters = voting
    token = sign_in(client, prog, voters[0].person.user).context["token"]
    page = vote(client, prog, token, candidates)  # 4 marks, 3 projects
    assert page.context["step"] == "ballot" and page.context["form"].errors
    assert page.context["token"] == token
    assert not Turnout.objects.exists()


def test_a_tablet_shows_nothing_to_vote_before_the_vote_opens(client, staff, congress):
    prog, _candidates = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    _tablet, key = venue.enrol_tablet(actor=staff, programme_id=prog.pk, label="会场平板1")
    client.cookies[venue.COOKIE] = key
    page = client.get(reverse("livelihood:tablet", args=[prog.pk]))
    assert page.context["step"] == "closed"


def test_tablets_are_not_enrolled_while_proposals_are_collected(staff, congress):
    from congress.errors import InvalidTransition

    prog = f.collecting_now(staff, congress)
    with pytest.raises(InvalidTransition):
        venue.enrol_tablet(actor=staff, programme_id=prog.pk, label="会场平板1")


def test_staff_of_another_congress_cannot_enrol_or_withdraw(client, tablet, voting):
    prog = voting[0]
    other = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    client.force_login(other)
    assert client.post(reverse("livelihood:tablets", args=[prog.pk]), {"label": "x"}).status_code == 404
    assert client.post(reverse("livelihood:withdraw_tablet", args=[tablet.pk])).status_code == 404
    tablet.refresh_from_db()
    assert tablet.revoked_at is None


def test_two_tablets_cannot_share_a_name(staff, voting, tablet):
    from congress.errors import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        venue.enrol_tablet(actor=staff, programme_id=voting[0].pk, label="会场平板3")
    assert "label" in refused.value.fields


def test_withdrawing_twice_is_a_conflict_and_the_page_lists_the_tablet(client, staff, tablet, voting):
    from congress.errors import Conflict

    venue.withdraw_tablet(actor=staff, tablet_id=tablet.pk)
    with pytest.raises(Conflict):
        venue.withdraw_tablet(actor=staff, tablet_id=tablet.pk)
    client.force_login(staff)
    page = client.get(reverse("livelihood:tablets", args=[voting[0].pk])).content.decode()
    assert "会场平板3" in page


def test_the_turnout_counts_tablet_votes_apart(client, tablet, voting, staff):
    prog, candidates, voters = voting
    token = sign_in(client, prog, voters[0].person.user).context["token"]
    vote(client, prog, token, candidates[:1])
    client.force_login(staff)
    page = client.get(reverse("livelihood:programme", args=[prog.pk]))
    assert page.context["turnout"]["tablet"] == 1

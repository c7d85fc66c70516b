"""Invitations: a deputy is invited once per activity; a full activity puts later acceptances on the waiting list;
a decline needs a reason and frees the place for the next in line."""

import pytest
from django.db import IntegrityError, transaction

from activities import services
from activities.models import Invitation
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from tests.deputies.factories import MandateFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_deputy_is_invited_once_per_activity(staff, activity, mandate):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    with pytest.raises(RuleViolation) as refused:
        services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    assert "invited once per activity" in str(refused.value.fields["mandates"][0])
    assert Invitation.objects.filter(activity=activity).count() == 1


def test_a_deputy_with_two_mandates_is_still_invited_once(staff, activity, mandate, congress):
    from tests import factories as core

    county = core.CongressFactory(region=core.RegionFactory(code="622901", name="临夏市", level="county"))
    second = MandateFactory(person=mandate.person, congress=county)
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk, second.pk])
    assert Invitation.objects.filter(activity=activity).count() == 1


def test_the_database_refuses_a_second_invitation_of_the_same_deputy(staff, activity, mandate):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(activity=activity, mandate=mandate, person=mandate.person, status="invited")


def test_staff_of_another_congress_cannot_invite(activity, mandate):
    from tests import factories as core

    stranger = core.staff_of(core.CongressFactory(region=core.province("44", "广东省")))
    with pytest.raises(Forbidden):
        services.invite(actor=stranger, activity_id=activity.pk, mandate_ids=[mandate.pk])


def test_acceptances_beyond_the_capacity_wait_in_line(staff, activity, mandate, other, third):
    assert activity.capacity == 2
    answers = [f.invite_and_accept(staff, activity, m).status for m in (mandate, other, third)]
    assert answers == ["accepted", "accepted", "waitlisted"]
    activity.refresh_from_db()
    assert activity.taken == 2


def test_a_decline_needs_a_reason(staff, activity, mandate):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    with pytest.raises(RuleViolation) as refused:
        services.decline(actor=mandate.person.user, invitation_id=invitation.pk, reason="  ")
    assert list(refused.value.fields) == ["reason"]


def test_a_declined_place_goes_to_the_next_in_line(staff, activity, mandate, other, third):
    first = f.invite_and_accept(staff, activity, mandate)
    f.invite_and_accept(staff, activity, other)
    waiting = f.invite_and_accept(staff, activity, third)
    services.decline(actor=mandate.person.user, invitation_id=first.pk, reason="同期参加全国人大会议")
    waiting.refresh_from_db()
    assert waiting.status == "accepted"
    activity.refresh_from_db()
    assert activity.taken == 2


def test_a_deputy_cannot_answer_someone_elses_invitation(staff, activity, mandate, other):
    invitation = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk]).invited[0]
    with pytest.raises(Forbidden):
        services.accept(actor=other.person.user, invitation_id=invitation.pk)


def test_an_invitation_cannot_be_answered_before_the_invitations_are_sent(staff, congress, mandate, may):
    planned = f.activity(staff, congress, send=False)
    invitation = services.invite(actor=staff, activity_id=planned.pk, mandate_ids=[mandate.pk]).invited[0]
    with pytest.raises(RuleViolation):
        services.accept(actor=mandate.person.user, invitation_id=invitation.pk)


def test_an_accepted_invitation_cannot_be_accepted_again(staff, activity, mandate):
    invitation = f.invite_and_accept(staff, activity, mandate)
    with pytest.raises(InvalidTransition):
        services.accept(actor=mandate.person.user, invitation_id=invitation.pk)

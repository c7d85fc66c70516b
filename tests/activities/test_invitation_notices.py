"""Invited deputies are told: when the invitations go out, each deputy invited while the activity was planned gets
one notice (e-mail and SMS, as they chose); a deputy invited later gets theirs at once; nobody is told twice."""

import pytest

from activities import services
from congress.models import Delivery, Notification

from . import factories as f

pytestmark = pytest.mark.django_db


def notices(mandate):
    return Notification.objects.filter(recipient=mandate.person.user, key__startswith="activity-invitation:")


def test_deputies_invited_while_planned_are_told_when_the_invitations_go_out(staff, congress, may, mandate):
    activity = f.activity(staff, congress, send=False)
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    assert not notices(mandate).exists()
    services.send_invitations(actor=staff, activity_id=activity.pk)
    (notice,) = notices(mandate)
    assert activity.title in notice.title and notice.link == "/activities/mine/"
    assert set(Delivery.objects.filter(notification=notice).values_list("channel", flat=True)) == {"email", "sms"}


def test_a_deputy_invited_after_the_invitations_went_out_is_told_at_once(staff, activity, mandate):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    assert notices(mandate).count() == 1


def test_inviting_more_deputies_does_not_tell_the_earlier_ones_again(staff, activity, mandate, other):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk, other.pk])
    assert notices(mandate).count() == 1 and notices(other).count() == 1

"""Invited deputies are told: when the invitations go out, each deputy invited while the activity was planned gets
one notice (e-mail and SMS, as they chose); a deputy invited later gets theirs at once; nobody is told twice.
A deputy who has not answered in the policy's days is reminded, once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from activities import services
from congress.models import Delivery, Notification, PolicyValue

from . import factories as f

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")


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


# Reminders: the policy (3 days by default) counts from the invitation notice, sent on 2026-05-11 at 10:00
# (Beijing) by the `may` fixture's clock.
NOTICE = datetime(2026, 5, 11, 10, 0, tzinfo=BEIJING)


def reminders(mandate):
    return Notification.objects.filter(recipient=mandate.person.user, key__startswith="activity-invitation-reminder:")


def invited(staff, activity, *mandates):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[m.pk for m in mandates])


def test_an_unanswered_invitation_is_reminded_three_days_after_the_notice_not_before(staff, activity, mandate):
    invited(staff, activity, mandate)
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=3, seconds=-1)) == 0
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=3)) == 1
    (reminder,) = reminders(mandate)
    assert activity.title in reminder.title and reminder.link == "/activities/mine/"
    assert set(Delivery.objects.filter(notification=reminder).values_list("channel", flat=True)) == {"email", "sms"}


def test_an_invitation_is_reminded_only_once(staff, activity, mandate):
    invited(staff, activity, mandate)
    services.remind_unanswered_invitations(now=NOTICE + timedelta(days=3))
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=5)) == 0
    assert reminders(mandate).count() == 1


def test_answered_invitations_are_not_reminded(staff, activity, mandate, other, third):
    invited(staff, activity, mandate, other, third)
    by_deputy = {i.mandate_id: i for i in activity.invitations.all()}
    services.accept(actor=mandate.person.user, invitation_id=by_deputy[mandate.pk].pk)
    services.decline(actor=other.person.user, invitation_id=by_deputy[other.pk].pk, reason="出差")
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=4)) == 1
    assert not reminders(mandate).exists() and not reminders(other).exists() and reminders(third).exists()


def test_the_congress_policy_sets_the_wait(staff, congress, activity, mandate):
    PolicyValue.objects.create(congress=congress, key="activities.invitation_reminder_days", value=5)
    invited(staff, activity, mandate)
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=4)) == 0
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=5)) == 1


def test_the_wait_counts_from_when_the_invitations_went_out(staff, congress, may, mandate):
    activity = f.activity(staff, congress, send=False)
    invited(staff, activity, mandate)
    may.move_to(NOTICE + timedelta(days=2))
    services.send_invitations(actor=staff, activity_id=activity.pk)
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=3)) == 0
    assert services.remind_unanswered_invitations(now=NOTICE + timedelta(days=5)) == 1


def test_no_reminder_once_the_activity_has_begun(staff, activity, mandate):
    invited(staff, activity, mandate)
    # The activity starts on 2026-06-01.
    assert services.remind_unanswered_invitations(now=datetime(2026, 6, 1, 9, 30, tzinfo=BEIJING)) == 0

"""Issue 29: no SMS at night (the policy's quiet hours, 21:00 to 08:00 by default) but verification codes, and at
most 10 texts a phone a day; a text held by either waits and goes when the hold ends, it is never lost."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from congress import notifications, policies, sms
from congress.models import PolicyValue, SmsMessage
from congress.notifications import LocmemSmsBackend
from tests import factories

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
PHONE = "13800138000"
DAILY_LIMIT = 10  # the policy's default: 10 texts a phone a day


@pytest.fixture
def quiet_hours(monkeypatch):
    """The registry's quiet hours (tests/conftest.py turns them off for every other test)."""
    defaults = {definition.key: definition for definition in policies.DEFINITIONS}
    monkeypatch.setitem(policies.REGISTRY, "sms.quiet_until_hour", defaults["sms.quiet_until_hour"])


def at(day, hour, minute=0):
    return time_machine.travel(datetime(2026, 12, day, hour, minute, tzinfo=CST), tick=False)


def queue(capture, phone=PHONE, kind="notification", congress=None):
    params = {"notification": {"title": "到期提醒", "body": ""}, "vote_code": {"code": "123456", "minutes": 10,
              "title": "示范家站点"}}[kind]  # fmt: skip
    with capture(execute=True):
        return sms.queue(phone, kind, params, f"{kind} 123456", congress=congress)


def test_a_reminder_texted_at_night_waits_until_eight_in_the_morning(quiet_hours, django_capture_on_commit_callbacks):
    user = factories.UserFactory(phone=PHONE)
    with at(7, 22, 30), django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("deadline:1:2026-12-08:3", [user], "今日到期", channels=("sms",))
    message = SmsMessage.objects.get()
    assert (message.status, message.next_attempt_at) == ("pending", datetime(2026, 12, 8, 8, 0, tzinfo=CST))
    with at(8, 7, 59):
        sms.requeue()
    assert LocmemSmsBackend.outbox == []
    with at(8, 8, 1):
        assert sms.requeue() == 1
    assert LocmemSmsBackend.outbox == [(PHONE, "今日到期")]
    assert SmsMessage.objects.get().status == "sent"


def test_a_text_due_in_the_early_morning_waits_until_eight_the_same_day(
    quiet_hours, django_capture_on_commit_callbacks
):
    with at(8, 5, 10):
        message = queue(django_capture_on_commit_callbacks)
    assert message.next_attempt_at == datetime(2026, 12, 8, 8, 0, tzinfo=CST)
    assert LocmemSmsBackend.outbox == []


def test_a_text_retried_into_the_night_waits_for_the_morning(quiet_hours, django_capture_on_commit_callbacks):
    with at(7, 20, 59):
        message = queue(django_capture_on_commit_callbacks)
    SmsMessage.objects.filter(pk=message.pk).update(status="pending", next_attempt_at=None)  # its retry is due
    with at(7, 21, 5):
        assert sms.deliver(message.pk) == "held"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (
        "pending", 1, datetime(2026, 12, 8, 8, 0, tzinfo=CST))  # fmt: skip


def test_a_verification_code_goes_at_night(quiet_hours, django_capture_on_commit_callbacks):
    with at(7, 23, 30):
        queue(django_capture_on_commit_callbacks, kind="vote_code")
    assert LocmemSmsBackend.outbox == [(PHONE, "vote_code 123456")]


def test_a_congress_that_moves_its_quiet_hours_is_followed(quiet_hours, django_capture_on_commit_callbacks):
    congress = factories.CongressFactory()
    PolicyValue.objects.create(congress=congress, key="sms.quiet_from_hour", value=23)
    with at(7, 22, 0):
        queue(django_capture_on_commit_callbacks, congress=congress)
        held = queue(django_capture_on_commit_callbacks, phone="13900139000")
    assert LocmemSmsBackend.outbox == [(PHONE, "notification 123456")]
    assert held.next_attempt_at == datetime(2026, 12, 8, 8, 0, tzinfo=CST)


def test_the_texts_over_a_phones_daily_limit_wait_until_the_next_day(quiet_hours, django_capture_on_commit_callbacks):
    with at(7, 10, 0):
        for _ in range(DAILY_LIMIT + 1):
            queue(django_capture_on_commit_callbacks)
    assert len(LocmemSmsBackend.outbox) == DAILY_LIMIT
    held = SmsMessage.objects.get(status="pending")
    # Midnight falls in the quiet hours, so the next day's first text goes at eight.
    assert held.next_attempt_at == datetime(2026, 12, 8, 8, 0, tzinfo=CST)
    with at(8, 8, 0):
        assert sms.requeue() == 1
    assert len(LocmemSmsBackend.outbox) == DAILY_LIMIT + 1
    assert not SmsMessage.objects.exclude(status="sent").exists()


def test_the_daily_limit_counts_one_phone_however_it_is_written(django_capture_on_commit_callbacks):
    with at(7, 10, 0):
        for _ in range(DAILY_LIMIT):
            queue(django_capture_on_commit_callbacks, phone="138 0013 8000")
        held = queue(django_capture_on_commit_callbacks, phone="+86 138-0013-8000")
        other = queue(django_capture_on_commit_callbacks, phone="13900139000")
    held.refresh_from_db()
    other.refresh_from_db()
    assert (held.status, other.status) == ("pending", "sent")
    assert held.next_attempt_at == datetime(2026, 12, 8, 0, 0, tzinfo=CST)  # quiet hours are off here


def test_a_verification_code_is_not_held_by_the_daily_limit(django_capture_on_commit_callbacks):
    with at(7, 10, 0):
        for _ in range(DAILY_LIMIT):
            queue(django_capture_on_commit_callbacks)
        queue(django_capture_on_commit_callbacks, kind="vote_code")
    assert LocmemSmsBackend.outbox[-1] == (PHONE, "vote_code 123456")


def test_a_congress_may_raise_the_daily_limit(django_capture_on_commit_callbacks):
    congress = factories.CongressFactory()
    PolicyValue.objects.create(congress=congress, key="sms.texts_per_phone_day", value=DAILY_LIMIT + 1)
    with at(7, 10, 0):
        for _ in range(DAILY_LIMIT + 1):
            queue(django_capture_on_commit_callbacks, congress=congress)
    assert len(LocmemSmsBackend.outbox) == DAILY_LIMIT + 1


def test_yesterdays_texts_do_not_count(django_capture_on_commit_callbacks):
    with at(7, 23, 0):
        for _ in range(DAILY_LIMIT):
            queue(django_capture_on_commit_callbacks)
    with at(8, 0, 30):
        queue(django_capture_on_commit_callbacks)
    assert len(LocmemSmsBackend.outbox) == DAILY_LIMIT + 1


def test_a_congress_may_turn_its_quiet_hours_off(quiet_hours, django_capture_on_commit_callbacks):
    congress = factories.CongressFactory()
    PolicyValue.objects.create(congress=congress, key="sms.quiet_from_hour", value=8)  # from 8 to 8: none
    with at(7, 23, 0):
        queue(django_capture_on_commit_callbacks, congress=congress)
    assert LocmemSmsBackend.outbox == [(PHONE, "notification 123456")]

"""Issue 29, who gets SMS: a deputy is texted the reminders of their own deadlines and the invitations they answer,
unless they turned SMS off; a handling unit's liaison officers are texted once its deadline is overdue."""

from datetime import date

import pytest
import time_machine

from congress import deadlines
from congress import services as core_services
from congress.models import Delivery, SmsMessage
from congress.notifications import LocmemSmsBackend
from congress.sms import limits
from suggestions import services

from . import factories as f

pytestmark = pytest.mark.django_db
DEPUTY_PHONE = "13912340001"
OFFICER_PHONE = "13912340002"
FEEDBACK_DUE = date(2026, 10, 29)  # a reply of 25 September 2026 + 20 working days (tests/suggestions/test_deadlines)


@pytest.fixture
def replied(mandate, staff, lead_unit):
    """A reply of 25 September 2026 to the deputy's suggestion: the deputy's feedback is due on 29 October."""
    mandate.person.user.__class__.objects.filter(pk=mandate.person.user_id).update(phone=DEPUTY_PHONE)
    with time_machine.travel("2026-09-25 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
        f.reply_to(suggestion.assignments.get(), lead_unit[1])
    return mandate.person.user


def texts_to(phone):
    return SmsMessage.objects.filter(phone_hash=limits.phone_key(phone))


def sweep(day, capture):
    with time_machine.travel(f"{day.isoformat()} 10:00 +0800", tick=False), capture(execute=True):
        deadlines.sweep(today=day)


def test_a_deputy_with_sms_on_is_texted_a_deadline_reminder_exactly_once(replied, django_capture_on_commit_callbacks):
    sweep(FEEDBACK_DUE, django_capture_on_commit_callbacks)
    sweep(FEEDBACK_DUE, django_capture_on_commit_callbacks)
    [text] = texts_to(DEPUTY_PHONE)
    assert (text.kind, text.status) == ("notification", "sent")
    [body] = [text for phone, text in LocmemSmsBackend.outbox if phone == DEPUTY_PHONE]
    assert FEEDBACK_DUE.isoformat() in body


def test_a_deputy_with_sms_off_is_not_texted(replied, django_capture_on_commit_callbacks):
    core_services.set_notification_preference(actor=replied, sms=False, email=True, sms_accepted=True)
    sweep(FEEDBACK_DUE, django_capture_on_commit_callbacks)
    assert not texts_to(DEPUTY_PHONE).exists()
    delivery = Delivery.objects.get(notification__recipient=replied, channel="sms")
    assert delivery.status == Delivery.Status.SKIPPED
    assert Delivery.objects.get(notification__recipient=replied, channel="email").status == Delivery.Status.SENT


def test_a_deputy_who_accepts_no_texts_is_not_texted(replied, django_capture_on_commit_callbacks):
    core_services.set_notification_preference(actor=replied, sms=True, email=True, sms_accepted=False)
    sweep(FEEDBACK_DUE, django_capture_on_commit_callbacks)
    assert not texts_to(DEPUTY_PHONE).exists()


def test_the_units_officer_is_texted_only_once_the_reply_is_overdue(
    mandate, staff, lead_unit, django_capture_on_commit_callbacks
):
    unit, officer = lead_unit
    officer.__class__.objects.filter(pk=officer.pk).update(phone=OFFICER_PHONE)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, unit)
    services.confirm_receipt(actor=officer, assignment_id=suggestion.assignments.get().pk)
    reply_due = suggestion.assignments.get().reply_due
    assert reply_due == date(2026, 6, 10)  # three months after the assignment
    sweep(reply_due, django_capture_on_commit_callbacks)  # due today: the inbox and e-mail
    assert not texts_to(OFFICER_PHONE).exists()
    overdue = date(2026, 6, 11)
    sweep(overdue, django_capture_on_commit_callbacks)
    sweep(overdue, django_capture_on_commit_callbacks)
    assert texts_to(OFFICER_PHONE).count() == 1
    # The staff told of the overdue reply get no text: it is not their deadline.
    assert not Delivery.objects.filter(notification__recipient=staff, channel="sms").exists()


def test_a_deputy_invited_to_co_sign_is_texted(congress, mandate, django_capture_on_commit_callbacks):
    other = f.deputy(congress)
    other.person.user.__class__.objects.filter(pk=other.person.user_id).update(phone=DEPUTY_PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_draft(actor=mandate.person.user, mandate_id=mandate.pk, fields={"title": "加强课后服务"},
                              cosigner_ids=[other.pk])  # fmt: skip
    [text] = texts_to(DEPUTY_PHONE)
    assert text.status == "sent"

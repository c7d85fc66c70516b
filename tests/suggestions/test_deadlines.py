"""Deadlines on the working calendar and the reminders they send: once per stage and recipient."""

from datetime import date

import pytest
import time_machine

from congress import deadlines
from congress.models import Deadline, Notification
from suggestions import services
from suggestions.models import Reply

from . import factories as f

pytestmark = pytest.mark.django_db


def _due(subject, kind):
    return Deadline.objects.open().get(object_id=subject.pk, kind=kind)


def test_assignment_period_between_sessions_crosses_national_day_to_an_adjusted_saturday(mandate, staff):
    with time_machine.travel("2026-09-28 10:00 +0800", tick=False):
        suggestion = f.accepted(mandate, staff)
    assert _due(suggestion, "suggestion.assign").due_date == date(2026, 10, 10)


def test_assignment_period_runs_from_the_deputys_submission_not_from_acceptance(mandate, staff):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):  # Monday
        suggestion = f.submitted(mandate)
    with time_machine.travel("2026-11-04 10:00 +0800", tick=False):  # staff accept it on Wednesday
        services.accept(actor=staff, suggestion_id=suggestion.pk)
    deadline = _due(suggestion, "suggestion.assign")
    # Five working days after Monday 2 November: Monday 9 November (from acceptance it would be the 11th).
    assert (deadline.start_date, deadline.due_date) == (date(2026, 11, 2), date(2026, 11, 9))


def test_a_congress_may_count_the_assignment_period_from_acceptance(congress, mandate, staff):
    from congress.models import PolicyValue

    PolicyValue.objects.create(congress=congress, key="suggestion.assign_from_acceptance", value=1)
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        suggestion = f.submitted(mandate)
    with time_machine.travel("2026-11-04 10:00 +0800", tick=False):
        services.accept(actor=staff, suggestion_id=suggestion.pk)
    # Five working days after Wednesday 4 November: Wednesday 11 November.
    assert _due(suggestion, "suggestion.assign").due_date == date(2026, 11, 11)


def test_suggestion_made_at_a_session_has_no_assignment_clock(mandate, staff):
    from tests import factories as core

    session = core.SessionFactory(term=mandate.term, number=4, start_date=date(2026, 1, 20), end_date=date(2026, 1, 25))
    suggestion = f.accepted(mandate, staff, session=session)
    assert not Deadline.objects.open().filter(object_id=suggestion.pk, kind="suggestion.assign").exists()


def test_reply_due_three_months_later_moves_past_national_day(mandate, staff, lead_unit):
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    assert assignment.reply_due == date(2026, 10, 8)
    assert _due(assignment, "assignment.reply").due_date == date(2026, 10, 8)


def test_feedback_period_counts_working_days_across_the_holiday(mandate, staff, lead_unit):
    with time_machine.travel("2026-09-25 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
        reply = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    # 28-30 Sep, 8-10 Oct (10 Oct an adjusted Saturday), then three full weeks and 26-29 Oct.
    assert _due(reply, "reply.feedback").due_date == date(2026, 10, 29)


def test_reply_due_in_a_year_without_a_calendar_is_provisional(mandate, staff, lead_unit):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
    deadline = _due(suggestion.assignments.get(), "assignment.reply")
    assert (deadline.due_date, deadline.provisional) == (date(2027, 2, 23), True)


@pytest.fixture
def assigned_in_march(mandate, staff, lead_unit):
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=lead_unit[1], assignment_id=assignment.pk)
    assignment.refresh_from_db()
    return assignment


def _titles(user):
    return list(
        Notification.objects.filter(recipient=user, key__startswith="deadline:").values_list("title", flat=True)
    )


def test_unit_is_reminded_seven_working_days_ahead_once(
    assigned_in_march, lead_unit, django_capture_on_commit_callbacks
):
    officer = lead_unit[1]
    with django_capture_on_commit_callbacks(execute=True):
        deadlines.sweep(today=date(2026, 6, 1))
        deadlines.sweep(today=date(2026, 6, 1))  # a duplicate beat
        deadlines.sweep(today=date(2026, 6, 2))  # the next day, same stage
    reply_reminders = [t for t in _titles(officer) if "reply to a suggestion" in t or "答复" in t]
    assert len(reply_reminders) == 1


def test_each_stage_is_sent_once_at_7_and_2_days_ahead_on_the_day_and_after(assigned_in_march, lead_unit):
    officer = lead_unit[1]
    for day in (date(2026, 6, 1), date(2026, 6, 8), date(2026, 6, 10), date(2026, 6, 11), date(2026, 6, 12)):
        deadlines.sweep(today=day)
        deadlines.sweep(today=day)
    deadline = Deadline.objects.get(object_id=assigned_in_march.pk, kind="assignment.reply")
    keys = Notification.objects.filter(recipient=officer, key__startswith=f"deadline:{deadline.pk}:").values_list(
        "key", flat=True
    )
    assert sorted(key.rsplit(":", 1)[1] for key in keys) == ["1", "2", "3", "4"]


def test_late_beat_catches_up_with_one_overdue_reminder(assigned_in_march, lead_unit):
    deadline = Deadline.objects.get(object_id=assigned_in_march.pk, kind="assignment.reply")
    deadlines.sweep(today=date(2026, 6, 20))
    deadlines.sweep(today=date(2026, 6, 21))
    sent = list(Notification.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("recipient", "key"))
    assert {key.rsplit(":", 1)[1] for _recipient, key in sent} == {"4"}
    assert [key for recipient, key in sent if recipient == lead_unit[1].pk] == [f"deadline:{deadline.pk}:2026-06-10:4"]


def test_overdue_reply_escalates_to_the_unit_head_and_staff(assigned_in_march, lead_unit, staff):
    from tests import factories as core

    head = core.UserFactory()
    lead_unit[0].head = head
    lead_unit[0].save()
    deadlines.sweep(today=date(2026, 6, 20))
    deadline = Deadline.objects.get(object_id=assigned_in_march.pk, kind="assignment.reply")
    told = set(
        Notification.objects.filter(key__startswith=f"deadline:{deadline.pk}:").values_list("recipient", flat=True)
    )
    assert {lead_unit[1].pk, head.pk, staff.pk} <= told


def test_reassignment_window_closes_without_an_overdue_alarm(assigned_in_march, staff):
    deadlines.sweep(today=date(2026, 6, 20))
    window = Deadline.objects.get(object_id=assigned_in_march.pk, kind="assignment.reassign_window")
    assert window.met_at is not None
    assert not Notification.objects.filter(key__startswith=f"deadline:{window.pk}:").exists()


def test_deputy_is_reminded_when_feedback_is_pending(mandate, staff, lead_unit):
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, lead_unit[0])
        reply = f.reply_to(suggestion.assignments.get(), lead_unit[1])
    deadlines.sweep(today=date(2026, 11, 23))
    deadline = Deadline.objects.get(object_id=reply.pk, kind="reply.feedback")
    assert Notification.objects.filter(
        recipient=mandate.person.user, key__startswith=f"deadline:{deadline.pk}:"
    ).exists()


def test_extension_reschedules_reminders_for_the_new_date(assigned_in_march, lead_unit, staff):
    deadlines.sweep(today=date(2026, 6, 1))
    request = services.request_extension(actor=lead_unit[1], assignment_id=assigned_in_march.pk, months=1,
                                         reason="协调")  # fmt: skip
    services.decide_extension(actor=staff, request_id=request.pk, approve=True)
    new = Deadline.objects.open().get(object_id=assigned_in_march.pk, kind="assignment.reply")
    assert new.due_date == date(2026, 7, 10)
    assert deadlines.sweep(today=date(2026, 6, 1)) == 0  # nothing new due that day
    assert deadlines.sweep(today=date(2026, 7, 1)) >= 1


def test_meeting_the_reply_stops_its_reminders(assigned_in_march, lead_unit):
    f.reply_to(assigned_in_march, lead_unit[1])
    assert not Deadline.objects.open().filter(object_id=assigned_in_march.pk, kind="assignment.reply").exists()
    assert Reply.objects.filter(assignment=assigned_in_march).count() == 1


def test_retried_reminder_task_sends_nothing_twice(assigned_in_march, django_capture_on_commit_callbacks):
    from congress import tasks

    with time_machine.travel("2026-06-20 10:00 +0800", tick=False):
        first = tasks.sweep_deadlines.apply().get()
        second = tasks.sweep_deadlines.apply().get()
    assert first >= 1
    assert second == 0


def test_reply_due_follows_a_holiday_entered_later_and_a_reply_that_day_is_on_time(
    mandate, staff, lead_unit, django_capture_on_commit_callbacks
):
    """Assigned 2026-11-09, the reply is due three months later, 2027-02-09 (provisional: 2027's calendar is not
    out). Staff then enter 2027-02-09 as a Spring Festival holiday: the due date becomes 2027-02-10, on the
    deadline and on the assignment alike, and a reply on 2027-02-10 is on time."""
    from congress import services as congress_services
    from congress.models import CalendarDay
    from tests import factories as core

    unit, officer = lead_unit
    with time_machine.travel("2026-11-09 10:00 +0800", tick=False):
        assignment = f.assigned(mandate, staff, unit).assignments.get()
    assert (assignment.reply_due, _due(assignment, "assignment.reply").provisional) == (date(2027, 2, 9), True)

    admin = core.UserFactory(is_superuser=True, is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        congress_services.save_calendar_day(
            actor=admin, day=CalendarDay(date=date(2027, 2, 9), is_workday=False, name="春节")
        )
    assignment.refresh_from_db()
    assert _due(assignment, "assignment.reply").due_date == date(2027, 2, 10)
    assert assignment.reply_due == date(2027, 2, 10)

    with time_machine.travel("2027-02-10 10:00 +0800", tick=False):
        f.reply_to(assignment, officer)
    assignment.refresh_from_db()
    assert assignment.replied_on_time is True

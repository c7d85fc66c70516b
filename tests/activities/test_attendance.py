"""Attendance: QR check-in only within the sitting's window (a policy), staff marking, the duty entry written
once, and a closed activity's attendance frozen except through a recorded correction."""

import pytest
import time_machine
from django.utils import translation

from activities import services
from activities.models import Attendance, Correction
from congress.errors import RuleViolation
from congress.models import PolicyValue

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(staff, activity, mandate):
    return f.invite_and_accept(staff, activity, mandate)


def code(activity, number=1):
    return activity.sittings.get(number=number).checkin_code


def check_in_at(when, mandate, activity, number=1):
    with time_machine.travel(f"{when} +0800", tick=False):
        return services.check_in(actor=mandate.person.user, code=code(activity, number))


# The sitting runs 09:00–12:00 on 2026-06-01; the policy's default window is 30 minutes either side.
@pytest.mark.parametrize("when", ["2026-06-01 08:30", "2026-06-01 10:00", "2026-06-01 12:30"])
def test_check_in_is_open_within_the_window(guest, mandate, activity, when):
    assert check_in_at(when, mandate, activity).status == "present"


@pytest.mark.parametrize("when", ["2026-06-01 08:29", "2026-06-01 12:31", "2026-05-31 10:00"])
def test_check_in_outside_the_window_is_refused(guest, mandate, activity, when):
    with pytest.raises(RuleViolation) as refused:
        check_in_at(when, mandate, activity)
    assert "2026-06-01 08:30 to 2026-06-01 12:30" in str(refused.value.fields["code"][0])
    assert not Attendance.objects.exists()


def test_the_window_follows_the_congress_policy(guest, mandate, activity, congress):
    PolicyValue.objects.create(congress=congress, key="activities.checkin_margin_minutes", value=60)
    assert check_in_at("2026-06-01 08:00", mandate, activity).status == "present"


def test_the_refusal_names_the_rule_in_chinese(guest, mandate, activity):
    with translation.override("zh-hans"), pytest.raises(RuleViolation) as refused:
        check_in_at("2026-06-01 13:00", mandate, activity)
    message = str(refused.value.fields["code"][0])
    assert "签到" in message and "规则" in message


def test_a_deputy_without_a_place_cannot_check_in(staff, activity, mandate, other):
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[other.pk])
    with pytest.raises(RuleViolation) as refused:
        check_in_at("2026-06-01 09:00", other, activity)
    assert "no place" in str(refused.value.fields["code"][0])


def test_attendance_writes_the_duty_entry_exactly_once(staff, congress, mandate, may):
    activity = f.activity(staff, congress, sittings=(("2026-06-01 09:00", "2026-06-01 12:00"),
                                                     ("2026-06-02 09:00", "2026-06-02 12:00")))  # fmt: skip
    f.invite_and_accept(staff, activity, mandate)
    check_in_at("2026-06-01 09:00", mandate, activity, 1)
    check_in_at("2026-06-01 09:05", mandate, activity, 1)  # scanned twice
    check_in_at("2026-06-02 09:00", mandate, activity, 2)
    entries = mandate.duty_entries.all()
    assert [(e.kind_id, e.quantity, e.title) for e in entries] == [("inspection", 1, "乡村振兴专题视察")]
    assert entries[0].date.isoformat() == "2026-06-01"


def test_the_duty_entry_earns_the_catalogue_points(guest, mandate, activity):
    from deputies.selectors import with_unit_points

    check_in_at("2026-06-01 09:00", mandate, activity)
    entry = with_unit_points(mandate.duty_entries.all()).get()
    assert entry.unit_points == 3  # 参加视察、调研、执法检查: +3 each


def test_absence_without_leave_writes_the_deduction_and_presence_replaces_it(staff, guest, mandate, activity):
    sitting = activity.sittings.get()
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={guest.pk: "absent"})
        assert list(mandate.duty_entries.values_list("kind_id", flat=True)) == ["activity_absence_unexcused"]
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={guest.pk: "present"})
    assert list(mandate.duty_entries.values_list("kind_id", flat=True)) == ["inspection"]


def test_absence_with_leave_writes_nothing(staff, guest, mandate, activity):
    with time_machine.travel("2026-06-01 12:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk, marks={guest.pk: "leave"})
    assert not mandate.duty_entries.exists()


def close(staff, activity):
    services.start(actor=staff, activity_id=activity.pk)
    services.submit_report(actor=staff, activity_id=activity.pk, report="视察发现三个问题。")
    services.close(actor=staff, activity_id=activity.pk)


def test_a_closed_activitys_attendance_is_frozen(staff, guest, mandate, activity):
    check_in_at("2026-06-01 09:00", mandate, activity)
    close(staff, activity)
    with time_machine.travel("2026-06-03 10:00 +0800", tick=False), pytest.raises(RuleViolation) as refused:
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk, marks={guest.pk: "absent"})
    assert "frozen" in str(refused.value.message)
    assert Attendance.objects.get().status == "present"


def test_a_recorded_correction_changes_a_closed_activitys_attendance_and_the_duty_record(
    staff, guest, mandate, activity
):
    check_in_at("2026-06-01 09:00", mandate, activity)
    close(staff, activity)
    sitting = activity.sittings.get()
    services.correct_attendance(actor=staff, sitting_id=sitting.pk, invitation_id=guest.pk, status="leave",
                                reason="代签到，经核实本人请假")  # fmt: skip
    correction = Correction.objects.get()
    assert (correction.before, correction.after, correction.corrected_by) == ("present", "leave", staff)
    assert Attendance.objects.get().status == "leave"
    assert not mandate.duty_entries.exists()


def test_a_correction_needs_a_reason(staff, guest, mandate, activity):
    check_in_at("2026-06-01 09:00", mandate, activity)
    close(staff, activity)
    with pytest.raises(RuleViolation) as refused:
        services.correct_attendance(actor=staff, sitting_id=activity.sittings.get().pk, invitation_id=guest.pk,
                                    status="absent", reason="")  # fmt: skip
    assert list(refused.value.fields) == ["reason"]

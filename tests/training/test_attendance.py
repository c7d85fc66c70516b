"""Check-in by code or link within the sitting's window, the staff's roll, and hours in the duty record."""

from decimal import Decimal

import pytest

from congress.errors import RuleViolation
from deputies.models import DutyEntry
from training import services
from training.models import Attendance

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(staff, mandate, course):
    return f.confirmed(mandate, course, staff)


@pytest.fixture
def sitting(course):
    return course.sittings.get()


def test_check_in_during_the_sitting_records_presence_and_hours(mandate, place, sitting, may):
    may.move_to("2026-06-01 09:10 +0800")
    attendance = services.check_in(actor=mandate.person.user, code=sitting.checkin_code.lower())
    place.refresh_from_db()
    assert (attendance.status, attendance.channel, attendance.hours) == ("present", "code", Decimal("3.0"))
    assert place.hours == Decimal("3.0")


def test_check_in_opens_half_an_hour_before_the_sitting(mandate, place, sitting, may):
    may.move_to("2026-06-01 08:31 +0800")
    assert services.check_in(actor=mandate.person.user, code=sitting.checkin_code).status == "present"


def test_check_in_too_early_is_refused_naming_the_window(mandate, place, sitting, may):
    may.move_to("2026-06-01 08:29 +0800")
    with pytest.raises(RuleViolation) as error:
        services.check_in(actor=mandate.person.user, code=sitting.checkin_code)
    assert "2026-06-01 08:30 to 2026-06-01 12:30" in str(error.value.fields["code"][0])
    assert not Attendance.objects.exists()


def test_check_in_after_the_window_is_refused(mandate, place, sitting, may):
    may.move_to("2026-06-01 12:31 +0800")
    with pytest.raises(RuleViolation):
        services.check_in(actor=mandate.person.user, code=sitting.checkin_code)


def test_check_in_window_follows_the_congress_policy(congress, mandate, place, sitting, may):
    from congress.models import PolicyValue

    PolicyValue.objects.create(congress=congress, key="training.checkin_margin_minutes", value=60)
    may.move_to("2026-06-01 08:05 +0800")
    assert services.check_in(actor=mandate.person.user, code=sitting.checkin_code).status == "present"


def test_check_in_by_a_deputy_not_enrolled_is_refused(other, place, sitting, may):
    may.move_to("2026-06-01 09:10 +0800")
    with pytest.raises(RuleViolation) as error:
        services.check_in(actor=other.person.user, code=sitting.checkin_code)
    assert "not enrolled" in str(error.value.fields["code"][0])


def test_check_in_without_a_confirmed_place_is_refused(other, course, sitting, may):
    f.sign_up(other, course)
    may.move_to("2026-06-01 09:10 +0800")
    with pytest.raises(RuleViolation) as error:
        services.check_in(actor=other.person.user, code=sitting.checkin_code)
    assert "not confirmed" in str(error.value.fields["code"][0])


def test_unknown_code_is_refused(mandate, place, may):
    may.move_to("2026-06-01 09:10 +0800")
    with pytest.raises(RuleViolation) as error:
        services.check_in(actor=mandate.person.user, code="ZZZZZZ")
    assert "No sitting" in str(error.value.fields["code"][0])


def test_hours_reach_the_duty_record_once_however_often_the_deputy_checks_in(mandate, place, sitting, may):
    may.move_to("2026-06-01 09:10 +0800")
    first = services.check_in(actor=mandate.person.user, code=sitting.checkin_code)
    again = services.check_in(actor=mandate.person.user, code=sitting.checkin_code, channel="link")
    assert again.pk == first.pk
    entry = DutyEntry.objects.get(mandate=mandate, kind="training")
    assert (entry.quantity, entry.source, entry.date.isoformat()) == (
        Decimal("3.0"),
        f"training:attendance:{first.pk}",
        "2026-06-01",
    )
    place.refresh_from_db()
    assert place.hours == Decimal("3.0")


def test_staff_roll_records_present_and_absent_marks(staff, mandate, other, course, sitting, may):
    present = f.confirmed(mandate, course, staff)
    away = f.confirmed(other, course, staff)
    may.move_to("2026-06-01 15:00 +0800")
    changed = services.record_attendance(actor=staff, sitting_id=sitting.pk,
                                         marks={present.pk: "present", away.pk: "leave"})  # fmt: skip
    assert changed == 2
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {present.pk: "present", away.pk: "leave"}
    assert DutyEntry.objects.filter(kind="training").count() == 1


def test_roll_for_a_deputy_not_enrolled_is_refused(staff, other, course, sitting, place, may):
    stranger = f.sign_up(other, course)  # signed up, never confirmed
    may.move_to("2026-06-01 15:00 +0800")
    with pytest.raises(RuleViolation, match="no confirmed place"):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "present",
                                                                               stranger.pk: "present"})  # fmt: skip
    assert not Attendance.objects.exists()


def test_roll_for_an_enrolment_of_another_course_is_refused(staff, congress, mandate, place, sitting, may):
    elsewhere = f.course(staff, congress, title="另一期", sittings=[("2026-06-05 09:00", "2026-06-05 12:00")])
    foreign = f.confirmed(f.deputy(congress), elsewhere, staff)
    may.move_to("2026-06-01 15:00 +0800")
    with pytest.raises(RuleViolation, match="not an enrolment in this course"):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={foreign.pk: "present"})


def test_roll_before_the_sitting_is_refused(staff, place, sitting):
    with pytest.raises(RuleViolation, match="roll opens"):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "present"})


def test_absent_deputy_who_arrives_late_is_credited(staff, place, sitting, may):
    may.move_to("2026-06-01 09:00 +0800")
    services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "absent"})
    services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "present"})
    place.refresh_from_db()
    assert place.hours == Decimal("3.0")
    assert DutyEntry.objects.filter(kind="training", mandate=place.mandate).count() == 1


def test_present_mark_stays(staff, place, sitting, may):
    may.move_to("2026-06-01 15:00 +0800")
    services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "present"})
    with pytest.raises(RuleViolation, match="already recorded present"):
        services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "absent"})


def test_attended_place_cannot_be_cancelled(staff, mandate, place, sitting, may):
    may.move_to("2026-06-01 15:00 +0800")
    services.record_attendance(actor=staff, sitting_id=sitting.pk, marks={place.pk: "present"})
    with pytest.raises(RuleViolation, match="Attendance"):
        services.cancel(actor=mandate.person.user, enrolment_id=place.pk)

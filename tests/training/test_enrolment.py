"""Nomination and sign-up, the places a course has, the waiting list and the answers to a nomination."""

import pytest

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Deadline, Notification
from tests.deputies.factories import MandateFactory
from training import services
from training.models import Course, Enrolment, EnrolmentStatus

from . import factories as f

pytestmark = pytest.mark.django_db


def _statuses(course):
    return dict(Enrolment.objects.filter(course=course).values_list("mandate_id", "status"))


def test_sign_up_takes_a_place_awaiting_the_office(mandate, course):
    enrolment = f.sign_up(mandate, course)
    course.refresh_from_db()
    assert (enrolment.status, enrolment.origin, course.taken) == ("signed_up", "self", 1)


def test_sign_up_when_the_course_is_full_goes_onto_the_waiting_list(mandate, other, third, course):
    f.sign_up(mandate, course)
    f.sign_up(other, course)
    late = f.sign_up(third, course)
    course.refresh_from_db()
    assert (late.status, course.taken) == ("waitlisted", 2)


def test_waitlisted_deputy_is_told_their_position(mandate, other, third, course, django_capture_on_commit_callbacks):
    f.sign_up(mandate, course)
    f.sign_up(other, course)
    with django_capture_on_commit_callbacks(execute=True):
        f.sign_up(third, course)
    note = Notification.objects.get(recipient=third.person.user)
    assert "(number 1)" in note.title


def test_refusal_gives_the_freed_place_to_the_first_on_the_waiting_list(staff, congress, course, may):
    first, second, third, fourth = (f.deputy(congress) for _ in range(4))
    refused = f.sign_up(first, course)
    f.sign_up(second, course)
    f.sign_up(third, course)
    f.sign_up(fourth, course)
    services.refuse(actor=staff, enrolment_id=refused.pk, note="名额优先安排基层代表")
    statuses = _statuses(course)
    assert statuses[first.pk] == "refused"
    assert statuses[third.pk] == "signed_up"
    assert statuses[fourth.pk] == "waitlisted"
    course.refresh_from_db()
    assert course.taken == 2


def test_refusal_needs_a_reason(staff, mandate, course):
    enrolment = f.sign_up(mandate, course)
    with pytest.raises(RuleViolation):
        services.refuse(actor=staff, enrolment_id=enrolment.pk, note=" ")


def test_promoted_nomination_asks_the_deputy_to_confirm_again(staff, mandate, other, third, course,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk, other.pk, third.pk])
    assert [e.mandate_id for e in result.waitlisted] == [third.pk]
    with django_capture_on_commit_callbacks(execute=True):
        services.decline(actor=mandate.person.user, enrolment_id=result.nominated[0].pk, note="出差")
    promoted = Enrolment.objects.get(course=course, mandate=third)
    assert promoted.status == "nominated"
    assert Deadline.objects.open().filter(object_id=promoted.pk, kind="training.confirm").exists()
    assert Notification.objects.filter(recipient=third.person.user, title__contains="free").exists()


def test_raising_the_capacity_moves_the_waiting_list_up(staff, mandate, other, third, course):
    f.sign_up(mandate, course)
    f.sign_up(other, course)
    f.sign_up(third, course)
    course.capacity = 3
    services.save_course(actor=staff, course=course)
    assert _statuses(course)[third.pk] == "signed_up"


def test_capacity_cannot_drop_below_the_places_taken(staff, mandate, other, course):
    f.sign_up(mandate, course)
    f.sign_up(other, course)
    course.capacity = 1
    with pytest.raises(RuleViolation) as error:
        services.save_course(actor=staff, course=course)
    assert "capacity" in error.value.fields


def test_nomination_opens_the_confirmation_clock_on_working_days(staff, mandate, course):
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    deadline = Deadline.objects.open().get(object_id=result.nominated[0].pk, kind="training.confirm")
    # Monday 11 May 2026 plus 5 working days.
    assert deadline.due_date.isoformat() == "2026-05-18"
    assert deadline.responsible_user == mandate.person.user


def test_confirming_a_nomination_stops_the_clock(staff, mandate, course):
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    enrolment = services.confirm(actor=mandate.person.user, enrolment_id=result.nominated[0].pk)
    assert enrolment.status == "confirmed"
    assert not Deadline.objects.open().filter(object_id=enrolment.pk, kind="training.confirm").exists()


def test_nominated_deputy_is_told_the_details(staff, mandate, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    note = Notification.objects.get(recipient=mandate.person.user)
    assert course.title in note.title
    assert "2026-06-01 09:00" in note.body and "代表培训中心" in note.body and "2026-05-18" in note.body


def test_nobody_else_answers_a_deputys_nomination(staff, mandate, other, course):
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    with pytest.raises(Forbidden):
        services.confirm(actor=other.person.user, enrolment_id=result.nominated[0].pk)


def test_a_confirmed_place_cannot_be_confirmed_again(staff, mandate, course):
    enrolment = f.confirmed(mandate, course, staff)
    with pytest.raises(InvalidTransition):
        services.approve(actor=staff, enrolment_id=enrolment.pk)


def test_nomination_leaves_out_deputies_outside_the_audience_and_names_them(staff, congress, mandate, may):
    from tests import factories as core

    county = core.CongressFactory(region=core.county())
    outsider = f.deputy(county)
    course = f.course(staff, congress, audience_levels=["provincial"])
    result = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk, outsider.pk])
    assert [e.mandate_id for e in result.nominated] == [mandate.pk]
    assert result.skipped == [(outsider.person.name, "not in the course's audience")]


def test_nominating_only_ineligible_deputies_is_refused_with_the_reasons(staff, mandate, course):
    f.sign_up(mandate, course)
    with pytest.raises(RuleViolation) as error:
        services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])
    assert "already enrolled" in str(error.value.fields["mandates"][0])


def test_nominating_all_new_deputies_skips_returning_ones(staff, congress, may):
    from datetime import date

    from tests import factories as core

    earlier = core.TermFactory(congress=congress, number=13, start_date=date(2018, 1, 12), end_date=date(2023, 1, 11))
    newcomer = f.deputy(congress)
    returning = f.deputy(congress)
    MandateFactory(person=returning.person, congress=congress, term=earlier, start_date=date(2018, 1, 12))
    course = f.course(staff, congress, kind="induction", capacity=10)
    result = services.nominate_new_deputies(actor=staff, course_id=course.pk)
    assert [e.mandate_id for e in result.nominated] == [newcomer.pk]


def test_new_deputies_only_course_refuses_a_returning_deputy(staff, congress, may):
    from datetime import date

    from tests import factories as core

    earlier = core.TermFactory(congress=congress, number=13, start_date=date(2018, 1, 12), end_date=date(2023, 1, 11))
    returning = f.deputy(congress)
    MandateFactory(person=returning.person, congress=congress, term=earlier, start_date=date(2018, 1, 12))
    course = f.course(staff, congress, kind="induction", new_deputies_only=True)
    with pytest.raises(RuleViolation):
        f.sign_up(returning, course)


def test_sign_up_only_by_nomination_is_refused(staff, congress, mandate, may):
    course = f.course(staff, congress, self_enrolment=False)
    with pytest.raises(RuleViolation, match="nomination only"):
        f.sign_up(mandate, course)


def test_sign_up_after_the_course_started_is_refused(mandate, course, may):
    may.move_to("2026-06-01 09:30 +0800")
    with pytest.raises(RuleViolation, match="started"):
        f.sign_up(mandate, course)


def test_sign_up_twice_is_refused(mandate, course):
    f.sign_up(mandate, course)
    with pytest.raises(RuleViolation, match="already enrolled"):
        f.sign_up(mandate, course)


def test_sign_up_under_someone_elses_mandate_is_forbidden(mandate, other, course):
    with pytest.raises(Forbidden):
        services.sign_up(actor=other.person.user, course_id=course.pk, mandate_id=mandate.pk)


def test_unpublished_course_takes_no_enrolment(staff, congress, mandate, may):
    course = f.course(staff, congress, publish=False)
    with pytest.raises(RuleViolation, match="does not exist"):
        f.sign_up(mandate, course)
    with pytest.raises(RuleViolation, match="not published"):
        services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk])


def test_sign_up_for_a_course_at_the_same_time_as_another_of_the_deputys_is_refused(staff, congress, mandate, may):
    first = f.course(staff, congress, title="甲", sittings=[("2026-06-01 09:00", "2026-06-01 12:00")])
    second = f.course(staff, congress, title="乙", sittings=[("2026-06-01 11:00", "2026-06-01 15:00")])
    f.sign_up(mandate, first)
    with pytest.raises(RuleViolation, match="甲"):
        f.sign_up(mandate, second)


def test_nomination_names_a_deputy_busy_at_that_time(staff, congress, mandate, other, may):
    first = f.course(staff, congress, title="甲", sittings=[("2026-06-01 09:00", "2026-06-01 12:00")])
    second = f.course(staff, congress, title="乙", sittings=[("2026-06-01 11:00", "2026-06-01 15:00")])
    f.sign_up(mandate, first)
    result = services.nominate(actor=staff, course_id=second.pk, mandate_ids=[mandate.pk, other.pk])
    assert result.skipped == [(mandate.person.name, "busy at that time with 甲")]


def test_a_new_sitting_clashing_with_an_enrolled_deputys_other_course_is_refused(staff, congress, mandate, may):
    from training.models import Sitting

    first = f.course(staff, congress, title="甲", sittings=[("2026-06-01 09:00", "2026-06-01 12:00")])
    second = f.course(staff, congress, title="乙", sittings=[("2026-06-03 09:00", "2026-06-03 12:00")])
    f.sign_up(mandate, first)
    f.sign_up(mandate, second)
    clash = Sitting(course=second, starts_at=f.at("2026-06-01 10:00"), ends_at=f.at("2026-06-01 11:00"))
    with pytest.raises(RuleViolation) as error:
        services.save_sitting(actor=staff, sitting=clash)
    assert mandate.person.name in str(error.value.fields["starts_at"][0])


def test_cancelled_course_cancels_its_places_and_tells_the_deputies(staff, mandate, course,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    f.sign_up(mandate, course)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_course(actor=staff, course_id=course.pk, reason="因故延期")
    assert _statuses(course)[mandate.pk] == "cancelled"
    assert Course.objects.get(pk=course.pk).taken == 0
    assert Notification.objects.filter(recipient=mandate.person.user, body="因故延期").exists()


def test_deputy_giving_up_a_place_frees_it(staff, mandate, course):
    enrolment = f.confirmed(mandate, course, staff)
    services.cancel(actor=mandate.person.user, enrolment_id=enrolment.pk)
    course.refresh_from_db()
    assert (Enrolment.objects.get(pk=enrolment.pk).status, course.taken) == ("cancelled", 0)


def test_staff_of_another_congress_cannot_nominate(mandate, course):
    from tests import factories as core

    outsider = core.staff_of(core.CongressFactory(region=core.province("62", "甘肃省")))
    with pytest.raises(Forbidden):
        services.nominate(actor=outsider, course_id=course.pk, mandate_ids=[mandate.pk])


def test_status_machine_lists_the_deputys_actions():
    from training import workflow

    assert workflow.actions(Enrolment(status=EnrolmentStatus.NOMINATED)) == ["confirm", "decline", "cancel"]
    assert workflow.actions(Enrolment(status=EnrolmentStatus.WAITLISTED)) == ["cancel"]
    assert workflow.actions(Enrolment(status=EnrolmentStatus.REFUSED)) == []


def test_the_database_refuses_more_places_taken_than_the_course_has(staff, congress, may):
    from django.db import IntegrityError, transaction

    course = f.course(staff, congress, capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(taken=2)

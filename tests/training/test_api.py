"""The training API: who lists what, the filters and sync, and each action through its endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from training.models import Attendance, Enrolment

from . import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/training/"


def rows(response):
    assert response.status_code == 200, response.json()
    return response.json()["results"]


def test_deputy_signs_up_through_the_api(as_user, mandate, course):
    response = as_user(mandate.person.user).post(f"{URL}courses/{course.pk}/sign-up/", {"mandate": mandate.pk},
                                                 format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "signed_up"


def test_sign_up_for_a_full_course_answers_with_the_waiting_list(as_user, mandate, other, third, course):
    f.sign_up(mandate, course)
    f.sign_up(other, course)
    response = as_user(third.person.user).post(f"{URL}courses/{course.pk}/sign-up/", {"mandate": third.pk},
                                               format="json")  # fmt: skip
    assert response.json()["status"] == "waitlisted"


def test_staff_nominate_and_the_deputy_confirms(as_user, staff, mandate, course):
    response = as_user(staff).post(f"{URL}courses/{course.pk}/nominate/", {"mandates": [mandate.pk]}, format="json")
    assert response.status_code == 200, response.json()
    [enrolment_id] = response.json()["nominated"]
    response = as_user(mandate.person.user).post(f"{URL}enrolments/{enrolment_id}/confirm/")
    assert response.json()["status"] == "confirmed"


def test_confirming_twice_answers_409(as_user, staff, mandate, course):
    enrolment = f.confirmed(mandate, course, staff)
    response = as_user(staff).post(f"{URL}enrolments/{enrolment.pk}/approve/")
    assert response.status_code == 409


def test_roll_and_check_in_through_the_api(as_user, staff, mandate, other, course, may):
    first = f.confirmed(mandate, course, staff)
    second = f.confirmed(other, course, staff)
    sitting = course.sittings.get()
    may.move_to("2026-06-01 09:05 +0800")
    code = rows(as_user(staff).get(f"{URL}sittings/?course={course.pk}"))[0]["checkin_code"]
    response = as_user(mandate.person.user).post(f"{URL}sittings/check-in/", {"code": code}, format="json")
    assert response.status_code == 201, response.json()
    marks = {"marks": [{"enrolment": second.pk, "status": "leave"}]}
    assert as_user(staff).post(f"{URL}sittings/{sitting.pk}/attendance/", marks, format="json").json() == {"changed": 1}
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {first.pk: "present", second.pk: "leave"}


def test_deputies_do_not_see_check_in_codes(as_user, staff, mandate, course):
    f.confirmed(mandate, course, staff)
    assert rows(as_user(mandate.person.user).get(f"{URL}sittings/"))[0]["checkin_code"] is None


def test_check_in_outside_the_window_answers_400(as_user, staff, mandate, course):
    f.confirmed(mandate, course, staff)
    code = course.sittings.get().checkin_code
    response = as_user(mandate.person.user).post(f"{URL}sittings/check-in/", {"code": code}, format="json")
    assert response.status_code == 400
    assert "code" in str(response.json())


def test_deputy_lists_only_their_own_enrolments(as_user, staff, mandate, other, course):
    mine = f.sign_up(mandate, course)
    f.sign_up(other, course)
    assert [row["id"] for row in rows(as_user(mandate.person.user).get(f"{URL}enrolments/"))] == [mine.pk]


def test_enrolments_filter_by_status_and_sync_since(as_user, staff, mandate, other, course, may):
    f.confirmed(mandate, course, staff)
    may.move_to("2026-05-12 10:00 +0800")
    waiting = f.sign_up(other, course)
    client = as_user(staff)
    assert [r["id"] for r in rows(client.get(f"{URL}enrolments/?status=signed_up"))] == [waiting.pk]
    since = Enrolment.objects.get(pk=waiting.pk).updated_at.isoformat()
    assert [r["id"] for r in rows(client.get(f"{URL}enrolments/", {"updated_since": since}))] == [waiting.pk]


def test_cursor_pagination_walks_the_courses(as_user, staff, congress, may):
    for day in range(3, 6):
        f.course(staff, congress, title=f"第{day}期", sittings=[(f"2026-06-0{day} 09:00", f"2026-06-0{day} 12:00")])
    client = as_user(staff)
    first = client.get(f"{URL}courses/?cursor=&page_size=2").json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1


def test_hours_per_deputy_by_year(as_user, staff, mandate, course, may):
    enrolment = f.confirmed(mandate, course, staff)
    may.move_to("2026-06-01 15:00 +0800")
    from training import services

    services.record_attendance(actor=staff, sitting_id=course.sittings.get().pk, marks={enrolment.pk: "present"})
    client = as_user(staff)
    assert rows(client.get(f"{URL}hours/?year=2026")) == [
        {"mandate": mandate.pk, "name": mandate.person.name, "congress": mandate.congress_id, "hours": "3.0",
         "courses": 1}]  # fmt: skip
    assert rows(client.get(f"{URL}hours/?year=2025"))[0]["hours"] == "0.0"


def test_plan_coverage_endpoint(as_user, staff, congress, mandate):
    plan = f.plan(staff, congress)
    f.goal(staff, plan, target_percent=50)
    [row] = as_user(staff).get(f"{URL}plans/{plan.pk}/coverage/").json()
    assert (row["population"], row["met"], row["missing"]) == (1, 0, [mandate.pk])


@pytest.mark.parametrize("path", ["courses", "enrolments", "sittings", "attendance", "plans", "hours"])
def test_list_queries_do_not_grow_with_rows(as_user, staff, congress, may, path):
    plan = f.plan(staff, congress)
    f.goal(staff, plan)
    for day in (3, 4, 5):
        course = f.course(staff, congress, plan=plan, capacity=5,
                          sittings=[(f"2026-06-0{day} 09:00", f"2026-06-0{day} 12:00")])  # fmt: skip
        for _ in range(2):
            f.confirmed(f.deputy(congress), course, staff)
    may.move_to("2026-06-10 09:00 +0800")
    from training import services

    for enrolment in Enrolment.objects.select_related("course"):
        services.record_attendance(actor=staff, sitting_id=enrolment.course.sittings.get().pk,
                                   marks={enrolment.pk: "present"})  # fmt: skip
    f.plan(staff, congress, kind="annual", year=2026, title="2026", parent=plan)
    client = as_user(staff)

    def count(size):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{URL}{path}/?page_size={size}")
        assert response.status_code == 200
        return len(captured)

    assert count(1) == count(50)

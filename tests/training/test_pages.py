"""The deputy's and the staff's pages: sign-up, answers, check-in, nomination, the roll, coverage and export."""

import pytest
from django.urls import reverse

from training import services
from training.models import Attendance, Enrolment

from . import factories as f

pytestmark = pytest.mark.django_db


def test_deputy_sees_the_open_course_and_signs_up(client, mandate, course):
    client.force_login(mandate.person.user)
    page = client.get(reverse("training:courses"))
    assert course.title in page.content.decode()
    response = client.post(reverse("training:sign_up", args=[course.pk]), {"mandate": mandate.pk}, follow=True)
    assert "Signed up" in response.content.decode() or "已报名" in response.content.decode()
    assert Enrolment.objects.get(mandate=mandate).status == "signed_up"


def test_deputy_confirms_a_nomination_from_their_page(client, staff, mandate, course):
    enrolment = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk]).nominated[0]
    client.force_login(mandate.person.user)
    assert course.title in client.get(reverse("training:mine")).content.decode()
    client.post(reverse("training:act", args=[enrolment.pk, "confirm"]))
    assert Enrolment.objects.get(pk=enrolment.pk).status == "confirmed"


def test_deputy_cannot_take_a_staff_action(client, mandate, course):
    enrolment = f.sign_up(mandate, course)
    client.force_login(mandate.person.user)
    response = client.post(reverse("training:act", args=[enrolment.pk, "approve"]), {"as": "staff"})
    assert response.status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == "signed_up"


def test_check_in_link_shows_the_sitting_and_records_only_on_post(client, staff, mandate, course, may):
    f.confirmed(mandate, course, staff)
    sitting = course.sittings.get()
    may.move_to("2026-06-01 09:05 +0800")
    client.force_login(mandate.person.user)
    url = reverse("training:check_in_link", args=[sitting.checkin_code])
    assert course.title in client.get(url).content.decode()
    assert not Attendance.objects.exists()
    client.post(url)
    assert Attendance.objects.get().channel == "link"


def test_check_in_code_outside_the_window_shows_the_error(client, staff, mandate, course):
    f.confirmed(mandate, course, staff)
    client.force_login(mandate.person.user)
    response = client.post(reverse("training:check_in"), {"code": course.sittings.get().checkin_code})
    assert response.status_code == 200
    assert "2026-06-01 08:30" in response.content.decode()
    assert not Attendance.objects.exists()


def test_staff_nominate_by_list_from_the_course_page(client, staff, mandate, other, course):
    client.force_login(staff)
    page = client.get(reverse("training:course", args=[course.pk])).content.decode()
    assert mandate.person.name in page
    client.post(reverse("training:nominate", args=[course.pk]), {"mandates": [mandate.pk, other.pk]})
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"nominated"}


def test_staff_nominate_by_roster_filter(client, staff, congress, course):
    grassroots = f.deputy(congress, grassroots=True)
    f.deputy(congress, grassroots=False)
    client.force_login(staff)
    url = reverse("training:nominate_filter", args=[course.pk])
    assert grassroots.person.name in client.get(url, {"grassroots": "true"}).content.decode()
    client.post(url, {"grassroots": "true"})
    assert list(Enrolment.objects.values_list("mandate_id", flat=True)) == [grassroots.pk]


def test_staff_take_the_roll_on_the_attendance_page(client, staff, mandate, course, may):
    enrolment = f.confirmed(mandate, course, staff)
    sitting = course.sittings.get()
    may.move_to("2026-06-01 10:00 +0800")
    client.force_login(staff)
    url = reverse("training:attendance", args=[sitting.pk])
    assert sitting.checkin_code in client.get(url).content.decode()
    client.post(url, {f"e{enrolment.pk}": "present"})
    assert Attendance.objects.get().status == "present"
    assert client.get(reverse("training:sitting_qr", args=[sitting.pk]))["Content-Type"] == "image/svg+xml"


def test_deputy_cannot_open_the_roll(client, mandate, course):
    client.force_login(mandate.person.user)
    assert client.get(reverse("training:attendance", args=[course.sittings.get().pk])).status_code == 403


def test_coverage_page_and_export(client, staff, congress, mandate):
    plan = f.plan(staff, congress)
    f.goal(staff, plan, title="每位代表至少参加1次培训")
    client.force_login(staff)
    page = client.get(reverse("training:coverage", args=[plan.pk])).content.decode()
    assert "每位代表至少参加1次培训" in page and mandate.person.name in page
    export = client.get(reverse("training:coverage_export", args=[plan.pk]))
    assert export.content[:2] == b"PK"


def test_manage_list_queries_do_not_grow_with_courses(client, staff, congress, may, django_assert_max_num_queries):
    client.force_login(staff)
    f.course(staff, congress)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("training:manage"))
    for day in (3, 4, 5, 6):
        f.course(staff, congress, title=f"第{day}期", sittings=[(f"2026-06-0{day} 09:00", f"2026-06-0{day} 12:00")])
    with django_assert_max_num_queries(len(one)):
        client.get(reverse("training:manage"))


def test_home_links_for_deputies_and_staff(client, staff, mandate):
    client.force_login(mandate.person.user)
    assert reverse("training:courses") in client.get(reverse("home")).content.decode()
    client.force_login(staff)
    assert reverse("training:manage") in client.get(reverse("home")).content.decode()


def test_sitting_qr_code_is_a_standalone_svg_image(client, staff, course):
    client.force_login(staff)
    response = client.get(reverse("training:sitting_qr", args=[course.sittings.get().pk]))
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content

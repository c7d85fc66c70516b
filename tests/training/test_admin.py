"""The console's course form: audience as levels and division codes, sittings saved through the services."""

import pytest
from django.urls import reverse

from training.models import Course

from . import factories as f

pytestmark = pytest.mark.django_db


def _inline_management(prefix, total=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000"}  # fmt: skip


def test_staff_add_a_course_with_a_sitting_in_the_console(client, staff, congress, may):
    client.force_login(staff)
    data = {
        "congress": congress.pk, "title": "预算审查培训班", "kind": "thematic", "mode": "offline", "place": "会议中心",
        "capacity": 30, "hours_per_sitting": "3", "self_enrolment": "on", "levels": ["provincial"],
        "regions": congress.region.code,
        **_inline_management("sittings", 1), **_inline_management("materials"),
        "sittings-0-number": "1", "sittings-0-starts_at_0": "2026-06-10", "sittings-0-starts_at_1": "09:00",
        "sittings-0-ends_at_0": "2026-06-10", "sittings-0-ends_at_1": "12:00",
    }  # fmt: skip
    response = client.post(reverse("admin:training_course_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    course = Course.objects.get()
    assert (course.audience_levels, course.audience_regions) == (["provincial"], [congress.region.code])
    assert course.sittings.count() == 1 and course.starts_on.isoformat() == "2026-06-10"


def test_console_refuses_capacity_below_places_taken(client, staff, mandate, course):
    f.sign_up(mandate, course)
    f.sign_up(f.deputy(course.congress), course)
    client.force_login(staff)
    url = reverse("admin:training_course_change", args=[course.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "audience_groups"}
    data.update({"capacity": 1, "levels": [], "regions": "", **_inline_management("sittings"),
                 **_inline_management("materials")})  # fmt: skip
    data["sittings-INITIAL_FORMS"] = "0"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "already taken" in response.content.decode() or "已" in response.content.decode()


# Lists as staff think (plan, overdue) and the reminder to nominated deputies


def _act(client, model, action, ids):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    return client.post(f"/console/training/{model}/", {"action": action, "index": 0, ACTION_CHECKBOX_NAME: ids})


def test_remind_action_tells_the_nominated_deputy(client, staff, mandate, course):
    from congress.models import Notification
    from training import services

    enrolment = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk]).nominated[0]
    client.force_login(staff)
    _act(client, "enrolment", "remind_selected", [enrolment.pk])
    assert Notification.objects.filter(recipient=mandate.person.user, key__contains=":asked:").count() == 1


def test_enrolment_list_filters_overdue_confirmations(client, staff, mandate, other, course, may):
    from training import services

    late, waiting = services.nominate(actor=staff, course_id=course.pk, mandate_ids=[mandate.pk, other.pk]).nominated
    may.shift(60 * 60 * 24 * 10)
    services.confirm(actor=other.person.user, enrolment_id=waiting.pk)
    client.force_login(staff)
    response = client.get("/console/training/enrolment/", {"overdue": "yes"})
    assert list(response.context["cl"].result_list) == [late]


def test_course_list_filters_by_plan(client, staff, congress, may):
    plan = f.plan(staff, congress)
    planned = f.course(staff, congress, title="规划内的培训班", plan=plan)
    f.course(staff, congress, title="规划外的培训班")
    client.force_login(staff)
    response = client.get("/console/training/course/", {"plan__id__exact": plan.pk})
    assert list(response.context["cl"].result_list) == [planned]

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

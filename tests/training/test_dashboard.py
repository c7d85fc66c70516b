"""The training panel of the staff dashboard: each goal of the running plans against its target."""

from datetime import date
from decimal import Decimal

import pytest

from congress import dashboard

from . import factories as f
from .test_coverage import world  # noqa: F401 - the hand-computed coverage fixture

pytestmark = pytest.mark.django_db


def _panel(view):
    return next(p for p in view.panels if p.key == "training-coverage")


def test_each_goal_of_the_running_plans_shows_its_coverage_and_target(staff, world):  # noqa: F811
    f.goal(staff, world["annual"], title="两门以上", min_courses=2, target_percent=40)
    f.goal(staff, world["five_year"], title="初任培训", kind="induction", target_percent=100)
    panel = _panel(dashboard.build(staff, today=date(2026, 12, 1)))
    rows = {row.label: row.values for row in panel.rows}
    assert rows == {
        "2026年学习培训计划 · 两门以上": [Decimal("40.0"), Decimal("40")],
        "学习培训五年规划 · 初任培训": [Decimal("50.0"), Decimal("100")],
    }
    assert panel.summary == "1 of 2 goals reached"


def test_goal_row_links_to_its_missing_deputies_on_the_coverage_page(staff, world, client):  # noqa: F811
    goal = f.goal(staff, world["annual"], min_courses=2, target_percent=40)
    [row] = _panel(dashboard.build(staff, today=date(2026, 12, 1))).rows
    client.force_login(staff)
    response = client.get(row.url)
    assert response.context["missing_goal"].goal == goal
    assert sorted(m.pk for m in response.context["missing"]) == sorted(world["deputies"][i].pk for i in (1, 2, 4))


def test_a_plan_that_has_ended_is_not_shown(staff, world):  # noqa: F811
    f.goal(staff, world["annual"], min_courses=2)
    assert _panel(dashboard.build(staff, today=date(2027, 1, 5))).rows == []

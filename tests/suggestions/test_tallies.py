"""The statistics page and the dashboard read aggregate views that a periodic task refreshes: their figures are
the rule's (docs/statistics.md), staff see only their own congress's, a change shows after the next refresh,
and the page says when its figures were true."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from congress import dashboard, tallies
from congress.tasks import refresh_tallies
from suggestions import services
from tests import factories as core
from tests.deputies.factories import current_term

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = "2026-07-02 10:00 +0800"


@pytest.fixture
def handled(mandate, deputy_user, staff, lead_unit):
    """Assigned on 10 March 2026 (replies due 10 June): one replied on 20 May and rated satisfied with both the
    result and the attitude, one replied on 1 July, one without a reply."""
    unit, officer = lead_unit
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        on_time, late, pending = (f.assigned(mandate, staff, unit) for _ in range(3))
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        reply = f.reply_to(on_time.assignments.get(), officer)
        services.give_feedback(actor=deputy_user, suggestion_id=on_time.pk, reply_id=reply.pk,
                               on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        f.reply_to(late.assignments.get(), officer)
    return unit, officer, pending


@pytest.fixture
def county(congress):
    """A county congress below the province, with two suggestions assigned on 10 March to its own unit and
    left without a reply."""
    region = core.RegionFactory(code="440106", name="天河区", level="county", parent=congress.region)
    county = core.CongressFactory(region=region)
    current_term(county)
    unit, _officer = f.unit_with_officer(county, "天河区教育局")
    staff = core.staff_of(county)
    deputy = f.deputy(county)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        f.assigned(deputy, staff, unit)
        f.assigned(deputy, staff, unit)
    return county, staff, unit


def _stats(client, user, **params):
    client.force_login(user)
    with time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("suggestions:statistics"), params)
    assert response.status_code == 200
    return response


def _figures(stats):
    totals = stats["totals"]
    return {
        "assigned": totals["total"],
        "replied": totals["replied"],
        "on_time": totals["on_time"],
        "overdue": totals["overdue"],
        "on_time_rate": totals["on_time_rate"],
        "satisfaction_rate": totals["satisfaction_rate"],
        "late_suggestions": stats["overdue_suggestions"],
        "submitted": stats["submitted"],
    }


def test_statistics_page_shows_the_rules_figures_from_the_aggregates(client, handled, staff):
    with time_machine.travel(TODAY, tick=False):
        tallies.refresh()
    # By the rule: three assignments judged (two replied, one overdue), one of them on time: 1 / 3 = 33.3 %;
    # one rating, satisfied: 100 %; one suggestion has a unit's reply overdue on 2 July.
    assert _figures(_stats(client, staff).context["stats"]) == {
        "assigned": 3, "replied": 2, "on_time": 1, "overdue": 1, "on_time_rate": 33.3, "satisfaction_rate": 100.0,
        "late_suggestions": 1, "submitted": 3,
    }  # fmt: skip


def test_a_reply_moves_the_assignment_from_overdue_to_replied_late_at_the_next_refresh(client, handled, staff):
    _unit, officer, pending = handled
    with time_machine.travel("2026-07-02 08:00 +0800", tick=False):
        tallies.refresh()
        f.reply_to(pending.assignments.get(), officer)
    before = _stats(client, staff).context["stats"]
    # Until the refresh the page keeps the figures of 08:00, and says so.
    assert (before["totals"]["overdue"], before["totals"]["replied"]) == (1, 2)
    assert timezone.localtime(before["as_of"]).strftime("%H:%M") == "08:00"
    with time_machine.travel("2026-07-02 08:15 +0800", tick=False):
        refresh_tallies()
    after = _figures(_stats(client, staff).context["stats"])
    # Still judged once each: one on time of three, now none overdue and three replied.
    assert (after["overdue"], after["replied"], after["on_time"], after["on_time_rate"]) == (0, 3, 1, 33.3)
    assert after["late_suggestions"] == 0


def test_statistics_page_says_when_its_figures_were_true(client, handled, staff):
    with time_machine.travel("2026-07-02 09:45 +0800", tick=False):
        tallies.refresh()
    assert "数据截至 2026-07-02 09:45" in _stats(client, staff).content.decode()


def test_a_county_staff_member_sees_only_the_county_figures(client, handled, county):
    county_congress, county_staff, county_unit = county
    with time_machine.travel(TODAY, tick=False):
        tallies.refresh()
    # Asking for the province's congress gives the county's own page: the province is not theirs to see.
    response = _stats(client, county_staff, congress=handled[2].congress_id)
    stats = response.context["stats"]
    assert response.context["congress"] == county_congress
    assert [row["unit__name"] for row in stats["units"]] == [county_unit.name]
    assert (stats["totals"]["total"], stats["totals"]["overdue"], stats["submitted"]) == (2, 2, 2)


def test_the_province_page_counts_the_province_congress_work_not_its_counties(client, handled, staff, county):
    with time_machine.travel(TODAY, tick=False):
        tallies.refresh()
    stats = _stats(client, staff).context["stats"]
    assert (stats["totals"]["total"], stats["submitted"]) == (3, 3)  # the county's two are the county congress's


def test_refreshing_again_changes_no_figure(client, handled, staff):
    with time_machine.travel(TODAY, tick=False):
        tallies.refresh()
        first = _figures(_stats(client, staff).context["stats"])
        assert refresh_tallies() == len(tallies.VIEWS)
    assert _figures(_stats(client, staff).context["stats"]) == first


def test_dashboard_panels_carry_the_time_of_their_figures(handled, staff):
    with time_machine.travel("2026-07-02 09:30 +0800", tick=False):
        tallies.refresh()
    view = dashboard.build(staff, today=date(2026, 7, 2))
    on_time = next(panel for panel in view.panels if panel.key == "suggestion-on-time")
    assert [row.values for row in on_time.rows] == [[1], [1], [1]]
    assert timezone.localtime(on_time.as_of).strftime("%Y-%m-%d %H:%M") == "2026-07-02 09:30"

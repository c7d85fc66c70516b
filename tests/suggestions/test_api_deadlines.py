"""The API shows every deadline of a suggestion, of each unit's assignment and of a citizen's opinion: its kind,
due date, state and whether the date is provisional (a year whose official holiday schedule is not entered)."""

import pytest
import time_machine

from congress.deadlines import KIND_LABELS
from congress.models import CalendarDay, CalendarYear

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_2027_schedule(db):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()


@pytest.fixture
def assigned_in_november(no_2027_schedule, mandate, staff, lead_unit, co_unit):
    """Submitted, accepted and assigned on Monday 2 November 2026 to a lead unit with a co-handler."""
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        return f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]])


def _get(api_client, user, url):
    api_client.force_authenticate(user)
    with time_machine.travel("2026-11-10 10:00 +0800", tick=False):
        response = api_client.get(url)
    assert response.status_code == 200, response.json()
    return response.json()


def _by_kind(rows):
    return {row["kind"]: (row["due_date"], row["state"], row["provisional"]) for row in rows}


def test_a_suggestion_shows_its_own_deadlines_and_each_units(api_client, assigned_in_november, staff, lead_unit,
                                                              co_unit):  # fmt: skip
    body = _get(api_client, staff, f"/api/v1/suggestions/{assigned_in_november.pk}/")
    # Five working days from submission on 2 November: 9 November, met by the assignment.
    assert _by_kind(body["deadlines"]) == {"suggestion.assign": ("2026-11-09", "met", False)}
    units = {row["unit"]: _by_kind(row["deadlines"]) for row in body["assignments"]}
    assert units[lead_unit[0].pk] == {
        "assignment.receipt": ("2026-11-05", "overdue", False),  # three working days, not confirmed by the 10th
        "assignment.reassign_window": ("2026-11-09", "ended", False),  # five working days; a window just ends
        # Three months from 2 November: Tuesday 2 February 2027, counted without 2027's official schedule.
        "assignment.reply": ("2027-02-02", "open", True),
    }
    assert units[co_unit[0].pk] == {
        "assignment.receipt": ("2026-11-05", "overdue", False),
        "assignment.reassign_window": ("2026-11-09", "ended", False),
        "assignment.co_opinion": ("2026-12-02", "open", False),  # one month: Wednesday 2 December
    }


def test_an_assignment_shows_its_replies_feedback_deadline(api_client, assigned_in_november, lead_unit):
    assignment = assigned_in_november.assignments.get(unit=lead_unit[0])
    with time_machine.travel("2026-11-04 10:00 +0800", tick=False):
        f.reply_to(assignment, lead_unit[1])
    body = _get(api_client, lead_unit[1], f"/api/v1/assignments/{assignment.pk}/")
    rows = _by_kind(body["deadlines"])
    assert rows["assignment.receipt"] == ("2026-11-05", "met", False)
    assert rows["assignment.reply"] == ("2027-02-02", "met", True)
    assert rows["assignment.reassign_window"][1] == "cancelled"  # replying ends the right to ask
    # Twenty working days after Wednesday 4 November: Wednesday 2 December.
    assert rows["reply.feedback"] == ("2026-12-02", "open", False)
    labels = {row["kind"]: row["label"] for row in body["deadlines"]}
    assert labels["reply.feedback"] == str(KIND_LABELS["reply.feedback"])  # the kind in words


def test_a_citizen_opinion_shows_its_deadlines(api_client, no_2027_schedule):
    from liaison_stations import services as stations
    from tests.liaison_stations.factories import managed_station

    station, manager = managed_station()
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        opinion = stations.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯不亮。")
    body = _get(api_client, manager, f"/api/v1/opinions/{opinion.pk}/")
    # Three working days to triage from Monday 2 November: Thursday 5 November, passed by the 10th.
    assert _by_kind(body["deadlines"]) == {"opinion.triage": ("2026-11-05", "overdue", False)}


def test_a_deadline_in_a_year_without_its_schedule_turns_final_when_the_schedule_is_entered(
    api_client, assigned_in_november, lead_unit
):
    from congress import deadlines

    CalendarYear.objects.create(year=2027, complete=True, source="官方安排")
    deadlines.recompute()
    assignment = assigned_in_november.assignments.get(unit=lead_unit[0])
    body = _get(api_client, lead_unit[1], f"/api/v1/assignments/{assignment.pk}/")
    assert _by_kind(body["deadlines"])["assignment.reply"] == ("2027-02-02", "open", False)

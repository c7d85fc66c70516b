"""The suggestion panels of the staff dashboard: this session's states, on-time replies, overdue units and
satisfaction, each row linking to the list behind its number."""

import re
from datetime import date

import pytest
import time_machine

from congress import dashboard, tallies
from suggestions import services
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 2)


@pytest.fixture
def handled(mandate, deputy_user, staff, lead_unit):
    """One suggestion replied on time and rated satisfied, one replied late, one overdue without a reply."""
    unit, officer = lead_unit
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        on_time = f.assigned(mandate, staff, unit)
        late = f.assigned(mandate, staff, unit)
        pending = f.assigned(mandate, staff, unit)
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        reply = f.reply_to(on_time.assignments.get(), officer)
        services.give_feedback(actor=deputy_user, suggestion_id=on_time.pk, reply_id=reply.pk,
                               on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        f.reply_to(late.assignments.get(), officer)
    return unit, pending


def _built(staff):
    """The dashboard as staff see it once the periodic task has refreshed the aggregate views."""
    tallies.refresh()
    return dashboard.build(staff, today=TODAY)


def _panel(view, key):
    return next(p for p in view.panels if p.key == key)


def _values(panel):
    return [row.values for row in panel.rows]


def test_on_time_panel_counts_on_time_late_and_overdue(handled, staff):
    view = _built(staff)
    assert _values(_panel(view, "suggestion-on-time")) == [[1], [1], [1]]


def test_state_panel_counts_every_submitted_suggestion(handled, staff):
    panel = _panel(_built(staff), "suggestion-states")
    counts = {row.url.split("status=")[1].split("&")[0]: row.values[0] for row in panel.rows}
    assert (counts["closed"], counts["replied"], counts["assigned"]) == (1, 1, 1)


def test_overdue_panel_names_the_unit_with_its_overdue_and_assigned_counts(handled, staff):
    unit, _pending = handled
    panel = _panel(_built(staff), "suggestion-overdue-units")
    assert [(row.label, row.values) for row in panel.rows] == [(unit.name, [1, 3])]


def test_satisfaction_panel_counts_ratings(handled, staff):
    panel = _panel(_built(staff), "suggestion-satisfaction")
    # Result and attitude apart; rows satisfied, basically satisfied, dissatisfied, no response.
    assert _values(panel) == [[1, 1], [0, 0], [0, 0], [0, 0]]


def test_overdue_unit_row_links_to_the_review_list_of_exactly_its_overdue_suggestions(handled, staff, client):
    unit, pending = handled
    [row] = _panel(_built(staff), "suggestion-overdue-units").rows
    client.force_login(staff)
    with time_machine.travel("2026-07-02 10:00 +0800", tick=False):
        page = client.get(row.url).context["page"]
    assert [s.pk for s in page] == [pending.pk]


def test_state_panel_is_limited_to_the_current_session(congress, mandate, staff, lead_unit):
    term = congress.terms.get()
    first = core.SessionFactory(term=term, number=1, start_date=date(2026, 1, 10), end_date=date(2026, 1, 14))
    second = core.SessionFactory(term=term, number=2, start_date=date(2026, 6, 1), end_date=date(2026, 6, 4))
    f.submitted(mandate, session=first)
    f.submitted(mandate, session=second)
    f.submitted(mandate, session=second)
    view = _built(staff)
    assert view.session == second
    assert sum(row.values[0] for row in _panel(view, "suggestion-states").rows) == 2


@pytest.fixture
def overdue_outside_the_session(congress, mandate, staff, lead_unit):
    """The current session (1-4 June 2026) has one suggestion replied on time; two made between sessions and
    assigned on 10 March (reply due 10 June) have no reply on 2 July."""
    unit, officer = lead_unit
    session = core.SessionFactory(term=congress.terms.get(), number=2, start_date=date(2026, 6, 1),
                                  end_date=date(2026, 6, 4))  # fmt: skip
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        late = [f.assigned(mandate, staff, unit), f.assigned(mandate, staff, unit)]
    with time_machine.travel("2026-06-03 10:00 +0800", tick=False):
        in_session = f.assigned(mandate, staff, unit, session=session)
        f.reply_to(in_session.assignments.get(), officer)
    return unit, late


def test_dashboard_shows_overdue_work_of_every_session(overdue_outside_the_session, staff):
    unit, late = overdue_outside_the_session
    view = _built(staff)
    assert view.session is not None
    overdue = _panel(view, "suggestion-overdue-units")
    assert [(row.label, row.values) for row in overdue.rows] == [(unit.name, [2, 3])]
    assert sorted(re.findall(r"\d+", overdue.summary)) == ["1", "2"]  # two suggestions at one unit
    on_time = _panel(view, "suggestion-on-time")
    assert _values(on_time) == [[1], [0], [2]]
    assert "33.3" in on_time.summary  # one on time of three assignments due


def test_all_overdue_link_lists_the_suggestions_the_panel_counts(overdue_outside_the_session, staff, client):
    _unit, late = overdue_outside_the_session
    overdue = _panel(_built(staff), "suggestion-overdue-units")
    client.force_login(staff)
    with time_machine.travel("2026-07-02 10:00 +0800", tick=False):
        page = client.get(overdue.link).context["page"]
    assert sorted(s.pk for s in page) == sorted(s.pk for s in late)

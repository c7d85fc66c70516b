"""Statistics per unit: on-time replies, face-to-face contacts, satisfaction, overdue."""

from datetime import date

import pytest
import time_machine

from congress import tallies as aggregates
from suggestions import selectors, services, tallies

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["rows", "aggregates"])
def statistics(request):
    """The figures computed from the rows, and read from the aggregate views after a refresh: each test's numbers,
    worked out from the rule, must come out of both."""
    if request.param == "rows":
        return selectors.statistics

    def tallied(congress, **filters):
        aggregates.refresh()
        return tallies.statistics(congress, **filters)

    return tallied


@pytest.fixture
def handled(mandate, deputy_user, staff, lead_unit):
    unit, officer = lead_unit
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        on_time = f.assigned(mandate, staff, unit)
        late = f.assigned(mandate, staff, unit)
        pending = f.assigned(mandate, staff, unit)
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        assignment = on_time.assignments.get()
        services.confirm_receipt(actor=officer, assignment_id=assignment.pk)
        services.record_contact(actor=officer, assignment_id=assignment.pk, on=date(2026, 5, 19),
                                mode="face_to_face", summary="当面听取意见")  # fmt: skip
        reply = f.reply_to(assignment, officer)
        services.give_feedback(actor=deputy_user, suggestion_id=on_time.pk, reply_id=reply.pk,
                               on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    with time_machine.travel("2026-07-01 10:00 +0800", tick=False):
        f.reply_to(late.assignments.get(), officer)
    return unit, pending


def test_unit_row_counts_on_time_face_to_face_and_satisfaction(handled, statistics):
    unit, _pending = handled
    stats = statistics(handled[1].congress, today=date(2026, 7, 2))
    [row] = [r for r in stats["units"] if r["unit_id"] == unit.pk]
    assert (row["total"], row["replied"], row["on_time"], row["overdue"]) == (3, 2, 1, 1)
    assert row["on_time_rate"] == pytest.approx(33.3)  # one on time of two replied plus one overdue
    assert row["face_to_face_rate"] == 50.0
    assert row["satisfaction_rate"] == 100.0
    assert [a.suggestion_id for a in stats["overdue"]] == [handled[1].pk]


def test_counts_by_state_cover_every_suggestion(handled, statistics):
    stats = statistics(handled[1].congress, today=date(2026, 7, 2))
    counts = {value: n for value, _label, n in stats["states"]}
    assert (counts["closed"], counts["replied"], counts["assigned"]) == (1, 1, 1)
    assert stats["submitted"] == 3


def test_statistics_take_the_same_queries_for_more_suggestions(handled, mandate, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    congress = handled[1].congress
    with CaptureQueriesContext(connection) as first:
        selectors.statistics(congress, today=date(2026, 7, 2))
    f.assigned(mandate, staff, handled[0])
    with CaptureQueriesContext(connection) as second:
        selectors.statistics(congress, today=date(2026, 7, 2))
    # Five aggregates, and the no-response policy when the process holds no copy of the congress's policies.
    assert len(second) == len(first) <= 6


@pytest.fixture
def rated_three_ways(mandate, deputy_user, staff, lead_unit):
    """Three replies of one unit on 2 November 2026: one rated dissatisfied with the result but satisfied with the
    attitude, one satisfied with both, one never rated (the twenty working days end on 30 November)."""
    unit, officer = lead_unit
    with time_machine.travel("2026-11-02 10:00 +0800", tick=False):
        mixed, pleased, silent = (f.assigned(mandate, staff, unit) for _ in range(3))
        answers = [f.reply_to(s.assignments.get(), officer) for s in (mixed, pleased, silent)]
        services.give_feedback(actor=deputy_user, suggestion_id=mixed.pk, reply_id=answers[0].pk,
                               on_result="dissatisfied", on_attitude="satisfied", comment="措施不具体")  # fmt: skip
        services.give_feedback(actor=deputy_user, suggestion_id=pleased.pk, reply_id=answers[1].pk,
                               on_result="satisfied", on_attitude="satisfied")  # fmt: skip
    assert services.lapse_feedback(today=date(2026, 12, 1)) == 1
    return unit, mixed.congress, answers[2]


def test_silence_is_recorded_as_no_response_not_as_satisfaction(rated_three_ways):
    _unit, _congress, silent = rated_three_ways
    feedback = silent.feedback.get()
    assert (feedback.on_result, feedback.on_attitude, feedback.deemed) == ("no_response", "no_response", True)


def test_satisfaction_leaves_no_response_out_and_shows_it_apart(rated_three_ways, statistics):
    unit, congress, _silent = rated_three_ways
    totals = statistics(congress, today=date(2026, 12, 2))["totals"]
    assert (totals["rated"], totals["no_response"]) == (2, 1)
    assert totals["satisfaction_rate"] == 50.0  # result: one satisfied of two ratings
    assert totals["attitude_rate"] == 100.0  # attitude: both satisfied


def test_a_congress_may_count_no_response_as_satisfied(rated_three_ways, statistics):
    from congress.models import PolicyValue

    unit, congress, _silent = rated_three_ways
    PolicyValue.objects.create(congress=congress, key="suggestion.no_response_satisfied", value=1)
    totals = statistics(congress, today=date(2026, 12, 2))["totals"]
    assert totals["satisfaction_rate"] == pytest.approx(66.7)  # two of three
    assert totals["attitude_rate"] == 100.0  # three of three


def test_on_time_rate_counts_a_rehandled_assignment_once(mandate, deputy_user, staff, lead_unit, statistics):
    unit, officer = lead_unit
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(mandate, staff, unit)
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):  # due 10 June: on time
        answer = f.reply_to(suggestion.assignments.get(), officer)
    with time_machine.travel("2026-03-25 10:00 +0800", tick=False):
        services.give_feedback(actor=deputy_user, suggestion_id=suggestion.pk, reply_id=answer.pk,
                               on_result="dissatisfied", on_attitude="satisfied", comment="未解决")  # fmt: skip
    # The new reply was due a month later, 25 April (a Saturday, so Monday 27 April); on 1 May it is overdue.
    totals = statistics(suggestion.congress, today=date(2026, 5, 1))["totals"]
    assert (totals["on_time"], totals["overdue"]) == (1, 1)
    assert totals["on_time_rate"] == 100.0  # one assignment, judged once by its first reply

"""Statistics per unit: on-time replies, face-to-face contacts, satisfaction, overdue."""

from datetime import date

import pytest
import time_machine

from suggestions import selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db


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


def test_unit_row_counts_on_time_face_to_face_and_satisfaction(handled):
    unit, _pending = handled
    stats = selectors.statistics(handled[1].congress, today=date(2026, 7, 2))
    [row] = [r for r in stats["units"] if r["unit_id"] == unit.pk]
    assert (row["total"], row["replied"], row["on_time"], row["overdue"]) == (3, 2, 1, 1)
    assert row["on_time_rate"] == pytest.approx(33.3)  # one on time of two replied plus one overdue
    assert row["face_to_face_rate"] == 50.0
    assert row["satisfaction_rate"] == 100.0
    assert [a.suggestion_id for a in stats["overdue"]] == [handled[1].pk]


def test_counts_by_state_cover_every_suggestion(handled):
    stats = selectors.statistics(handled[1].congress, today=date(2026, 7, 2))
    counts = {value: n for value, _label, n in stats["states"]}
    assert (counts["closed"], counts["replied"], counts["assigned"]) == (1, 1, 1)
    assert stats["submitted"] == 3


def test_statistics_take_the_same_queries_for_more_suggestions(handled, mandate, staff, django_assert_num_queries):
    congress = handled[1].congress
    with django_assert_num_queries(5):
        selectors.statistics(congress, today=date(2026, 7, 2))
    f.assigned(mandate, staff, handled[0])
    with django_assert_num_queries(5):
        selectors.statistics(congress, today=date(2026, 7, 2))

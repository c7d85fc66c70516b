"""The suggestion statistics read from their aggregate views (migration 0010): the same figures as
`selectors.statistics` computes from the rows, summed from a few hundred rows per congress whatever its size.

What the views keep and why it is enough (统计口径 in docs/statistics.md):
- `suggestions_tally_suggestion`: suggestions (not drafts) per congress, session, year submitted, state and
  category, and the earliest reply still owed (`late_from`): a suggestion is late on a day when a unit owes work
  due before it, so the count of late suggestions is a sum over `late_from < today`.
- `suggestions_tally_assignment`: assignments (not released) per congress, session, year assigned, unit and the
  due date of the work still owed (`owing_due`, far future when none): overdue = owed and due before today, and
  judged = answering and (replied or overdue), both sums over `owing_due < today`.
- `suggestions_tally_feedback`: ratings per congress, session and year of the rated assignment, and unit.

The figures are those of the last refresh (`as_of`); overdue work is judged against the day asked for, so a
reply due yesterday counts as overdue this morning even before the next refresh.
"""

from collections import defaultdict
from datetime import date

from django.db import connections
from django.utils import timezone

from congress import policies, replica, tallies

from . import selectors
from .models import Assignment, Status

VIEWS = ["suggestions_tally_suggestion", "suggestions_tally_assignment", "suggestions_tally_feedback"]
UNIT_KEYS = ("total", "answering", "replied", "on_time", "judged", "overdue", "met")
FAR = date(9999, 12, 31)


def statistics(congress, *, session=None, year: int | None = None, today: date | None = None,
               overdue_list: bool = True) -> dict:  # fmt: skip
    """`selectors.statistics` with the same filters and result, plus `as_of` (None when computed live)."""
    if tallies.live():
        return {**selectors.statistics(congress, session=session, year=year, today=today), "as_of": None}
    today = today or timezone.localdate()
    where, params = ["t.congress_id = %s"], [congress.pk]
    if session == "between":
        where.append("t.session_key = 0")
    elif session:
        where.append("t.session_key = %s")
        params.append(int(session))
    if year:
        where.append("t.year = %s")
        params.append(int(year))
    where = " AND ".join(where)
    # Raw SQL bypasses the router: ask it where a read goes now (the replica inside `replica.reads()`).
    with connections[replica.read_alias()].cursor() as cursor:
        cursor.execute(
            f"""SELECT t.status, c.name, sum(t.n), sum(t.n) FILTER (WHERE t.late_from < %s)
                FROM suggestions_tally_suggestion t LEFT JOIN suggestions_category c ON c.id = t.category_key
                WHERE {where} GROUP BY 1, 2""",
            [today, *params],
        )
        suggestion_rows = cursor.fetchall()
        cursor.execute(
            f"""SELECT t.unit_id, o.name, sum(total), sum(answering), sum(replied), sum(on_time),
                       sum(answering_replied) + coalesce(sum(answering_unreplied) FILTER (WHERE owing_due < %s), 0),
                       coalesce(sum(total) FILTER (WHERE owing_due < %s), 0), sum(met)
                FROM suggestions_tally_assignment t JOIN congress_organisation o ON o.id = t.unit_id
                WHERE {where} GROUP BY 1, 2""",
            [today, today, *params],
        )
        unit_rows = cursor.fetchall()
        cursor.execute(
            f"""SELECT unit_id, sum(rated), sum(satisfied), sum(basically), sum(dissatisfied),
                       sum(attitude_satisfied), sum(attitude_basically), sum(attitude_dissatisfied), sum(no_response)
                FROM suggestions_tally_feedback t WHERE {where} GROUP BY 1""",
            params,
        )
        ratings = {row[0]: dict(zip(selectors.RATING_KEYS, map(int, row[1:]), strict=True)) for row in cursor}
    states, late, by_category = defaultdict(int), 0, defaultdict(int)
    for status, category, n, late_n in suggestion_rows:
        states[status] += int(n)
        late += int(late_n or 0)
        by_category[category] += int(n)
    categories = [
        {"category__name": name, "n": n}
        for name, n in sorted(by_category.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))
    ]
    units = [
        {"unit_id": row[0], "unit__name": row[1], **dict(zip(UNIT_KEYS, map(int, row[2:]), strict=True))}
        for row in unit_rows
    ]
    units.sort(key=lambda row: row["unit__name"])
    silence_satisfies = bool(policies.policy(congress, "suggestion.no_response_satisfied"))
    empty = dict.fromkeys(selectors.RATING_KEYS, 0)
    totals = dict.fromkeys((*UNIT_KEYS, *empty), 0)
    for row in units:
        row.update(ratings.get(row["unit_id"], empty))
        selectors._add_rates(row, silence_satisfies)
        for key in totals:
            totals[key] += row[key]
    selectors._add_rates(totals, silence_satisfies)
    return {
        "states": [(value, label, states.get(value, 0)) for value, label in Status.choices if value != Status.DRAFT],
        "submitted": sum(states.values()),
        "overdue_suggestions": late,
        "categories": categories,
        "units": units,
        "totals": totals,
        # The list itself is read live: a partial index of the work owed keeps it to its 200 rows.
        "overdue": _overdue(congress, session, year, today) if overdue_list else [],
        "today": today,
        "as_of": tallies.as_of(VIEWS),
    }


def _overdue(congress, session, year, today) -> list:
    assignments = Assignment.objects.filter(selectors.overdue_q(today), congress=congress)
    if session == "between":
        assignments = assignments.filter(session__isnull=True)
    elif session:
        assignments = assignments.filter(session=session)
    if year:
        assignments = assignments.filter(assigned_on__year=year)
    return list(assignments.select_related("suggestion", "unit").order_by("reply_due", "id")[:200])

"""Aggregate views behind the reports (statistics, dashboard panels, coverage pages).

A report that counts the rows below its scope grows with them: a province's page read a million rows where a
county's read ten thousand. The figures that can wait are kept instead in materialized views grouped finely
enough to answer every filter of their page (congress, session, year, unit, region code, due date) and coarsely
enough that a page sums a few hundred rows whatever its scope. A periodic task (`congress.tasks.refresh_tallies`,
every 15 minutes) refreshes them with `REFRESH MATERIALIZED VIEW CONCURRENTLY`, so readers never wait, and
records when (`TallyRefresh`): a report shows that time as "数据截至 …".

Postgres only. SQLite, the zero-setup demo, has no materialized views: there the migrations create nothing and
the reports compute the same figures from the rows (`live()`), which is what a demo's size allows.
"""

from datetime import datetime

from django.db import connection, migrations, transaction
from django.utils import timezone

from .models import TallyRefresh

# Every aggregate view, in refresh order; each app's migration creates its own.
VIEWS = [
    "suggestions_tally_suggestion",
    "suggestions_tally_assignment",
    "suggestions_tally_feedback",
    "liaison_stations_tally_visits",
]


def live() -> bool:
    """Reports read the rows themselves (no aggregate views on this database)."""
    return connection.vendor != "postgresql"


def refresh(names: list[str] | None = None) -> dict[str, datetime]:
    """Refresh the aggregate views (all, or those named) and record when. Idempotent: running it twice gives
    the same figures; a refresh running meanwhile makes this one wait, never fail."""
    done = {}
    if live():
        return done
    for name in names or VIEWS:
        if name not in VIEWS:
            raise LookupError(f"no aggregate view {name!r}")
        with transaction.atomic():
            # The view's figures are those of the snapshot its refresh reads, taken when the statement starts.
            started = timezone.now()
            with connection.cursor() as cursor:
                cursor.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {connection.ops.quote_name(name)}")
            TallyRefresh.objects.update_or_create(name=name, defaults={"refreshed_at": started})
        done[name] = started
    return done


def as_of(names: list[str]) -> datetime | None:
    """When the figures read from these views were true: the oldest of their refreshes. None when computed live
    or never refreshed since the views were created."""
    if live():
        return None
    times = list(TallyRefresh.objects.filter(name__in=names).values_list("refreshed_at", flat=True))
    return min(times) if len(times) == len(names) else None


class PostgresSQL(migrations.RunSQL):
    """RunSQL (with its reverse) on Postgres only: the aggregate views do not exist on SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

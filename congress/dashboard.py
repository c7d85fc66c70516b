"""The staff dashboard: panels that each app contributes through a `dashboard_panels(view)` AppConfig hook.

A panel is numbers first: the table beside each chart is what the chart is drawn from (static/congress/
dashboard.js reads the cells), so the figures a screen reader, a printout and the chart show cannot differ.
Every row links to the filtered list behind its number.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from . import scope
from .models import Congress, Role, Session


@dataclass
class Row:
    label: str
    values: list
    url: str = ""


@dataclass
class Panel:
    key: str
    title: str
    columns: list[str]  # one heading per value column
    rows: list[Row]
    chart: str = "bar"  # "bar", "hbar" (horizontal bars) or "doughnut"
    percent: bool = False  # values are percentages (the chart's scale stops at 100)
    summary: str = ""  # one headline figure, e.g. the on-time rate
    link: str = ""  # the full page behind the panel
    link_label: str = ""
    empty: str = ""  # said instead of the table when there are no rows
    # When the figures were true, for panels read from aggregate views (None: computed as the page is built).
    as_of: datetime | None = None

    @property
    def has_numbers(self) -> bool:
        return any(any(value for value in row.values if value) for row in self.rows)


@dataclass
class View:
    """Who is looking, for which congress, on which day: what every panel is computed for."""

    user: object
    congress: Congress
    congresses: list[Congress]
    today: date
    session: Session | None = None
    panels: list[Panel] = field(default_factory=list)


def congresses_for(user) -> list[Congress]:
    """The congresses whose dashboard this user may open: their staff congresses (all for a bare superuser)."""
    ids = scope.congress_ids(user, (Role.STAFF,))
    queryset = Congress.objects.all() if user.is_superuser and not ids else Congress.objects.filter(pk__in=ids)
    return list(queryset.select_related("region").order_by("region__code", "pk"))


def current_session(congress: Congress, today: date) -> Session | None:
    """The congress's latest session that has begun: 'this session' for the suggestion panels."""
    return (
        Session.objects.filter(term__congress=congress, start_date__lte=today)
        .select_related("term")
        .order_by("-start_date", "-pk")
        .first()
    )


def build(user, congress_id: str | None = None, today: date | None = None) -> View | None:
    congresses = congresses_for(user)
    if not congresses:
        return None
    congress = next((c for c in congresses if str(c.pk) == str(congress_id)), congresses[0])
    today = today or timezone.localdate()
    view = View(user=user, congress=congress, congresses=congresses, today=today)
    view.session = current_session(congress, today)
    for config in apps.get_app_configs():
        hook = getattr(config, "dashboard_panels", None)
        if hook is not None:
            view.panels.extend(hook(view))
    return view

"""Reads used in more than one place, always through congress.scope."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from . import scope
from .models import Congress, Deadline, Organisation, Region


def open_deadlines_for(user, until: date):
    """Open deadlines the user answers for (their unit's, their own) or oversees (staff), soonest first."""
    mine = Q(responsible_user=user) | Q(responsible_org_id__in=scope.unit_ids(user))
    queryset = Deadline.objects.open().filter(due_date__lte=until).select_related("content_type", "responsible_org")
    queryset = scope.visible(user, Deadline, queryset) if scope.has_role(user, "staff") else queryset.filter(mine)
    return queryset.order_by("due_date", "id")


def home_deadlines(user, until: date, limit: int = 20, today: date | None = None) -> list[Deadline]:
    """open_deadlines_for and the deadlines each app adds for the user's own work through a `home_deadlines(user)`
    AppConfig hook (a Q over Deadline: a station manager's triage and feedback of opinions at their stations),
    ready to show: each with the label of its kind, what it is about, where to act and whether it is already
    overdue (those come first). A window that has passed is no work owed and is left out."""
    from django.apps import apps

    from . import deadlines
    from .deadlines import WINDOW_KINDS

    today = today or timezone.localdate()
    wanted = Q(pk__in=open_deadlines_for(user, until).values("pk"))
    for config in apps.get_app_configs():
        hook = getattr(config, "home_deadlines", None)
        if hook is not None:
            wanted |= hook(user)
    queryset = (
        Deadline.objects.open().filter(wanted, due_date__lte=until).exclude(kind__in=WINDOW_KINDS, due_date__lt=today)
        .select_related("content_type", "responsible_org").order_by("due_date", "id")
    )  # fmt: skip
    rows = list(queryset.prefetch_related(deadlines.subjects_prefetch())[:limit])
    for row in rows:
        row.overdue = row.due_date < today
        row.days_left, row.days_late = max((row.due_date - today).days, 0), max((today - row.due_date).days, 0)
        row.label = deadlines.kind_label(row.kind)
        row.subject_label = deadlines.subject_label(row)
        row.link = deadlines.subject_link(row)
    return rows


def scope_counts(user) -> dict:
    """How much of the structure a user can see; shown on the landing page."""
    return {
        "regions": scope.visible(user, Region).count(),
        "congresses": scope.visible(user, Congress).count(),
        "units": scope.visible(user, Organisation).filter(kind="handling_unit").count(),
    }

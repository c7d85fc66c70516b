"""The training panel of the staff dashboard: how far each goal of the congress's running plans stands."""

from django.urls import reverse
from django.utils.translation import gettext as _

from congress.dashboard import Panel, Row, View

from . import selectors
from .models import Plan, PlanKind


def panels(view: View) -> list[Panel]:
    plans = list(
        Plan.objects.filter(congress=view.congress, start_date__lte=view.today, end_date__gte=view.today)
        .select_related("congress__region")
        # The year's plan first: it is what staff work to this year.
        .order_by("-kind", "-start_date", "pk")
    )
    rows = []
    for plan in plans:
        url = reverse("training:coverage", args=[plan.pk])
        for goal in selectors.coverage(plan):
            label = f"{plan.title} · {goal.goal}" if len(plans) > 1 else str(goal.goal)
            rows.append(Row(label, [goal.percent if goal.percent is not None else 0, goal.goal.target_percent],
                            f"{url}?goal={goal.goal.pk}"))  # fmt: skip
    annual = next((p for p in plans if p.kind == PlanKind.ANNUAL), plans[0] if plans else None)
    return [
        Panel(
            key="training-coverage",
            title=_("Training coverage"),
            columns=[_("reached (%)"), _("target (%)")],
            rows=rows,
            chart="hbar",
            percent=True,
            summary=_("%(reached)s of %(goals)s goals reached")
            % {"reached": sum(1 for r in rows if r.values[0] >= r.values[1]), "goals": len(rows)}
            if rows
            else "",
            link=reverse("training:coverage", args=[annual.pk]) if annual else reverse("training:manage"),
            link_label=_("Training coverage") if annual else _("Training plans and courses"),
            empty=_("No training plan of this congress runs today."),
        )
    ]

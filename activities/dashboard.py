"""The activities panel of the staff dashboard: this year's activities held by the congress (organised or
co-organised), per kind, with its own deputies' participation and what became of the findings.

Counted live (no aggregate view, so no as-of label): a congress holds tens to a few hundred activities a year, and
the three aggregates below read them through the (congress, starts_on) index, the invitations of those activities
and their findings; a province's panel does not read its counties' activities. Four queries whatever the numbers.

The figures, as the panel states them:
- held: activities that began this year, by today, and got under way (under way, report submitted or closed);
- participation: of the congress's own deputies who accepted an invitation to those activities, the share present
  at one sitting at least (attended ÷ accepted);
- findings: of the findings of those activities, how many became a suggestion draft, and how many were referred
  to a unit.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress.dashboard import Panel, Row, View

from .models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    AttendanceStatus,
    Finding,
    Invitation,
    InvitationStatus,
    OutcomeKind,
)

HELD = (ActivityStatus.UNDER_WAY, ActivityStatus.REPORTED, ActivityStatus.CLOSED)


def panels(view: View) -> list[Panel]:
    return [activities_held(view)]


def held_activities(congress, today: date):
    """The congress's activities (organising or co-organising) held this year up to today."""
    return Activity.objects.filter(
        Q(congress=congress) | Q(pk__in=Activity.co_congresses.through.objects.filter(congress=congress)
                                 .values("activity_id")),
        starts_on__gte=date(today.year, 1, 1), starts_on__lte=today, status__in=HELD,
    )  # fmt: skip


def activities_held(view: View) -> Panel:
    held = held_activities(view.congress, view.today)
    per_kind = dict(held.order_by().values_list("kind_id").annotate(n=Count("pk")))
    present = Attendance.objects.filter(invitation=OuterRef("pk"), status=AttendanceStatus.PRESENT)
    invitations = (
        Invitation.objects.filter(activity__in=held, mandate__congress=view.congress, status=InvitationStatus.ACCEPTED)
        .annotate(present=Exists(present))
        .order_by()
        .values_list("activity__kind_id")
        .annotate(accepted=Count("pk"), attended=Count("pk", filter=Q(present=True)))
    )
    taking_part = {kind: (accepted, attended) for kind, accepted, attended in invitations}
    findings = {
        kind: (total, drafted, referred)
        for kind, total, drafted, referred in Finding.objects.filter(activity__in=held)
        .order_by()
        .values_list("activity__kind_id")
        .annotate(
            total=Count("pk"),
            drafted=Count("pk", filter=Q(outcome__kind=OutcomeKind.DRAFT)),
            referred=Count("pk", filter=Q(outcome__kind=OutcomeKind.REFERRAL)),
        )
    }
    manage = reverse("activities:manage")
    rows = []
    for code, name in ActivityKind.objects.filter(code__in=set(per_kind) | set(findings)).values_list("code", "name"):
        accepted, attended = taking_part.get(code, (0, 0))
        total, drafted, referred = findings.get(code, (0, 0, 0))
        rows.append(Row(name, [per_kind.get(code, 0), accepted, attended, total, drafted, referred],
                        manage + "?" + urlencode({"kind": code})))  # fmt: skip
    sums = [sum(row.values[i] for row in rows) for i in range(6)]
    held_n, accepted, attended, total, drafted, referred = sums
    parts = [_("%(n)s held this year") % {"n": held_n}]
    if accepted:
        parts.append(_("participation %(rate)s%% (%(attended)s of %(accepted)s deputies who accepted attended)") % {
            "rate": round(100 * attended / accepted, 1), "attended": attended, "accepted": accepted})  # fmt: skip
    if total:
        parts.append(_("%(drafted)s of %(total)s findings turned into suggestions, %(referred)s referred to units") % {
            "drafted": drafted, "total": total, "referred": referred})  # fmt: skip
    return Panel(
        key="activities-held",
        title=_("Activities held, %(year)s") % {"year": view.today.year},
        columns=[
            _("held"),
            _("deputies who accepted"),
            _("of them attended"),
            _("findings"),
            _("turned into suggestions"),
            _("referred to units"),
        ],  # fmt: skip
        rows=rows,
        summary="; ".join(parts) if rows else "",
        link=manage,
        link_label=_("Activities"),
        empty=_("No activity of this congress was held this year yet."),
    )

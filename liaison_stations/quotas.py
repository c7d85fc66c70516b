"""A deputy's yearly duty at the stations against the congress's quotas (at least 4 station visits, 2 receptions,
10 voter contacts and 1 report to voters a year, and a group activity every quarter, all policies): what each deputy
has done, what is due by the end of a quarter, and who is behind. Read by the quota pages and the quarterly reminder.

Where the numbers come from: station visits and receptions (visits receiving citizens, a held reception day among
them) from the visit log; voter contacts and reports to voters from the duty record (履职档案); group activities
from both (a group activity at a station, or one staff entered in the record)."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from congress import policies
from deputies.models import DutyEntry

from .models import Activity

VOTER_CONTACT = "voter_contact"  # duty item codes (deputies' catalogue)
REPORT_TO_VOTERS = "report_to_voters"
GROUP_ACTIVITY = "group_activity"


@dataclass(frozen=True)
class Quota:
    name: str
    policy: str
    label: str
    quarterly: bool = False  # a quota per quarter rather than per year


QUOTAS = [
    Quota("visits", "station.visits_per_year", _("station visits")),
    Quota("receptions", "station.receptions_per_year", _("receptions")),
    Quota("contacts", "station.voter_contacts_per_year", _("voter contacts")),
    Quota("reports", "station.reports_per_year", _("reports to voters")),
    Quota("groups", "station.group_activities_per_quarter", _("group activities"), quarterly=True),
]
SHARES = {1: "station.quota_share_q1", 2: "station.quota_share_q2", 3: "station.quota_share_q3"}
VISITS = QUOTAS[0]
# The annotation each quota's done count is compared on in SQL (remind_duty_quotas annotates group_total).
DONE_FIELDS = {"visits": "visit_count", "receptions": "reception_count", "contacts": "contact_total",
               "reports": "report_total", "groups": "group_total"}  # fmt: skip


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarter_target(quota, share) -> int:
    """What a yearly quota asks by a quarter's end: its share, in whole units, rounded down (so a yearly report is
    not asked for in March). The last quarter asks for the whole quota."""
    return math.floor(Decimal(quota) * Decimal(share) / 100)


def targets(quota: Quota, quarter: int) -> dict:
    """What each congress's deputies must have done of quota by the end of the quarter, as {target: Q on the
    mandate's congress}: a yearly quota's share for the quarter (all of it in the fourth), a quarterly quota whole."""
    if quota.quarterly or quarter == 4:
        return policies.partition([quota.policy], int)
    return policies.partition([quota.policy, SHARES[quarter]], quarter_target)


def behind_q(targets_by_field: dict) -> Q:
    """Mandates below the target of at least one count: {annotation: {target: Q on the congress}}. A target of
    zero asks for nothing and is left out; nothing asked at all matches no mandate."""
    behind = Q(pk__in=[])
    for name, groups in targets_by_field.items():
        for target, congresses in groups.items():
            if target > 0:
                behind |= congresses & Q(**{f"{name}__lt": target})
    return behind


def live_with_login():
    """The live mandates of deputies with an active login: whom the quarterly reminders may reach."""
    from deputies.models import Mandate, MandateStatus

    # No ordering: the mandates' default one joins their terms, which an aggregate over all of them does not need.
    return Mandate.objects.filter(
        status=MandateStatus.ACTIVE, person__user__isnull=False, person__user__is_active=True
    ).order_by()


def _entries(kind: str, **dates):
    entries = (
        DutyEntry.objects.filter(mandate=OuterRef("pk"), kind_id=kind, **dates)
        .order_by()
        .values("mandate")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(entries, output_field=DecimalField()), Value(Decimal(0)))


def with_counts(mandates, year: int, quarter: int | None):
    """The mandates with what they did in the year: visits, receptions, contacts, reports; and group activities in
    the quarter (or in the whole year when quarter is None)."""
    if quarter is None:
        first, last = date(year, 1, 1), date(year, 12, 31)
    else:
        first, last = quarter_dates(year, quarter)
    group_visits = Count(
        "visits",
        filter=Q(visits__activity=Activity.GROUP, visits__visited_at__date__gte=first,
                 visits__visited_at__date__lte=last),
    )  # fmt: skip
    return mandates.annotate(
        visit_count=Count("visits", filter=Q(visits__year=year)),
        reception_count=Count("visits", filter=Q(visits__year=year, visits__activity=Activity.RECEPTION)),
        group_visit_count=group_visits,
        contact_total=_entries(VOTER_CONTACT, year=year),
        report_total=_entries(REPORT_TO_VOTERS, year=year),
        group_entry_total=_entries(GROUP_ACTIVITY, date__gte=first, date__lte=last),
    )


COUNTS = ["visit_count", "reception_count", "group_visit_count", "contact_total", "report_total", "group_entry_total"]


def done(counts) -> dict:
    """What a mandate did, by quota name, from its counts (a row of with_counts' values)."""
    return {
        "visits": counts["visit_count"],
        "receptions": counts["reception_count"],
        "contacts": int(counts["contact_total"]),
        "reports": int(counts["report_total"]),
        "groups": counts["group_visit_count"] + int(counts["group_entry_total"]),
    }


def values(congress_ids) -> dict:
    """Each congress's quotas, by congress id and quota name."""
    ids = set(congress_ids)
    by_quota = {quota.name: policies.per_congress(quota.policy, ids) for quota in QUOTAS}
    return {pk: {name: int(by_quota[name][pk]) for name in by_quota} for pk in ids}


def progress(mandates, year: int, today: date) -> list[dict]:
    """Each mandate's duty in a year against its congress's quotas: rows of the mandate and its items (label, done,
    quota). Group activities are those of the current quarter for this year, of the whole year for another year
    (against four quarters' quota)."""
    quarter = quarter_of(today) if year == today.year else None
    rows = list(
        with_counts(mandates.select_related("person", "congress"), year, quarter).order_by("person__name", "pk")
    )
    quotas = values(m.congress_id for m in rows)
    result = []
    for mandate in rows:
        counts = done({name: getattr(mandate, name) for name in COUNTS})
        wanted = quotas[mandate.congress_id]
        items = []
        for quota in QUOTAS:
            target = wanted[quota.name] * (4 if quota.quarterly and quarter is None else 1)
            label = quota.label
            if quota.quarterly:
                label = _("group activities this quarter") if quarter else _("group activities this year")
            items.append({"name": quota.name, "label": label, "done": counts[quota.name], "quota": target,
                          "behind": counts[quota.name] < target})  # fmt: skip
        result.append({"mandate": mandate, "visits": counts["visits"], "quota": wanted["visits"], "items": items,
                       "behind": any(item["behind"] for item in items)})  # fmt: skip
    return result

"""The station panels of the staff dashboard: this year's duty visits against the quota per region below the
congress, read from an aggregate view refreshed every 15 minutes (its rows are per congress, not per deputy), and
citizens' opinions still open by age, counted live over the open opinions' index range."""

from datetime import timedelta
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congress import policies, replica, scope, tallies
from congress.dashboard import Panel, Row, View
from congress.models import Region
from deputies.models import Mandate, MandateStatus

from .models import CitizenOpinion, OpinionStatus, Visit

# (label, youngest age in days, oldest age in days or None)
VIEWS = ["liaison_stations_tally_visits"]

OPINION_AGES = [
    (lambda: _("up to 7 days"), 0, 7),
    (lambda: _("8 to 30 days"), 8, 30),
    (lambda: _("31 to 90 days"), 31, 90),
    (lambda: _("over 90 days"), 91, None),
]


def panels(view: View) -> list[Panel]:
    return [visits_against_quota(view), open_opinions_by_age(view)]


def visits_against_quota(view: View) -> Panel:
    """Per region one level below the congress: its deputies' visits this year against their yearly quotas."""
    region, year = view.congress.region, view.today.year
    children = dict(Region.objects.filter(parent=region).values_list("code", "name"))
    child_length = len(next(iter(children), region.code)) if children else len(region.code)
    if tallies.live():
        counts = _counts_from_rows(view, region, year, child_length)
    else:
        # Staff see the deputies of their congress's region (deputies/rules.py), the same set as this prefix.
        with connections[replica.read_alias()].cursor() as cursor:  # raw SQL: ask the router
            cursor.execute(
                """SELECT substr(region_code, 1, %s), length(region_code), congress_id, visits, sum(deputies)::int
                   FROM liaison_stations_tally_visits WHERE year = %s AND region_code LIKE %s
                   GROUP BY 1, 2, 3, 4""",
                [child_length, year, region.code + "%"],
            )
            counts = cursor.fetchall()
    quotas = policies.per_congress("station.visits_per_year", {row[2] for row in counts})
    areas: dict[str, dict] = {}
    for prefix, own_length, congress_id, visit_count, deputies in counts:
        # The congress's own deputies sit at its region's code, shorter than a child's.
        code = prefix if own_length >= child_length else region.code
        quota = int(quotas[congress_id])
        area = areas.setdefault(code, {"deputies": 0, "visits": 0, "quota": 0, "met": 0})
        area["deputies"] += deputies
        area["visits"] += visit_count * deputies
        area["quota"] += quota * deputies
        if visit_count >= quota:
            area["met"] += deputies
    quota_url = reverse("liaison_stations:quota")
    rows = []
    for code in sorted(areas):
        area = areas[code]
        label = children.get(code) or _("%(region)s (own deputies)") % {"region": region.name}
        url = quota_url + "?" + urlencode({"region": code, "year": year, "behind": "on"})
        rows.append(Row(label, [area["visits"], area["quota"], area["met"], area["deputies"]], url))
    total_quota = sum(a["quota"] for a in areas.values())
    total_visits = sum(a["visits"] for a in areas.values())
    summary = (
        _("%(visits)s of %(quota)s visits this year (%(rate)s%%)")
        % {"visits": total_visits, "quota": total_quota, "rate": round(100 * total_visits / total_quota, 1)}
        if total_quota
        else ""
    )
    return Panel(
        as_of=tallies.as_of(VIEWS),
        key="station-visit-quota",
        title=_("Station visits against the quota, %(year)s") % {"year": year},
        columns=[_("visits"), _("quota"), _("deputies who met it"), _("deputies")],
        rows=rows,
        summary=summary,
        link=quota_url + "?" + urlencode({"region": region.code, "year": year}),
        link_label=_("Station visits against quota"),
        empty=_("No active deputy in this congress's region."),
    )


def _counts_from_rows(view: View, region, year: int, child_length: int) -> list[tuple]:
    """(code prefix, code length, congress, visits, deputies) counted from the mandates and visits themselves:
    where no aggregate view exists (SQLite)."""
    mandates = (
        scope.visible(view.user, Mandate)
        .filter(status=MandateStatus.ACTIVE, region_code__startswith=region.code)
        .order_by()
        .values(mid=F("pk"), cid=F("congress_id"), code=F("region_code"))
    )
    mandates_sql, params = mandates.query.sql_with_params()
    # Each deputy's visits counted in one pass over the year's visits and joined by hash: a count per deputy
    # (a correlated subquery) would probe the visit index once for every one of a province's deputies.
    with connections[replica.read_alias()].cursor() as cursor:  # raw SQL: ask the router
        cursor.execute(
            f"""SELECT substr(m.code, 1, %s), length(m.code), m.cid, coalesce(v.n, 0), count(*)
                FROM ({mandates_sql}) AS m
                LEFT JOIN (SELECT mandate_id, count(*) AS n FROM {Visit._meta.db_table} WHERE year = %s
                           GROUP BY mandate_id) AS v ON v.mandate_id = m.mid
                GROUP BY 1, 2, 3, 4""",
            [child_length, *params, year],
        )
        return cursor.fetchall()


def open_opinions_by_age(view: View) -> Panel:
    """Citizens' opinions not yet closed with feedback, by days since they were received."""
    today, region = view.today, view.congress.region
    opinions = scope.visible(view.user, CitizenOpinion).filter(region_code__startswith=region.code)
    opinions = opinions.exclude(status=OpinionStatus.CLOSED)
    buckets = {}
    for index, (_label, youngest, oldest) in enumerate(OPINION_AGES):
        received = Q(received_at__date__lte=today - timedelta(days=youngest))
        if oldest is not None:
            received &= Q(received_at__date__gte=today - timedelta(days=oldest))
        buckets[f"b{index}"] = Count("id", filter=received)
    counts = opinions.aggregate(**buckets)
    ledger = reverse("liaison_stations:ledger")
    rows = []
    for index, (label, youngest, oldest) in enumerate(OPINION_AGES):
        params = {"region": region.code, "open": "on", "received_to": (today - timedelta(days=youngest)).isoformat()}
        if oldest is not None:
            params["received_from"] = (today - timedelta(days=oldest)).isoformat()
        rows.append(Row(label(), [counts[f"b{index}"]], ledger + "?" + urlencode(params)))
    return Panel(
        key="opinions-open-by-age",
        title=_("Citizens' opinions open, by age"),
        columns=[_("opinions")],
        rows=rows,
        summary=_("%(count)s open") % {"count": sum(counts.values())},
        link=ledger + "?" + urlencode({"region": region.code, "open": "on"}),
        link_label=_("Opinion ledger"),
    )

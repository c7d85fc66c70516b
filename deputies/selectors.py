"""Reads of the roster used in several places, always through congress.scope."""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from congress import policies, scope

from .models import ContactAssignment, DutyEntry, Mandate, MandateStatus, Occupation


def roster(user):
    """Mandates the user may see, ready for list pages (no per-row queries)."""
    return scope.visible(user, Mandate).select_related(
        "person__ethnic_group", "person__party", "congress", "term", "delegation", "group", "electoral_unit"
    )


def composition(mandates) -> dict:
    """Counts by the categories of the official composition statistics (live mandates only)."""
    live = mandates.exclude(status=MandateStatus.ENDED)
    totals = live.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(person__gender="F")),
        minorities=Count("id", filter=~Q(person__ethnic_group_id="01")),
        grassroots=Count("id", filter=Q(person__grassroots=True)),
        returned_overseas=Count("id", filter=Q(person__returned_overseas=True)),
        cpc=Count("id", filter=Q(person__party_id__in=["01", "02"])),
    )
    occupations = Counter(dict(live.values_list("person__occupation").annotate(n=Count("id")).order_by()))
    levels = Counter(dict(live.values_list("level").annotate(n=Count("id")).order_by()))
    total = totals["total"] or 0

    def share(count):
        return round(100 * count / total, 2) if total else 0.0

    return {
        "total": total,
        "shares": {key: share(value) for key, value in totals.items() if key != "total"},
        "counts": totals,
        "occupations": {
            code: {"count": occupations.get(code, 0), "share": share(occupations.get(code, 0))}
            for code in Occupation.values
        },
        "levels": dict(levels),
    }


def composition_targets(congress) -> dict:
    """The shares the congress compares its roster against (policy values)."""
    return {
        "women": policies.policy(congress, "composition.women_share"),
        "minorities": policies.policy(congress, "composition.minority_share"),
        "worker_farmer": policies.policy(congress, "composition.worker_farmer_share"),
    }


def yearly_points(mandates, year: int) -> dict[int, Decimal]:
    """Each mandate's points for a year, computed from its duty entries and the catalogue."""
    worth = ExpressionWrapper(
        F("quantity") * F("kind__points"), output_field=DecimalField(max_digits=12, decimal_places=2)
    )
    totals = {mandate_id: Decimal(0) for mandate_id in mandates.values_list("id", flat=True)}
    rows = (
        DutyEntry.objects.filter(mandate__in=mandates, year=year)
        .values("mandate_id")
        .annotate(points=Sum(worth))
        .order_by()
    )
    for row in rows:
        totals[row["mandate_id"]] = row["points"] or Decimal(0)
    return totals


def pairs_with_counts(pairs, year: int):
    """Active contact pairs of live mandates, each with `contacts` this year and its congress's `quota`."""
    rows = list(
        pairs.filter(active=True, mandate__status=MandateStatus.ACTIVE)
        .annotate(contacts=Count("records", filter=Q(records__date__year=year)))
        .select_related("member", "mandate__person", "congress")
        .order_by("contacts", "member_id", "id")
    )
    quotas = {}
    for pair in rows:
        pair.quota = quotas.setdefault(pair.congress_id, policies.policy(pair.congress, "contact.per_year"))
    return rows


def contact_coverage(user, congress, year: int | None = None) -> dict:
    """Pairs below the yearly contact quota, and grassroots deputies no member is assigned to."""
    year = year or timezone.localdate().year
    quota = policies.policy(congress, "contact.per_year")
    pairs = pairs_with_counts(scope.visible(user, ContactAssignment).filter(congress=congress), year)
    behind = [pair for pair in pairs if pair.contacts < pair.quota]
    unassigned = (
        scope.visible(user, Mandate)
        .filter(congress=congress, status=MandateStatus.ACTIVE, person__grassroots=True)
        .exclude(contacts__active=True)
        .select_related("person")
    )
    return {"quota": quota, "year": year, "behind": behind, "unassigned_grassroots": unassigned}


def public_roster(*, q: str = "", level: str = ""):
    """Who represents people where: the active deputies, with their congress, constituency or electoral unit,
    delegation and group (a congress publishes its roster; nothing personal is read here)."""
    mandates = (
        Mandate.objects.filter(status=MandateStatus.ACTIVE)
        .select_related("person", "congress", "electoral_unit", "delegation", "group")
        .only("id", "level", "region_code", "person__name", "congress__name", "electoral_unit__name",
              "delegation__name", "group__name")
        .order_by("region_code", "level", "person__name", "id")
    )  # fmt: skip
    if level:
        mandates = mandates.filter(level=level)
    if q:
        mandates = mandates.filter(
            Q(person__name__contains=q) | Q(electoral_unit__name__contains=q) | Q(congress__region__name__contains=q)
            | Q(congress__name__contains=q) | Q(delegation__name__contains=q)
        )  # fmt: skip
    return mandates

"""Reads of the roster used in several places, always through congress.scope."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress import policies, scope
from congress.models import Congress, Level

from . import scoring
from .models import (
    ContactAssignment,
    DutyEntry,
    DutyKind,
    Grade,
    GroupMembership,
    Mandate,
    MandateStatus,
    Occupation,
    Person,
    PointsItem,
)


def roster(user):
    """Mandates the user may see, ready for list pages (no per-row queries)."""
    return (
        scope.visible(user, Mandate)
        .select_related("person__ethnic_group", "person__party", "congress", "term", "delegation", "electoral_unit")
        .prefetch_related("memberships__group")
    )


def composition(mandates) -> dict:
    """Counts by the categories of the official composition statistics (live mandates only)."""
    live = mandates.exclude(status=MandateStatus.ENDED)
    # One pass over the live mandates and their persons for every count (three passes before, issue 25).
    counted = live.aggregate(
        total=Count("id"),
        women=Count("id", filter=Q(person__gender="F")),
        minorities=Count("id", filter=~Q(person__ethnic_group_id="01")),
        grassroots=Count("id", filter=Q(person__grassroots=True)),
        returned_overseas=Count("id", filter=Q(person__returned_overseas=True)),
        cpc=Count("id", filter=Q(person__party_id__in=["01", "02"])),
        **{f"occupation_{code}": Count("id", filter=Q(person__occupation=code)) for code in Occupation.values},
        **{f"level_{code}": Count("id", filter=Q(level=code)) for code in Level.values},
    )
    totals = {key: value for key, value in counted.items() if not key.startswith(("occupation_", "level_"))}
    occupations = {code: counted[f"occupation_{code}"] for code in Occupation.values}
    levels = {code: counted[f"level_{code}"] for code in Level.values if counted[f"level_{code}"]}
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


def catalogue(congress_ids) -> dict[int, dict[str, scoring.Item]]:
    """Each congress's points catalogue, in catalogue order: its own items, and the shared default for any kind
    it has no item for (a kind added later, a congress created in bulk)."""
    defaults = {k.code: scoring.Item(k.code, k.name, k.points, k.cap) for k in DutyKind.objects.all()}
    result = {congress_id: dict(defaults) for congress_id in congress_ids}
    for item in PointsItem.objects.filter(congress_id__in=list(result)).select_related("kind"):
        result[item.congress_id][item.kind_id] = scoring.Item(item.kind_id, item.kind.name, item.points, item.cap)
    return result


def yearly_evaluations(mandates, year: int) -> dict[int, scoring.Evaluation]:
    """Each mandate's evaluation for a year: score on 100, per-item breakdown with caps, and grade."""
    owners = dict(mandates.values_list("id", "congress_id"))
    quantities = defaultdict(dict)
    rows = (
        DutyEntry.objects.filter(mandate_id__in=list(owners), year=year)
        .values_list("mandate_id", "kind_id")
        .annotate(quantity=Sum("quantity"))
        .order_by()
    )
    for mandate_id, kind_id, quantity in rows:
        quantities[mandate_id][kind_id] = quantity
    congresses = {c.pk: c for c in Congress.objects.filter(pk__in=set(owners.values()))}
    catalogues = catalogue(congresses)
    rules = {
        pk: [policies.policy(c, key) for key in ("duty.points_base", "duty.points_good", "duty.points_fair")]
        for pk, c in congresses.items()
    }
    result = {}
    for mandate_id, congress_id in owners.items():
        base, good, fair = rules[congress_id]
        evaluation = scoring.evaluate(base, catalogues[congress_id], quantities.get(mandate_id, {}))
        evaluation.grade = scoring.grade(evaluation.score, good, fair)
        evaluation.good_from, evaluation.fair_from = good, fair
        result[mandate_id] = evaluation
    return result


def points_report(mandates, year: int) -> dict[int, dict]:
    """Each mandate's evaluation as the API and the pages show it."""
    result = {}
    for mandate_id, evaluation in yearly_evaluations(mandates, year).items():
        result[mandate_id] = {
            "year": year,
            "points": evaluation.score,
            "score": evaluation.score,
            "base": evaluation.base,
            "additions": evaluation.additions,
            "deductions": evaluation.deductions,
            "grade": evaluation.grade,
            "grade_label": Grade(evaluation.grade).label,
            "good_from": evaluation.good_from,
            "fair_from": evaluation.fair_from,
            "lines": evaluation.lines,
        }
    return result


def with_unit_points(entries):
    """Duty entries with `unit_points`: what one unit is worth in the catalogue of the entry's congress."""
    item = PointsItem.objects.filter(congress_id=OuterRef("mandate__congress_id"), kind_id=OuterRef("kind_id"))
    return entries.annotate(unit_points=Coalesce(Subquery(item.values("points")[:1]), F("kind__points")))


def yearly_points(mandates, year: int) -> dict[int, Decimal]:
    """Each mandate's score (0–100) for a year."""
    return {pk: evaluation.score for pk, evaluation in yearly_evaluations(mandates, year).items()}


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


def assigned_deputies(user):
    """The contact pairs a standing-committee member holds now: their list of deputies to keep in touch with."""
    return ContactAssignment.objects.filter(member=user, active=True, mandate__status=MandateStatus.ACTIVE)


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
        .select_related("person", "congress", "electoral_unit", "delegation")
        .only("id", "level", "region_code", "person__name", "congress__name", "electoral_unit__name",
              "delegation__name")
        .prefetch_related("memberships__group")
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


class Row(dict):
    """A row read with values_list(), answering what the API serializers ask of a model instance: a primary-key
    field reads `<name>_id` through `serializable_value`, a dotted source walks the nested dicts."""

    def serializable_value(self, name):
        return self[f"{name}_id"]


MANDATE_EXPORT_COLUMNS = (
    "id", "person_id", "congress_id", "congress__name", "term_id", "term__number", "level", "electoral_unit_id",
    "delegation_id", "start_date", "status", "end_date", "end_reason", "updated_at",
)  # fmt: skip


def attach_export_rows(user, persons) -> None:
    """Give a chunk of exported persons what the API shows nested in each (`visible_mandates`, the mandates user
    may see, and `tag_list`) as plain rows, two queries per chunk: the prefetches build three model instances per
    mandate, which cost a full roster export most of its time. Rows come in the prefetches' order (the models'
    default ordering), so the export shows what the list shows."""
    ids = [person.pk for person in persons]
    mandates, tags = defaultdict(list), defaultdict(list)
    visible = scope.visible(user, Mandate).filter(person_id__in=ids).values_list(*MANDATE_EXPORT_COLUMNS)
    rows = []
    for values in visible:
        row = Row(zip(MANDATE_EXPORT_COLUMNS, values, strict=True))
        row["congress"], row["term"] = {"name": row["congress__name"]}, {"number": row["term__number"]}
        row["memberships"] = []
        mandates[row["person_id"]].append(row)
        rows.append(row)
    by_mandate = {row["id"]: row for row in rows}
    memberships = GroupMembership.objects.filter(mandate_id__in=list(by_mandate)).order_by("group", "id")
    for mandate_id, group_id, name, kind, role in memberships.values_list(
        "mandate_id", "group_id", "group__name", "group__kind", "role"
    ):
        by_mandate[mandate_id]["memberships"].append({"group": {"id": group_id, "name": name, "kind": kind},
                                                      "role": role})  # fmt: skip
    for row in rows:
        listed = row["memberships"]
        first = ([m for m in listed if m["group"]["kind"] == "regional"] or listed or [None])[0]
        row["legacy_group_id"] = first["group"]["id"] if first else None
    tagged = Person.tags.through.objects.filter(person_id__in=ids).order_by("tag__kind", "tag__name", "tag_id")
    for person_id, tag_id, kind, name in tagged.values_list("person_id", "tag_id", "tag__kind", "tag__name"):
        tags[person_id].append({"id": tag_id, "kind": kind, "name": name})
    for person in persons:
        person.visible_mandates = mandates[person.pk]
        person.tag_list = tags[person.pk]

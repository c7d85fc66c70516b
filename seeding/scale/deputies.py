"""The roster's part of `manage.py seed_scale`: persons, mandates at every level, delegations, groups and
duty entries, written with batched inserts."""

import time
from datetime import date, timedelta

from django.db import connection, transaction

from deputies import idnumbers
from deputies.models import (
    Delegation,
    DeputyGroup,
    DutyEntry,
    GroupKind,
    GroupMembership,
    GroupRole,
    Mandate,
    MandateStatus,
    Person,
)
from seeding.demo.deputies import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

# Share of persons whose first mandate is at each level (county and township deputies are most numerous).
LEVEL_SHARES = [("township", 0.55), ("county", 0.30), ("municipal", 0.11), ("provincial", 0.04)]
OCCUPATIONS = ["worker_farmer"] * 4 + ["professional"] * 3 + ["cadre"] * 2 + ["manager", "other"]
DUTY_KINDS = ["inspection", "group_activity", "suggestion", "station_visit", "report_to_voters"]


def add_arguments(parser) -> None:
    parser.add_argument("--deputies", type=int, default=10_000, help="Persons to generate (mandates ≈ 1.3×)")
    parser.add_argument("--duty-entries", type=int, default=3, help="Duty entries per mandate")


def seed(context) -> None:
    wanted = context.options["deputies"]
    province = context.province
    existing = Mandate.objects.filter(congress__region__code__startswith=province.code).count()
    if existing or not wanted:
        context.report.append(("mandates (kept)", existing, 0.0))
        return
    rng = context.rng
    started = time.perf_counter()
    congresses = context.congresses
    with transaction.atomic():
        delegations, groups, professional = _bodies(context)
        counties = [c.region.code for c in congresses["county"]]
        persons = []
        for index in range(wanted):
            prefix = counties[index % len(counties)]
            born = date(1958, 1, 1) + timedelta(days=(index // len(counties)) % 12_000)
            female = rng.random() < 0.3
            sequence = (index // (len(counties) * 12_000)) * 2 + (0 if female else 1)
            persons.append(
                Person(
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN_FEMALE if female else GIVEN_MALE),
                    gender="F" if female else "M",
                    ethnic_group_id="01" if rng.random() < 0.85 else rng.choice(["03", "04", "15", "17", "26"]),
                    birth_date=born,
                    id_number=idnumbers.make(prefix, born, sequence),
                    party_id=rng.choice(["01"] * 6 + ["05", "06", "12", "13", "13"]),
                    education=rng.choice(["postgraduate", "undergraduate", "undergraduate", "college", "secondary"]),
                    occupation=rng.choice(OCCUPATIONS),
                    work_unit="某单位职工",
                    grassroots=rng.random() < 0.5,
                    phone=f"139{rng.randint(10_000_000, 99_999_999)}",
                )
            )
        Person.objects.bulk_create(persons, batch_size=5000)
        context.timed("persons", len(persons), started)

        started = time.perf_counter()
        mandates = []
        for person in persons:
            level = _pick_level(rng)
            levels = [level] + (["township"] if level == "county" and rng.random() < 0.75 else [])
            levels += ["county"] if level == "municipal" and rng.random() < 0.6 else []
            for each in levels:
                congress = rng.choice(congresses[each])
                term = context.terms[congress.pk]
                mandates.append(
                    Mandate(
                        person_id=person.pk, congress=congress, term=term, level=each, start_date=term.start_date,
                        delegation_id=rng.choice(delegations) if each == "provincial" else None,
                    )
                )  # fmt: skip
        for mandate in rng.sample(mandates, len(mandates) // 100):  # about 1% ended during the term
            mandate.status, mandate.end_date, mandate.end_reason = "ended", date(2024, 6, 30), "moved_out"
        Mandate.objects.bulk_create(mandates, batch_size=5000)
        context.timed("mandates", len(mandates), started)

        started = time.perf_counter()
        memberships = _memberships(rng, mandates, groups, professional)
        GroupMembership.objects.bulk_create(memberships, batch_size=10_000)
        context.timed("group memberships", len(memberships), started)

        started = time.perf_counter()
        per = context.options["duty_entries"]
        entries = [
            DutyEntry(mandate_id=m.pk, kind_id=rng.choice(DUTY_KINDS), date=date(2025, 1 + n % 12, 1 + n % 28),
                      year=2025, title="履职活动")
            for m in mandates
            for n in range(per)
        ]  # fmt: skip
        DutyEntry.objects.bulk_create(entries, batch_size=10_000)
        context.timed("duty entries", len(entries), started)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE deputies_person; ANALYZE deputies_mandate; ANALYZE deputies_dutyentry")


def _pick_level(rng) -> str:
    roll, total = rng.random(), 0.0
    for level, share in LEVEL_SHARES:
        total += share
        if roll < total:
            return level
    return LEVEL_SHARES[0][0]


def _bodies(context):
    provincial = context.congresses["provincial"][0]
    term = context.terms[provincial.pk]
    Delegation.objects.bulk_create(
        [
            Delegation(congress=provincial, term=term, name=f"{c.region.name}代表团")
            for c in context.congresses["municipal"]
        ],
        ignore_conflicts=True,
    )
    delegations = list(Delegation.objects.filter(term=term).values_list("id", flat=True))
    DeputyGroup.objects.bulk_create(
        [
            DeputyGroup(congress=c, term=context.terms[c.pk], name=f"第{n}代表小组")
            for c in context.congresses["county"]
            for n in range(1, 4)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    DeputyGroup.objects.bulk_create(
        [
            DeputyGroup(congress=c, term=context.terms[c.pk], name=name, kind=GroupKind.PROFESSIONAL, remit=remit)
            for c in context.congresses["county"]
            for name, remit in PROFESSIONAL_GROUPS
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    groups: dict[int, list[int]] = {}
    professional: dict[int, list[int]] = {}
    rows = DeputyGroup.objects.filter(congress__in=context.congresses["county"]).values_list(
        "id", "congress_id", "kind"
    )
    for group_id, congress_id, kind in rows:
        (groups if kind == GroupKind.REGIONAL else professional).setdefault(congress_id, []).append(group_id)
    return delegations, groups, professional


def active_by_congress(code: str, *fields: str) -> dict[int, list]:
    """The province's active mandates above township level, grouped by congress in id order: their ids, or with
    fields, tuples of the id and those fields (what the activity parts invite from)."""
    pools: dict[int, list] = {}
    rows = (
        Mandate.objects.filter(congress__region__code__startswith=code, status=MandateStatus.ACTIVE)
        .exclude(level="township")
        .order_by("congress_id", "id")
        .values_list("congress_id", "id", *fields)
    )
    for congress_id, *values in rows:
        pools.setdefault(congress_id, []).append(tuple(values) if fields else values[0])
    return pools


PROFESSIONAL_GROUPS = [("法制专业小组", "法制"), ("财经专业小组", "财经")]


def _memberships(rng, mandates, groups, professional) -> list:
    """Each county deputy in one regional group; about one in ten also in a professional group, the first
    of each professional group its leader."""
    led: set[int] = set()
    rows = []
    for mandate in mandates:
        congress_id = mandate.congress_id
        if congress_id in groups:
            rows.append(GroupMembership(group_id=rng.choice(groups[congress_id]), mandate_id=mandate.pk))
        if congress_id in professional and rng.random() < 0.1:
            group_id = rng.choice(professional[congress_id])
            role = GroupRole.MEMBER if group_id in led else GroupRole.LEADER
            led.add(group_id)
            rows.append(GroupMembership(group_id=group_id, mandate_id=mandate.pk, role=role))
    return rows

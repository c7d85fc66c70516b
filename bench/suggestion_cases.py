"""Benchmark cases of suggestions on provincial data from seed_scale: the deadline reminder sweep as the stored
suggestions grow tenfold, a busy unit's portal, and the statistics page of the provincial congress."""

import io
import math
import statistics
import time
from collections import Counter
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import seeding.scale.suggestions
from congress import deadlines, policies
from congress.models import Congress, Deadline, Notification, Organisation, Role, RoleMembership, User
from congress.workdays import Calendar
from suggestions import selectors
from suggestions.models import Assignment, Suggestion
from suggestions.views import common as page_settings

from .harness import Result, count_queries, median_ms, p50_p95_ms, scaled, signed_in, tasks_queued

PROVINCE = "61"  # Shaanxi: apart from the core and roster cases (62) and the stations' (63)
SIZES = scaled(full=[100_000, 1_000_000], small=[10_000, 100_000], tiny=[100, 1_000])
DEPUTIES = scaled(full=100_000, small=20_000, tiny=300)
CANDIDATES = (
    "SELECT * FROM congress_deadline WHERE met_at IS NULL AND cancelled_at IS NULL AND due_date <= %s "
    "AND reminded_stage < 4 ORDER BY due_date, id"
)


def grow(total: int) -> int:
    """The province with `total` suggestions (seed_scale adds only the difference)."""
    if Suggestion.objects.filter(region_code__startswith=PROVINCE).count() < total:
        call_command(
            "seed_scale", "--province", PROVINCE, "--deputies", str(DEPUTIES), "--stations", "0", "--opinions", "0",
            "--duty-entries", "0", "--suggestions", str(total), stdout=io.StringIO(),
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE suggestions_suggestion, suggestions_assignment, congress_deadline")
    return Suggestion.objects.filter(region_code__startswith=PROVINCE).count()


def _horizon(today):
    """The sweep's horizon with the default reminder policy (the bench congresses override nothing)."""
    return Calendar.load().add_workdays(today, int(policies.policy(None, "reminder.first_before"))).date


def _percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank: the same sample as harness.p50_p95_ms picks of 20 runs, the
    slowest of a few)."""
    samples = sorted(samples)
    return statistics.median(samples), samples[math.ceil(len(samples) * 0.95) - 1]


def _all_queries(func) -> int:
    """Queries func makes, without the 9,000-entry cap of the debug query log that count_queries reads."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        func()
    return count


def suggestion_reminder_sweep() -> list[Result]:
    """deadlines.sweep() over the suggestions' open deadlines with yesterday's reminders sent: its first run of
    the day (today's reminders, delivered inline) and a repeat run (nothing left to send), as the stored
    suggestions grow tenfold. Reference: the sweep's one read, the candidate query, run alone."""
    today = timezone.localdate()
    results = []
    for wanted in SIZES:
        results += _sweep_at(grow(wanted), today, base=results[1].figure_ms if results else None)
    Notification.objects.filter(key__startswith="deadline:").delete()
    return results


def _sweep_at(total: int, today, base: float | None) -> list[Result]:
    # Today's reminder stages, whatever ran before (the core's sweep case clears the deadline table).
    seeding.scale.suggestions.rebuild_deadlines(PROVINCE, today)
    Notification.objects.filter(key__startswith="deadline:").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE congress_deadline")
    horizon = _horizon(today)
    candidates = Deadline.objects.open().filter(due_date__lte=horizon, reminded_stage__lt=Deadline.Stage.OVERDUE)
    snapshot = list(candidates.values_list("pk", "reminded_stage"))
    stages = {}
    for pk, stage in snapshot:
        stages.setdefault(stage, []).append(pk)

    def restore():
        # Back to the morning: yesterday's stages, window deadlines open again, today's reminders unsent, and
        # the dead rows of the last run vacuumed away (as autovacuum would overnight).
        for stage, pks in stages.items():
            Deadline.objects.filter(pk__in=pks).update(reminded_stage=stage, met_at=None)
        Notification.objects.filter(key__startswith="deadline:").delete()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE congress_deadline")

    def first_run():
        restore()
        start = time.perf_counter()
        claimed = deadlines.sweep(today=today)
        return (time.perf_counter() - start) * 1000, claimed

    with tasks_queued() as queued:
        runs = [first_run() for _ in range(scaled(full=3, small=5, tiny=1))]
        claimed = runs[0][1]
        first_p50, first_p95 = _percentiles([ms for ms, _ in runs])
        restore()
        queued_before = queued() if queued else 0
        first_queries = _all_queries(lambda: deadlines.sweep(today=today))
        messages = queued() - queued_before if queued else None
        sent = Notification.objects.filter(key__startswith="deadline:").count()
        repeat_p50, repeat_p95 = p50_p95_ms(lambda: deadlines.sweep(today=today), runs=15)
        repeat_queries = count_queries(lambda: deadlines.sweep(today=today))

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(CANDIDATES, [horizon])
            cursor.fetchall()

    ref_ms = median_ms(reference)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + CANDIDATES, [horizon])
        plan = cursor.fetchone()[0][0]["Plan"]
    restore()
    common = {
        "suggestions": total, "assignments": Assignment.objects.filter(region_code__startswith=PROVINCE).count(),
        "deadlines_stored": Deadline.objects.count(), "deadlines_open": Deadline.objects.open().count(),
        "rows_read": len(snapshot), "index": _index_of(plan),
    }  # fmt: skip
    reference = "the candidate query alone (open, due within the horizon, a stage left to send)"
    return [
        Result(
            name=f"suggestion sweep {total // 1000:,}k (first run)",
            app="suggestions",
            size=total,
            figure_ms=first_p50,
            reference=reference,
            reference_ms=ref_ms,
            ratio=first_p50 / ref_ms,
            queries=first_queries,
            notes={
                **common,
                "p95_ms": round(first_p95, 1),
                "runs": len(runs),
                "claimed": claimed,
                "notifications": sent,
                "ms_per_claim": round(first_p50 / max(claimed, 1), 2),
                "queries_per_claim": round(first_queries / max(claimed, 1), 1),
                "batches": math.ceil(claimed / deadlines.BATCH),
                "queries_per_batch": round(first_queries / max(math.ceil(claimed / deadlines.BATCH), 1), 1),
                "deliveries": "queued on Redis" if messages is not None else "inline",
                "messages_queued": messages,
            },
        ),
        Result(
            name=f"suggestion sweep {total // 1000:,}k (repeat run)",
            app="suggestions",
            size=total,
            figure_ms=repeat_p50,
            reference=reference,
            reference_ms=ref_ms,
            ratio=repeat_p50 / ref_ms,
            queries=repeat_queries,
            target_max=3.0,
            notes={
                **common,
                "p95_ms": round(repeat_p95, 1),
                "vs_smallest": round(repeat_p50 / (base or repeat_p50), 2),
            },
        ),
    ]


def _index_of(plan: dict) -> str:
    """The index the plan reads the deadlines through (or the scan type)."""
    if "Index Name" in plan:
        return plan["Index Name"]
    for child in plan.get("Plans", []):
        found = _index_of(child)
        if found:
            return found
    return plan.get("Node Type", "")


def _member(username: str, role: str, **anchor) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"name": username})
    RoleMembership.objects.get_or_create(user=user, role=role, **anchor)
    return user


def suggestion_unit_portal() -> Result:
    """The busiest unit's portal page (`suggestions:unit`, first page of 50, soonest due first) against the
    raw SQL of the same count and page; its query count at page sizes 20 and 100 must be the same."""
    total = grow(SIZES[-1])
    unit_id, assigned = (
        Assignment.objects.filter(region_code__startswith=PROVINCE)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    unit = Organisation.objects.get(pk=unit_id)
    user = _member(f"bench_unit_{unit_id}", Role.UNIT_OFFICER, organisation=unit)
    client = signed_in(user)
    url = reverse("suggestions:unit")

    def app():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    sql_count = "SELECT COUNT(*) FROM suggestions_assignment WHERE unit_id = %s"
    sql_page = (
        "SELECT a.*, s.*, c.*, m.*, p.*, o.* FROM suggestions_assignment a "
        "JOIN suggestions_suggestion s ON s.id = a.suggestion_id "
        "LEFT JOIN suggestions_category c ON c.id = s.category_id "
        "JOIN deputies_mandate m ON m.id = s.lead_id JOIN deputies_person p ON p.id = m.person_id "
        "JOIN congress_organisation o ON o.id = a.unit_id WHERE a.unit_id = %s "
        "ORDER BY a.reply_due ASC NULLS LAST, a.id LIMIT 50"
    )

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql_count, [unit_id])
            cursor.fetchone()
            cursor.execute(sql_page, [unit_id])
            cursor.fetchall()

    app_p50, app_p95 = p50_p95_ms(app)
    ref_ms = median_ms(reference)
    by_size = {}
    for size in (20, 100):
        # The pages' size is a setting of the views; the count of queries must not follow it.
        with mock.patch.object(page_settings, "PAGE_SIZE", size):
            by_size[size] = count_queries(app)
    selector = {
        size: count_queries(lambda size=size: list(selectors.unit_portal(User.objects.get(pk=user.pk))[:size]))
        for size in (20, 100)
    }
    return Result(
        name=f"unit portal page ({assigned:,} assigned)",
        app="suggestions",
        size=assigned,
        figure_ms=app_p50,
        reference="raw SQL: the same count and page of 50 with its joins",
        reference_ms=ref_ms,
        ratio=app_p50 / ref_ms,
        queries=count_queries(app),
        target_max=3.0,
        notes={
            "p95_ms": round(app_p95, 1),
            "unit": unit.name,
            "suggestions": total,
            "queries_page_20": by_size[20],
            "queries_page_100": by_size[100],
            "selector_queries_20": selector[20],
            "selector_queries_100": selector[100],
        },  # fmt: skip
    )


def suggestion_statistics() -> list[Result]:
    """The provincial congress's statistics: the selector (five queries whatever the size) against the same SQL
    run raw, and the page that renders it."""
    total = grow(SIZES[-1])
    congress = Congress.objects.get(region__code=PROVINCE)
    own = Suggestion.objects.filter(congress=congress).count()
    user = _member("bench_suggestion_staff", Role.STAFF, congress=congress)
    with CaptureQueriesContext(connection) as captured:
        selectors.statistics(congress)
    statements = [query["sql"] for query in captured.captured_queries]

    def reference():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    ref_ms = median_ms(reference)
    selector_p50, selector_p95 = p50_p95_ms(lambda: selectors.statistics(congress))
    client = signed_in(user)
    url = f"{reverse('suggestions:statistics')}?congress={congress.pk}"

    def page():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    page_p50, page_p95 = p50_p95_ms(page)
    notes = {"suggestions_of_congress": own, "suggestions_in_province": total}
    return [
        Result(
            name=f"statistics selector ({own:,} of the province)",
            app="suggestions",
            size=own,
            figure_ms=selector_p50,
            reference="the same SQL statements run raw",
            reference_ms=ref_ms,
            ratio=selector_p50 / ref_ms,
            queries=count_queries(lambda: selectors.statistics(congress)),
            target_max=1.5,
            notes={**notes, "p95_ms": round(selector_p95, 1)},
        ),
        Result(
            name=f"statistics page ({own:,} of the province)",
            app="suggestions",
            size=own,
            figure_ms=page_p50,
            reference="the selector's SQL statements run raw",
            reference_ms=ref_ms,
            ratio=page_p50 / ref_ms,
            queries=count_queries(page),
            notes={**notes, "p95_ms": round(page_p95, 1)},
        ),
    ]


def suggestion_submit_throughput() -> Result:
    """Suggestions per second that signed-in deputies submit through the real form (`suggestions:new` with
    Submit: the form with its category, session and co-signer choices, the draft, the completeness and motion
    checks, the transition with its audit record and the outbox notice) under gunicorn with the production
    settings, against a bare Django view on the same server writing the same submitted row in one INSERT."""
    from django.conf import settings
    from django.test import Client
    from django.utils.http import urlencode

    from deputies.models import Mandate, MandateStatus
    from suggestions.models import Category, Status

    from . import load

    grow(SIZES[0])
    congress = Congress.objects.get(region__code=PROVINCE)
    mandates = list(
        Mandate.objects.filter(congress=congress, status=MandateStatus.ACTIVE, person__user__isnull=False)
        .select_related("person__user")
        .order_by("pk")[:16]
    )
    parents = Category.objects.filter(congress=congress, parent__isnull=False).values("parent_id")
    category = Category.objects.filter(congress=congress, is_active=True).exclude(pk__in=parents).order_by("pk")[0]
    csrf = "d" * 32
    cookies = []
    for mandate in mandates:
        user = mandate.person.user
        # A deputy's account holds the deputy role in their congress, as onboarding gives it.
        RoleMembership.objects.get_or_create(user=user, role=Role.DEPUTY, congress=congress)
        client = Client()
        client.force_login(user)
        cookies.append(f"{settings.CSRF_COOKIE_NAME}={csrf}; {settings.SESSION_COOKIE_NAME}="
                       f"{client.cookies[settings.SESSION_COOKIE_NAME].value}")  # fmt: skip
    requests = scaled(full=2000, small=600, tiny=20)
    warmup = scaled(full=60, small=60, tiny=4)

    def plan(count: int) -> list[tuple[dict, str]]:
        made = []
        for n in range(count):
            mandate = mandates[n % len(mandates)]
            body = urlencode({
                "mandate": mandate.pk, "kind": "suggestion", "title": f"关于加强农村道路养护的建议（{n}）",
                "content": "部分村道年久失修，雨季通行困难，建议将村道养护纳入县级财政预算并明确管护责任。",
                "category": category.pk, "submit": "1",
            })  # fmt: skip
            headers = {"Cookie": cookies[n % len(mandates)], "X-CSRFToken": csrf,
                       "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
            made.append((headers, body))
        return made

    leads = [mandate.pk for mandate in mandates]
    submitted = Suggestion.objects.filter(lead_id__in=leads, status=Status.SUBMITTED)
    with load.as_deployed() as tasks, load.gunicorn() as port:
        load.post_each(port, "/bench/bare-suggestion", plan(warmup))
        load.post_each(port, "/suggestions/new/", plan(warmup))
        before = submitted.count()
        bare = load.post_each(port, "/bench/bare-suggestion", plan(requests))
        middle = submitted.count()
        app = load.post_each(port, "/suggestions/new/", plan(requests))
        after = submitted.count()
    accepted = sum(1 for status in app["statuses"] if status == 302)
    assert middle - before == requests, ("bare view lost rows", Counter(bare["statuses"]))
    assert accepted == requests == after - middle, {"accepted": accepted, "stored": after - middle,
                                                    "statuses": Counter(app["statuses"])}  # fmt: skip
    return Result(
        name="suggestion submit throughput",
        app="suggestions",
        size=Suggestion.objects.filter(region_code__startswith=PROVINCE).count(),
        figure_ms=1000 / app["rps"],
        reference="bare Django view: the signed-in deputy's submitted row in one INSERT, no checks "
        "(2 gunicorn workers, 8 threads)",
        reference_ms=1000 / bare["rps"],
        ratio=app["rps"] / bare["rps"],
        queries=0,
        target_min=0.5,
        notes={
            "app_rps": round(app["rps"], 1),
            "bare_rps": round(bare["rps"], 1),
            "requests": requests,
            "deputies": len(mandates),
            "accepted": accepted,
            "stored": after - middle,
            "tasks": tasks,
        },  # fmt: skip
    )


CASES = [suggestion_reminder_sweep, suggestion_unit_portal, suggestion_statistics, suggestion_submit_throughput]

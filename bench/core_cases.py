"""Benchmark cases of the shared core."""

import time
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from congress import deadlines
from congress.models import Congress, Deadline, Organisation, Region, Role, RoleMembership, User
from congress.workdays import Calendar

from .harness import Result, count_queries, median_ms, scaled, signed_in

PAGE = 50


def _structure() -> tuple[Congress, User]:
    country = Region.objects.get(code="")
    province, _ = Region.objects.get_or_create(
        code="62", defaults={"name": "甘肃省", "level": "province", "parent": country}
    )
    congress, _ = Congress.objects.get_or_create(region=province, defaults={"name": "甘肃省人民代表大会"})
    user, _ = User.objects.get_or_create(username="bench_staff", defaults={"is_staff": True})
    RoleMembership.objects.get_or_create(user=user, role=Role.STAFF, congress=congress)
    return congress, user


def _organisations(province: Region, wanted: int) -> None:
    have = Organisation.objects.filter(region__code__startswith=province.code).count()
    if have >= wanted:
        return
    cities = []
    for index in range(1, 15):
        city, _ = Region.objects.get_or_create(
            code=f"{province.code}{index:02d}", defaults={"name": f"市{index}", "level": "city", "parent": province}
        )
        cities.append(city)
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"承办单位{number}", kind="handling_unit", unit_category="government", region=cities[number % 14]
            )
            for number in range(have, wanted)
        ],
        batch_size=5000,
    )


def organisation_list_api() -> Result:
    """The organisation list API for a provincial staff user against the raw SQL for the same page."""
    size = scaled(full=50_000, small=5_000, tiny=200)
    congress, user = _structure()
    _organisations(congress.region, size)
    client = signed_in(user)
    url = f"/api/v1/organisations/?page_size={PAGE}&page=3"

    def app():
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]

    prefix = congress.region.code + "%"
    sql_count = (
        "SELECT COUNT(*) FROM congress_organisation o JOIN congress_region r ON r.id = o.region_id WHERE r.code LIKE %s"
    )
    sql_page = (
        "SELECT o.* FROM congress_organisation o JOIN congress_region r ON r.id = o.region_id "
        "WHERE r.code LIKE %s ORDER BY r.code, o.kind, o.name LIMIT %s OFFSET %s"
    )

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql_count, [prefix])
            cursor.fetchone()
            cursor.execute(sql_page, [prefix, PAGE, PAGE * 2])
            cursor.fetchall()

    app_ms, ref_ms = median_ms(app), median_ms(reference)
    return Result(
        name="organisation list api",
        app="congress",
        size=size,
        figure_ms=app_ms,
        reference="raw SQL count + page of the same rows",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=count_queries(app),
        target_max=3.0,
    )


def reminder_sweep_growth() -> list[Result]:
    """The sweep with a fixed number of due deadlines while the stored history grows 10x, 100x, 1000x."""
    due_count = 50
    sizes = scaled(full=[1_000, 10_000, 100_000, 1_000_000], small=[1_000, 10_000, 100_000], tiny=[100, 1_000])
    congress, _ = _structure()
    region_type = ContentType.objects.get_for_model(Region)
    today = date(2026, 11, 23)
    calendar = Calendar.load()
    far = calendar.add_months(today, 3).date
    soon = calendar.add_workdays(today, 3).date
    Deadline.objects.all().delete()
    results, stored, base_ms = [], 0, None
    for size in sizes:
        history = size - stored
        # History: met deadlines from past years and open ones far beyond the reminder horizon.
        rows = [
            Deadline(
                content_type=region_type,
                object_id=1_000_000 + stored + index,
                kind="bench.history",
                congress=congress,
                start_date=today - timedelta(days=400),
                period_value=3,
                period_unit="months",
                due_date=(today - timedelta(days=300)) if index % 2 else far,
                provisional=False,
                met_at=None if index % 2 == 0 else "2025-10-01T00:00:00Z",
            )
            for index in range(history - (due_count if stored == 0 else 0))
        ]
        if stored == 0:
            rows += [
                Deadline(
                    content_type=region_type,
                    object_id=index + 1,
                    kind="bench.due",
                    congress=congress,
                    start_date=today,
                    period_value=3,
                    period_unit="workdays",
                    due_date=soon,
                )
                for index in range(due_count)
            ]
        Deadline.objects.bulk_create(rows, batch_size=10_000)
        stored = size
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE congress_deadline")

        def sweep():
            Deadline.objects.filter(kind="bench.due").update(reminded_stage=0)
            start = time.perf_counter()
            claimed = deadlines.sweep(today=today)
            assert claimed == due_count, claimed
            return time.perf_counter() - start

        for _ in range(scaled(full=2, small=2, tiny=1)):
            sweep()
        samples = sorted(sweep() * 1000 for _ in range(scaled(full=7, small=7, tiny=1)))
        queries = count_queries(sweep)
        figure = samples[len(samples) // 2]
        base_ms = base_ms or figure
        results.append(
            Result(
                name=f"reminder sweep {size:,} stored",
                app="congress",
                size=size,
                figure_ms=figure,
                reference=f"the same sweep over {sizes[0]:,} stored ({due_count} due)",
                reference_ms=base_ms,
                ratio=figure / base_ms,
                queries=queries,
                target_max=2.0,
                notes={"due": due_count, "rows_read": due_count},
            )
        )
    from congress.models import Notification

    Notification.objects.filter(key__startswith="deadline:").delete()
    Deadline.objects.filter(kind__startswith="bench.").delete()
    return results


CASES = [organisation_list_api, reminder_sweep_growth]


def api_throughput() -> Result:
    """Requests per second of the organisation list API under load, against a bare view doing the same query
    work (bench/wsgi.py) on the same gunicorn."""
    from congress import services
    from congress.models import ApiClient

    from . import load

    congress, staff = _structure()
    organisations = scaled(full=5_000, small=5_000, tiny=200)
    _organisations(congress.region, organisations)
    ApiClient.objects.filter(name="bench-load").delete()
    _, token = services.create_api_client(actor=None, name="bench-load", congress=congress, scopes=["reference:read"],
                                          owner=staff, rate_per_minute=10_000_000)  # fmt: skip
    requests = scaled(full=4000, small=1500, tiny=40)
    auth = {"Authorization": f"Bearer {token}"}
    with load.gunicorn() as port:
        load.load(port, "/bench/bare-organisations", auth, requests=scaled(full=200, small=200, tiny=10))  # warm-up
        bare = load.load(port, "/bench/bare-organisations", auth, requests=requests)
        app = load.load(port, "/api/v1/organisations/?page_size=50", auth, requests=requests)
    assert app["errors"] == 0 and bare["errors"] == 0, (app, bare)
    return Result(
        name="organisation list api throughput",
        app="congress",
        size=organisations,
        figure_ms=1000 / app["rps"],
        reference="bare view: same token lookup, count and page SQL, json.dumps (2 gunicorn workers, 8 threads)",
        reference_ms=1000 / bare["rps"],
        ratio=app["rps"] / bare["rps"],
        queries=0,
        target_min=0.5,
        notes={"app_rps": round(app["rps"], 1), "bare_rps": round(bare["rps"], 1), "requests": requests},
    )


CASES.append(api_throughput)

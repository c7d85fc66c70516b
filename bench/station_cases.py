"""Benchmark cases of the station network (issue: liaison stations): the opinion ledger filtered by region and
status, and the quarterly visit-quota sweep."""

import io
import os
from collections import Counter
from datetime import date

from django.core.management import call_command
from django.db import connection

from congress.models import Congress, Region, Role, RoleMembership, User
from liaison_stations import services
from liaison_stations.models import CitizenOpinion, Station

from .harness import Result, count_queries, median_ms, p50_p95_ms, scaled, signed_in, tasks_queued

PROVINCE = "63"  # Qinghai: its own province, so the roster cases' data stay apart


def seed_data():
    stations = scaled(full=15_000, small=1_500, tiny=30)
    opinions = scaled(full=2_000_000, small=200_000, tiny=2_000)
    # About 1.3 mandates per person and one in twenty left unstationed: 110k persons → about 130k stationed.
    deputies = scaled(full=110_000, small=11_000, tiny=300)
    if not Station.objects.filter(region_code__startswith=PROVINCE).exists():
        call_command(
            "seed_scale", "--province", PROVINCE, "--deputies", str(deputies), "--stations", str(stations),
            "--opinions", str(opinions), "--duty-entries", "0", stdout=io.StringIO(),
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE liaison_stations_citizenopinion, liaison_stations_station")
            cursor.execute("VACUUM ANALYZE liaison_stations_visit, liaison_stations_stationing, deputies_mandate")
    congress = Congress.objects.get(region__code=PROVINCE)
    user, _ = User.objects.get_or_create(username="bench_station_staff", defaults={"is_staff": True})
    RoleMembership.objects.get_or_create(user=user, role=Role.STAFF, congress=congress)
    return congress, user


def opinion_ledger() -> Result:
    """The ledger page (台账) for a city and a status, against the raw SQL of the same count and page."""
    congress, user = seed_data()
    city = Region.objects.filter(code__startswith=PROVINCE, level="city").order_by("code").first()
    client = signed_in(user)
    url = f"/stations/ledger/?region={city.code}&status=referred"

    def app():
        response = client.get(url)
        assert response.status_code == 200

    sql_count = (
        "SELECT COUNT(*) FROM liaison_stations_citizenopinion WHERE region_code LIKE %s AND region_code LIKE %s "
        "AND status = %s"
    )
    sql_page = (
        "SELECT o.*, s.name, u.name FROM liaison_stations_citizenopinion o "
        "LEFT JOIN liaison_stations_station s ON s.id = o.station_id "
        "LEFT JOIN congress_organisation u ON u.id = o.referred_unit_id "
        "WHERE o.region_code LIKE %s AND o.region_code LIKE %s AND o.status = %s "
        "ORDER BY o.received_at DESC, o.id DESC LIMIT 50"
    )

    def reference():
        with connection.cursor() as cursor:
            params = [congress.region.code + "%", city.code + "%", "referred"]
            cursor.execute(sql_count, params)
            cursor.fetchone()
            cursor.execute(sql_page, params)
            cursor.fetchall()

    app_p50, app_p95 = p50_p95_ms(app)
    ref_ms = median_ms(reference)
    total = CitizenOpinion.objects.count()
    return Result(
        name=f"opinion ledger {total // 1000}k",
        app="liaison_stations",
        size=total,
        figure_ms=app_p50,
        reference="raw SQL: the same count and page of 50",
        reference_ms=ref_ms,
        ratio=app_p50 / ref_ms,
        queries=count_queries(app),
        target_max=3.0,
        notes={"p95_ms": round(app_p95, 1), "filter": f"region {city.code}, status referred"},
    )


def visit_quota_sweep() -> list[Result]:
    """The quarterly reminder to deputies behind their visit quota: first run (sends), second run (sends none),
    against the one aggregate query that finds who is behind."""
    import time

    from congress.models import Notification

    seed_data()
    year = date.today().year
    today = date(year, 6, 1)
    Notification.objects.filter(key=f"station-quota:{year}-Q2").delete()
    with connection.cursor() as cursor:
        # What the sweep joins, after the other cases' loads (their congresses, persons and logins) and the delete.
        cursor.execute("ANALYZE congress_congress, deputies_person, congress_user, congress_notification")
    live = "SELECT COUNT(*) FROM deputies_mandate m JOIN deputies_person p ON p.id = m.person_id "
    aggregate = (
        "SELECT m.id, p.user_id, COUNT(v.id) FROM deputies_mandate m JOIN deputies_person p ON p.id = m.person_id "
        "LEFT JOIN liaison_stations_visit v ON v.mandate_id = m.id AND v.year = %s "
        "WHERE m.status = 'active' AND p.user_id IS NOT NULL GROUP BY m.id, p.user_id HAVING COUNT(v.id) < 2"
    )

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(aggregate, [year])
            cursor.fetchall()

    ref_ms = median_ms(reference, runs=5, warmup=1)
    first_queries_holder = {}

    def first():
        first_queries_holder["sent"] = services.remind_visit_quota(today)

    with tasks_queued() as queued:
        start = time.perf_counter()
        first_queries = count_queries(first)
        first_ms = (time.perf_counter() - start) * 1000
        messages = queued() if queued else None
        start = time.perf_counter()
        second_queries = count_queries(lambda: services.remind_visit_quota(today))
        second_ms = (time.perf_counter() - start) * 1000
    with connection.cursor() as cursor:
        cursor.execute(live + "WHERE m.status = 'active'")
        mandates = cursor.fetchone()[0]
    sent = first_queries_holder["sent"]
    return [
        Result(
            name="visit quota sweep (first run)",
            app="liaison_stations",
            size=mandates,
            figure_ms=first_ms,
            reference="the aggregate query alone (who is behind)",
            reference_ms=ref_ms,
            ratio=first_ms / ref_ms,
            queries=first_queries,
            target_max=10.0,
            notes={
                "reminders_sent": sent,
                "deliveries": "queued on Redis" if messages is not None else "inline",
                "messages_queued": messages,
            },  # fmt: skip
        ),
        Result(
            name="visit quota sweep (repeat run)",
            app="liaison_stations",
            size=mandates,
            figure_ms=second_ms,
            reference="the aggregate query alone (who is behind)",
            reference_ms=ref_ms,
            ratio=second_ms / ref_ms,
            queries=second_queries,
            notes={"reminders_sent": 0},
        ),
    ]


def _bench_redis():
    """Database 15 of the local Redis, emptied, or None when there is no Redis to use."""
    from types import SimpleNamespace

    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.RedisError:
        return None
    return SimpleNamespace(url=url, client=client)


def opinion_submit_throughput() -> Result:
    """Citizens' opinions per second through the real public form (challenge, honeypot, per-address and per-phone
    limits, validation, the triage deadline, audit, the notification task) under gunicorn with the production
    settings, against a bare Django form view writing the same row in one INSERT. Every request uses its own
    phone; the address limit is raised for the run (all requests come from 127.0.0.1) but still counted."""
    import random

    from django.conf import settings
    from django.core import signing

    from congress.abuse import SALT

    from . import load

    seed_data()
    station = Station.objects.filter(region_code__startswith=PROVINCE, is_active=True).order_by("id").first()
    requests = scaled(full=3000, small=1000, tiny=40)
    warmup = scaled(full=100, small=100, tiny=5)
    csrf = "c" * 32
    headers = {"Cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}", "X-CSRFToken": csrf,
               "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
    token = signing.dumps(7, salt=SALT)
    rng = random.Random()  # unseeded: each run's phones and keys are new to the stored opinions
    run = f"{rng.randrange(16**8):08x}"

    def body(n: int) -> str:
        from urllib.parse import urlencode

        return urlencode({
            "citizen_name": "群众", "phone": f"139{rng.randrange(10**8):08d}", "category": "urban",
            "content": f"小区路灯损坏，夜间出行不便，请尽快维修。（第{n}条）", "challenge": token, "answer": "7",
            "website": "", "submission_key": f"bench-{run}-{n}",
        })  # fmt: skip

    app_path, bare_path = f"/stations/s/{station.slug}/opinion/", f"/bench/bare-opinion/{station.slug}"
    before = CitizenOpinion.objects.count()
    # As deployed: the notification task goes to the Redis broker (not run inline, as elsewhere in the bench) and
    # the limits are counted in the shared Redis cache; a database of its own, emptied afterwards.
    broker = _bench_redis()
    overrides = {"PUBLIC_RATE_PER_IP": "10000000/h"}
    if broker is not None:
        overrides.update(REDIS_URL=broker.url, CELERY_TASK_ALWAYS_EAGER="0")
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        with load.gunicorn() as port:
            load.post_each(port, bare_path, [(headers, body(n)) for n in range(warmup)])
            load.post_each(port, app_path, [(headers, body(n)) for n in range(warmup)])
            warm = CitizenOpinion.objects.count()
            bare = load.post_each(port, bare_path, [(headers, body(n)) for n in range(requests)])
            middle = CitizenOpinion.objects.count()
            app = load.post_each(port, app_path, [(headers, body(n)) for n in range(requests)])
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value
        if broker is not None:
            broker.client.flushdb()
    accepted = sum(1 for status in app["statuses"] if status == 302)
    stored = CitizenOpinion.objects.count() - middle
    assert warm - before == 2 * warmup and middle - warm == requests, ("bare view lost rows", Counter(bare["statuses"]))
    assert accepted == requests == stored, {"accepted": accepted, "stored": stored, "statuses": set(app["statuses"])}
    return Result(
        name="opinion submit throughput",
        app="liaison_stations",
        size=middle,
        figure_ms=1000 / app["rps"],
        reference="bare Django form view: the same row in one INSERT, no checks (2 gunicorn workers, 8 threads)",
        reference_ms=1000 / bare["rps"],
        ratio=app["rps"] / bare["rps"],
        queries=0,
        target_min=0.5,
        notes={
            "app_rps": round(app["rps"], 1),
            "bare_rps": round(bare["rps"], 1),
            "requests": requests,
            "accepted": accepted,
            "stored": stored,
            "tasks": "queued on Redis" if broker is not None else "run inline (no Redis)",
        },  # fmt: skip
    )


CASES = [opinion_ledger, visit_quota_sweep, opinion_submit_throughput]

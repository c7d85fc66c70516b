"""The station network's part of `manage.py seed_scale`: stations, stationings, visits and citizens' opinions
in every state, written with COPY (congress.bulk) rather than one save per row."""

import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from congress import bulk
from congress.models import Organisation
from deputies.models import Mandate
from liaison_stations.models import CitizenOpinion, Station, Stationing, Visit, new_token

KINDS = ["station"] * 6 + ["point"] * 3 + ["home", "online"]
STATES = [
    # status, route, share
    ("received", "", 0.05),
    ("answered", "answered", 0.05),
    ("referred", "referred", 0.08),
    ("unit_replied", "referred", 0.04),
    ("to_suggestion", "to_suggestion", 0.03),
    ("declined", "declined", 0.02),
    ("closed", "answered", 0.53),
    ("closed", "referred", 0.20),
]
CATEGORIES = ["economy", "urban", "rural", "environment", "education", "health", "welfare", "safety", "governance"]


def add_arguments(parser) -> None:
    parser.add_argument("--stations", type=int, default=1_500, help="Liaison stations to generate")
    parser.add_argument("--opinions", type=int, default=20_000, help="Citizens' opinions to generate")
    parser.add_argument("--visits", type=int, default=2, help="Station visits per stationed deputy this year")


def seed(context) -> None:
    province = context.province
    if Station.objects.filter(region_code__startswith=province.code).exists():
        context.report.append(
            ("stations (kept)", Station.objects.filter(region_code__startswith=province.code).count(), 0.0)
        )
        return
    rng = context.rng
    wanted = context.options["stations"]
    if not wanted:
        return
    started = time.perf_counter()
    townships = list(context.congresses["township"])
    counties = {c.region.code: c for c in context.congresses["county"]}
    rows = []
    for index in range(wanted):
        congress = townships[index % len(townships)] if index % 5 else list(counties.values())[index % len(counties)]
        kind = KINDS[index % len(KINDS)]
        rows.append((
            f"{congress.region.name}第{index}号{'网上联络站' if kind == 'online' else '代表联络站'}", kind,
            "central" if index % 5 == 0 else "ordinary", congress.pk, congress.region_id, congress.region.code,
            "general", "" if kind == "online" else f"{congress.region.name}人民路{index}号",
            round(35.0 + rng.random() * 5, 6), round(100.0 + rng.random() * 6, 6), rng.choice([0, 0, 3, 4, 5]),
            True, new_token(), "https://example.cn/online" if kind == "online" else "",
        ))  # fmt: skip
    with transaction.atomic():
        bulk.copy_insert(
            Station,
            [
                "name",
                "kind",
                "tier",
                "congress_id",
                "region_id",
                "region_code",
                "theme",
                "address",
                "latitude",
                "longitude",
                "stars",
                "is_active",
                "slug",
                "online_url",
            ],  # fmt: skip
            rows,
        )
    context.timed("stations", wanted, started)
    _logins(context)
    _stationings(context)
    _opinions(context)


def _logins(context) -> None:
    """Give every generated deputy a login (the quota reminder goes to people who can sign in)."""
    from django.db import connection

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO congress_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
            "is_active, date_joined, name, phone) "
            "SELECT '!', false, 'scale-' || p.id, '', '', '', false, true, now(), p.name, '' FROM deputies_person p "
            "WHERE p.user_id IS NULL AND EXISTS (SELECT 1 FROM deputies_mandate m JOIN congress_congress c "
            "ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id "
            "WHERE m.person_id = p.id AND r.code LIKE %s) ON CONFLICT (username) DO NOTHING",
            [context.province.code + "%"],
        )
        created = cursor.rowcount
        cursor.execute(
            "UPDATE deputies_person p SET user_id = u.id FROM congress_user u "
            "WHERE p.user_id IS NULL AND u.username = 'scale-' || p.id"
        )
    context.timed("deputy logins", created, started)


def _stationings(context) -> None:
    started = time.perf_counter()
    by_region = {}
    for pk, code in Station.objects.filter(region_code__startswith=context.province.code).values_list(
        "pk", "region_code"
    ):
        by_region.setdefault(code[:6], []).append(pk)
    today = timezone.localdate()
    rows, visits = [], []
    now = timezone.now()
    mandates = Mandate.objects.filter(congress__region__code__startswith=context.province.code, status="active")
    for pk, code in mandates.values_list("pk", "congress__region__code").iterator(chunk_size=20_000):
        candidates = by_region.get(code[:6]) or by_region.get(next(iter(by_region)))
        if pk % 20 == 19:
            continue  # about one deputy in twenty is left unstationed, as in real coverage gaps
        station = candidates[pk % len(candidates)]
        rows.append((station, pk, today - timedelta(days=300), None, now, now))
        for n in range(context.options["visits"]):
            visited = now - timedelta(days=(pk + n * 37) % max(1, today.timetuple().tm_yday - 1))
            visits.append((pk, station, None, "reception", visited, visited.year, 5, "", "portal", False, "", "",
                           None, now, now))  # fmt: skip
    with transaction.atomic():
        bulk.copy_insert(
            Stationing, ["station_id", "mandate_id", "start_date", "end_date", "created_at", "updated_at"], rows
        )
        bulk.copy_insert(
            Visit,
            [
                "mandate_id",
                "station_id",
                "reception_id",
                "activity",
                "visited_at",
                "year",
                "citizens_received",
                "topics",
                "channel",
                "flagged",
                "flag_reason",
                "submission_key",
                "recorded_by_id",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            visits,
        )
    context.timed("stationings", len(rows), started)
    context.timed("visits", len(visits), started)


def _opinions(context) -> None:
    wanted = context.options["opinions"]
    if not wanted:
        return
    started = time.perf_counter()
    rng = context.rng
    stations = list(
        Station.objects.filter(region_code__startswith=context.province.code).values_list(
            "pk", "congress_id", "region_code"
        )
    )
    units = list(Organisation.objects.filter(kind="handling_unit").values_list("pk", flat=True)) or [None]
    now = timezone.now()
    cumulative, total = [], 0.0
    for state in STATES:
        total += state[2]
        cumulative.append((total, state))
    fields = [
        "tracking_code", "station_id", "congress_id", "region_code", "channel", "citizen_name", "phone", "category",
        "content", "received_at", "status", "route", "triaged_at", "answer", "referred_unit_id", "referral_due",
        "unit_reply", "unit_replied_at", "decline_reason", "feedback", "feedback_at", "closed_at", "submission_key",
        "created_at", "updated_at",
    ]  # fmt: skip
    batch = []
    for index in range(wanted):
        station, congress, code = stations[index % len(stations)]
        pick = rng.random() * total
        status, route = next(state for bound, state in cumulative if pick <= bound)[:2]
        received = now - timedelta(minutes=index * 3 % (5 * 365 * 24 * 60))
        triaged = received + timedelta(days=2) if route else None
        referred = route == "referred"
        replied = referred and status in ("unit_replied", "closed")
        closed = status == "closed"
        batch.append((
            f"S{index:09d}"[-10:], station, congress, code, "station_page", "", f"139{index % 100_000_000:08d}",
            CATEGORIES[index % len(CATEGORIES)], "群众反映的问题和建议。", received, status, route, triaged,
            "已解答" if route in ("answered", "to_suggestion", "declined") else "",
            units[index % len(units)] if referred else None,
            (received + timedelta(days=21)).date() if referred else None,
            "已办理" if replied else "", received + timedelta(days=15) if replied else None,
            "litigation" if route == "declined" else "", "已反馈" if closed else "",
            received + timedelta(days=20) if closed else None, received + timedelta(days=20) if closed else None, "",
            received, received,
        ))  # fmt: skip
        if len(batch) == 100_000:
            bulk.copy_insert(CitizenOpinion, fields, batch)
            batch = []
    bulk.copy_insert(CitizenOpinion, fields, batch)
    context.timed("citizen opinions", wanted, started)

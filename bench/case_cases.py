"""Excellent-case selection benchmark cases: the public online vote under load, and the tally.

Public voting: 23 candidates with votes already stored (100,000, or 1,000,000 with BENCH_SCALE=full, written
with COPY), then POSTs to the real vote endpoint — served by gunicorn with the production settings on
loopback, every request from its own verified phone — against a bare Django view on the same server that
stores the same row with one INSERT and no checks. Reported: the ratio of requests per second, and whether
the stored counts equal the accepted requests exactly (every tenth request repeats an earlier phone and must
be refused, never counted twice).

Pre-verified phones: the bench writes server-side sessions holding a verified phone, exactly what the
verification page stores after a correct SMS code; production gains no shortcut.

This module is also the WSGI app gunicorn serves (`bench.case_cases:application`): the production app with
one extra route, /bench/bare-vote. Nothing here imports Django models at module level, so gunicorn can load it
before Django is set up."""

import secrets
import time
from datetime import timedelta

from .harness import Result, median_ms, scaled

PROVINCE = "65"  # Xinjiang: apart from the other cases' provinces (61, 62, 63)
CANDIDATES = 23
STORED = scaled(full=1_000_000, small=100_000, tiny=1_000)
REQUESTS = scaled(full=5_000, small=1_500, tiny=40)
WARMUP = scaled(full=200, small=200, tiny=10)
THREADS = 8
CSRF = "b" * 32  # a CSRF secret the client sends as cookie and header, as a browser form does


# The WSGI app gunicorn serves: the production handler, whose requests resolve against the production URLs plus
# the bare view.

_handler = None


def bare_vote(request):
    """The bare Django view: the same row, one INSERT, none of the checks (window, verification, limits)."""
    from django.db import connection
    from django.http import HttpResponseRedirect
    from django.utils import timezone

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cases_publicvote (round_id, submission_id, phone_hash, day, slot, created_at) "
            "VALUES (%s, %s, %s, %s, 1, %s)",
            [int(request.POST["round"]), int(request.POST["submission"]), secrets.token_hex(16),
             timezone.localdate(), timezone.now()],
        )  # fmt: skip
    return HttpResponseRedirect("/")


def _build():
    from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
    from django.urls import include, path

    from congress.wsgi import application as _production  # noqa: F401 - sets Django up

    patterns = (path("bench/bare-vote", bare_vote), path("", include("congress.urls")))

    class BenchRequest(WSGIRequest):
        urlconf = patterns

    class BenchHandler(WSGIHandler):
        request_class = BenchRequest

    return BenchHandler()


def application(environ, start_response):
    global _handler
    if _handler is None:
        _handler = _build()
    return _handler(environ, start_response)


def gunicorn(workers: int = 2):
    """bench.load.gunicorn, serving this module's app."""
    from .load import gunicorn as serve

    return serve(workers, app="bench.case_cases:application")


def post_load(port: int, path: str, requests: list[tuple[str, str]], threads: int = THREADS) -> dict:
    """POST each (cookie header, form body) once, as a browser form would; a vote taken answers 302."""
    from .load import post_each

    headers = {"X-CSRFToken": CSRF, "Content-Type": "application/x-www-form-urlencoded"}
    result = post_each(port, path, [({**headers, "Cookie": cookie}, body) for cookie, body in requests],
                       threads=threads)  # fmt: skip
    return {**result, "accepted": sum(1 for status in result["statuses"] if status == 302)}


# Data


def _data():
    """The province, a campaign with an open public vote on 23 candidates, and the stored votes."""
    from django.db import connection
    from django.utils import timezone

    from cases.models import Campaign, Entry, PublicVote, Round, Submission
    from congress.models import Congress, Organisation, PolicyValue, Region

    country = Region.objects.get(code="")
    region, _ = Region.objects.get_or_create(
        code=PROVINCE, defaults={"name": "新疆维吾尔自治区", "level": "province", "parent": country}
    )
    congress, _ = Congress.objects.get_or_create(region=region, defaults={"name": "新疆维吾尔自治区人民代表大会"})
    unit, _ = Organisation.objects.get_or_create(
        region=region, name="自治区人大常委会选举联络工作委员会",
        defaults={"kind": "working_body", "congress": congress},
    )  # fmt: skip
    # One load generator is one address: lift the hourly limit per address for this congress only.
    PolicyValue.objects.update_or_create(
        congress=congress, key="cases.public_votes_per_address_hour", defaults={"value": 1_000_000_000}
    )
    now = timezone.now()
    campaign, created = Campaign.objects.get_or_create(
        congress=congress, year=now.year, title="示范代表家站点网络投票（基准）",
        defaults={"kind": "station", "status": "selecting", "submissions_open": now.date() - timedelta(days=60),
                  "submissions_close": now.date() - timedelta(days=30), "region_code": PROVINCE},
    )  # fmt: skip
    if created:
        Submission.objects.bulk_create([
            Submission(campaign=campaign, unit=unit, title=f"示范站{n:02d}", summary="坚持每月接待选民。",
                       status="submitted", submitted_at=now)
            for n in range(1, CANDIDATES + 1)
        ])  # fmt: skip
        round_ = Round.objects.create(
            campaign=campaign, position=1, kind="weighted", name="网络投票", status="open", opened_at=now,
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=3650), advance=15,
            online_weight=100, panel_weight=0, public_vote=True,
        )  # fmt: skip
        Entry.objects.bulk_create([Entry(round=round_, submission=s) for s in campaign.submissions.order_by("pk")])
    round_ = Round.objects.get(campaign=campaign, position=1)
    candidates = list(round_.entries.order_by("submission_id").values_list("submission_id", flat=True))
    stored = PublicVote.objects.filter(round=round_).count()
    if stored < STORED:
        yesterday = timezone.localdate() - timedelta(days=1)
        with connection.cursor() as cursor:
            with cursor.copy(
                "COPY cases_publicvote (round_id, submission_id, phone_hash, day, slot, created_at) FROM STDIN"
            ) as copy:
                for n in range(stored, STORED):
                    # Popularity falls with the candidate's place, as in a real poll.
                    pick = candidates[(n * n) % (CANDIDATES * 3) % CANDIDATES]
                    copy.write_row((round_.pk, pick, f"seed{n:016x}", yesterday, 1, now))
            cursor.execute("VACUUM ANALYZE cases_publicvote")
    return campaign, round_, candidates


def _sessions(count: int) -> list[str]:
    """Server-side sessions of verified phones, as the verification page leaves them."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from cases import services
    from cases.views.public import SESSION_KEY

    run = secrets.randbelow(10**6)
    store = SessionStore()
    keys, rows = [], []
    until = time.time() + 2 * 3600
    expires = timezone.now() + timedelta(hours=2)
    for n in range(count):
        key = get_random_string(32)
        data = {SESSION_KEY: {"hash": services.phone_hash(f"1{run:06d}{n:04d}"), "until": until}}
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def _counts(round_id: int) -> dict[int, int]:
    from cases import selectors

    return selectors.public_counts(round_id)


def public_vote_throughput() -> list[Result]:
    from django.conf import settings

    campaign, round_, candidates = _data()
    stored = sum(_counts(round_.pk).values())
    cookie = f"{settings.CSRF_COOKIE_NAME}={CSRF}"

    # The app: each request from its own verified phone; every tenth repeats the phone five requests back.
    sessions = _sessions(WARMUP + REQUESTS)
    warm = [(f"{cookie}; {settings.SESSION_COOKIE_NAME}={key}", f"submission={candidates[i % CANDIDATES]}")
            for i, key in enumerate(sessions[:WARMUP])]  # fmt: skip
    plan = []  # (session key, candidate)
    for i in range(REQUESTS):
        key = sessions[WARMUP + (i - 5 if i % 10 == 9 else i)]
        plan.append((key, candidates[(i * 7) % CANDIDATES]))
    app_requests = [(f"{cookie}; {settings.SESSION_COOKIE_NAME}={key}", f"submission={pick}") for key, pick in plan]
    bare_requests = [(cookie, f"round={round_.pk}&submission={candidates[i % CANDIDATES]}") for i in range(REQUESTS)]
    path = f"/cases/vote/{campaign.slug}/cast/"

    with gunicorn() as port:
        post_load(port, "/bench/bare-vote", bare_requests[:WARMUP])
        post_load(port, path, warm)
        bare = post_load(port, "/bench/bare-vote", bare_requests)
        before = _counts(round_.pk)
        app = post_load(port, path, app_requests)
        after = _counts(round_.pk)

    # Exactness: what each candidate gained is what the client was told was counted for it.
    told = dict.fromkeys(candidates, 0)
    for (_key, pick), status in zip(plan, app["statuses"], strict=True):
        if status == 302:
            told[pick] += 1
    gained = {pk: after.get(pk, 0) - before.get(pk, 0) for pk in candidates}
    refused = sum(1 for status in app["statuses"] if status == 409)
    errors = sum(1 for status in app["statuses"] if status not in (302, 409))
    phones = len({key for key, _pick in plan})
    exact = gained == told and app["accepted"] == phones and app["accepted"] + refused == REQUESTS
    assert bare["accepted"] == REQUESTS, f"bare view: {bare['accepted']} of {REQUESTS} accepted"
    assert errors == 0 and exact, {"errors": errors, "accepted": app["accepted"], "phones": phones, "refused": refused}

    return [
        Result(
            name="public vote throughput",
            app="cases",
            size=stored,
            figure_ms=1000 / app["rps"],
            reference="bare Django view: the same row, one INSERT, no checks (2 gunicorn workers, 8 threads)",
            reference_ms=1000 / bare["rps"],
            ratio=app["rps"] / bare["rps"],
            queries=0,
            target_min=0.5,
            notes={
                "app_rps": round(app["rps"], 1),
                "bare_rps": round(bare["rps"], 1),
                "requests": REQUESTS,
                "accepted": app["accepted"],
                "refused_repeats": refused,
                "distinct_phones": phones,
                "counts_exact": exact,
                "candidates": CANDIDATES,
            },
        ),  # fmt: skip
        _tally_result(round_, stored),
    ]


def _tally_result(round_, stored) -> Result:
    """Counting a round's votes (what closing the round does): the selector against its raw SQL."""
    from django.db import connection

    from cases import selectors

    sql = "SELECT submission_id, COUNT(*) FROM cases_publicvote WHERE round_id = %s GROUP BY submission_id"

    def reference():
        with connection.cursor() as cursor:
            cursor.execute(sql, [round_.pk])
            cursor.fetchall()

    app_ms = median_ms(lambda: selectors.public_counts(round_.pk), runs=7, warmup=1)
    ref_ms = median_ms(reference, runs=7, warmup=1)
    return Result(
        name="public vote tally",
        app="cases",
        size=stored,
        figure_ms=app_ms,
        reference="raw SQL: the same grouped count",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=1,
        target_max=1.5,
    )


CASES = [public_vote_throughput]

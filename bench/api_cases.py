"""Benchmark cases of the integration API: a full roster sync through the cursor API and through the streamed
export against Postgres `COPY … TO STDOUT` of the same rows, and the suggestion list under load against a bare
DRF view."""

import time
import tracemalloc

from django.db import connection
from django.test import Client

from congress import services
from congress.models import ApiClient, Congress, User

from . import load, roster_cases, suggestion_cases
from .harness import Result, scaled

SYNC_SIZE = scaled(full=100_000, small=10_000, tiny=200)
PAGE = 500
COPY_SQL = (
    "COPY (SELECT p.*, m.* FROM deputies_person p JOIN deputies_mandate m ON m.person_id = p.id "
    "JOIN congress_congress c ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id "
    "WHERE r.code LIKE '62%' ORDER BY p.id) TO STDOUT"
)


def _token(congress, name: str, scopes: list[str]) -> str:
    ApiClient.objects.filter(name=name).delete()
    owner, _ = User.objects.get_or_create(username="bench_client_owner", defaults={"name": "bench"})
    _, token = services.create_api_client(actor=None, name=name, congress=congress, scopes=scopes, owner=owner,
                                          rate_per_minute=10_000_000)  # fmt: skip
    return token


def _median(func, runs: int) -> tuple[float, object]:
    func()  # warm-up
    samples, outcome = [], None
    for _ in range(runs):
        started = time.perf_counter()
        outcome = func()
        samples.append((time.perf_counter() - started) * 1000)
    return sorted(samples)[len(samples) // 2], outcome


def roster_sync() -> Result:
    """Every deputy of the province through `/api/v1/deputies/?cursor=` (pages of 500, unmasked personal data,
    as a provincial mirror reads them) against COPY of the same persons and mandates."""
    congress, _term, _user = roster_cases.roster(SYNC_SIZE)
    token = _token(congress, "bench-sync", ["deputies:read", "personal-data:read"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    queries = []

    def app():
        url, rows, requests = f"/api/v1/deputies/?cursor=&page_size={PAGE}", 0, 0
        while url:
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            page = response.json()
            rows, requests, url = rows + len(page["results"]), requests + 1, page["next"]
        return rows, requests

    runs = scaled(full=1, small=3, tiny=1)
    app_ms, (rows, requests) = _median(app, runs)
    ref_ms, copied_bytes = _median(_copy, runs)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/v1/deputies/?cursor=&page_size={PAGE}")
    queries.append(len(captured))
    return Result(
        name=f"roster sync via api {rows // 1000}k",
        app="deputies",
        size=rows,
        figure_ms=app_ms,
        reference="COPY of the same persons and mandates TO STDOUT",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=queries[0],
        notes={
            "requests": requests,
            "page_size": PAGE,
            "rows_per_second": round(rows / app_ms * 1000),
            "copy_bytes": copied_bytes,
            "queries_per_page": queries[0],
        },  # fmt: skip
    )


def _copy() -> int:
    with connection.cursor() as cursor, cursor.connection.cursor().copy(COPY_SQL) as copy:
        return sum(len(block) for block in copy)


def roster_stream() -> Result:
    """Every deputy of the province in one streamed export (`/api/v1/deputies/export/`, NDJSON, unmasked personal
    data, as a provincial mirror's first sync reads them) against COPY of the same persons and mandates; the CSV
    export and the export's peak Python memory in the notes."""
    from deputies.models import Person

    congress, _term, _user = roster_cases.roster(SYNC_SIZE)
    token = _token(congress, "bench-stream", ["deputies:read", "personal-data:read"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    expected = Person.objects.filter(mandates__region_code__startswith=congress.region.code).distinct().count()

    def export(fmt="ndjson"):
        response = client.get(f"/api/v1/deputies/export/?format={fmt}")
        assert response.status_code == 200, response.content[:300]
        lines = sum(block.count(b"\n") for block in response.streaming_content)
        response.close()
        return lines - (fmt == "csv")  # the CSV's header line

    runs = scaled(full=3, small=3, tiny=1)
    app_ms, rows = _median(export, runs)
    assert rows == expected, (rows, expected)
    csv_ms, csv_rows = _median(lambda: export("csv"), runs)
    assert csv_rows == expected, (csv_rows, expected)
    ref_ms, copied_bytes = _median(_copy, runs)
    tracemalloc.start()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Result(
        name=f"roster stream export {rows // 1000}k",
        app="deputies",
        size=rows,
        figure_ms=app_ms,
        reference="COPY of the same persons and mandates TO STDOUT",
        reference_ms=ref_ms,
        ratio=app_ms / ref_ms,
        queries=0,
        target_max=10,
        notes={
            "rows_per_second": round(rows / app_ms * 1000),
            "csv_ms": round(csv_ms, 1),
            "csv_ratio": round(csv_ms / ref_ms, 2),
            "copy_bytes": copied_bytes,
            "peak_python_memory_kb": peak // 1024,
        },  # fmt: skip
    )


def suggestion_list_throughput() -> Result:
    """Requests per second of `/api/v1/suggestions/` (a page of 50, token client of the province) under load,
    against a bare DRF view with the same authentication doing the count and page in raw SQL."""
    suggestion_cases.grow(suggestion_cases.SIZES[0])
    congress = Congress.objects.get(region__code=suggestion_cases.PROVINCE)
    token = _token(congress, "bench-suggestions", ["suggestions:read"])
    requests = scaled(full=3000, small=1000, tiny=40)
    warmup = scaled(full=100, small=100, tiny=10)
    auth = {"Authorization": f"Bearer {token}"}
    with load.gunicorn() as port:
        load.load(port, "/bench/bare-drf-suggestions", auth, requests=warmup)
        load.load(port, "/api/v1/suggestions/?page_size=50", auth, requests=warmup)
        bare = load.load(port, "/bench/bare-drf-suggestions", auth, requests=requests)
        app = load.load(port, "/api/v1/suggestions/?page_size=50", auth, requests=requests)
    assert app["errors"] == 0 and bare["errors"] == 0, (app, bare)
    return Result(
        name="suggestion list api throughput",
        app="suggestions",
        size=suggestion_cases.SIZES[0],
        figure_ms=1000 / app["rps"],
        reference="bare DRF view: same bearer authentication, count and page of 50 in raw SQL (2 workers, 8 threads)",
        reference_ms=1000 / bare["rps"],
        ratio=app["rps"] / bare["rps"],
        queries=0,
        target_min=0.5,
        notes={"app_rps": round(app["rps"], 1), "bare_rps": round(bare["rps"], 1), "requests": requests},
    )


CASES = [roster_sync, roster_stream, suggestion_list_throughput]

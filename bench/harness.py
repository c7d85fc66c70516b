"""Benchmark plumbing: timing medians after a warm-up, query counts, and the results file."""

import json
import os
import platform
import statistics
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

# BENCH_RESULTS sends a run elsewhere: the tiny run of the test suite must not overwrite the recorded figures.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or Path(__file__).resolve().parent / "results.json")
SCALE = os.environ.get("BENCH_SCALE") or "small"
if SCALE not in ("full", "small", "tiny"):
    raise SystemExit(f"BENCH_SCALE must be full, small or tiny, not {SCALE!r}")
FULL = SCALE == "full"
# Tiny runs every case once to prove it still works; its timings mean nothing, so targets are not asserted.
TINY = SCALE == "tiny"


def scaled(*, full, small, tiny):
    """The size for the current BENCH_SCALE."""
    return {"full": full, "small": small, "tiny": tiny}[SCALE]


@dataclass
class Result:
    name: str
    app: str
    size: int
    figure_ms: float
    reference: str
    reference_ms: float
    ratio: float
    queries: int
    target_max: float | None = None
    target_min: float | None = None
    notes: dict = field(default_factory=dict)
    case: str | None = None  # the bench case (function) that measured it

    @property
    def met(self) -> bool:
        if self.target_max is not None:
            return self.ratio <= self.target_max
        if self.target_min is not None:
            return self.ratio >= self.target_min
        return True


def _tiny(runs: int, warmup: int) -> tuple[int, int]:
    """A tiny run calls each measured function once after one warm-up: it proves the case works, no more."""
    return (1, min(warmup, 1)) if TINY else (runs, warmup)


def median_ms(func, runs: int = 15, warmup: int = 3) -> float:
    runs, warmup = _tiny(runs, warmup)
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def p50_p95_ms(func, runs: int = 20, warmup: int = 3) -> tuple[float, float]:
    """Median and 95th percentile of func's duration in milliseconds, after a warm-up."""
    runs, warmup = _tiny(runs, warmup)
    for _ in range(warmup):
        func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(int(len(samples) * 0.95) - 1, 0)]


def signed_in(user) -> Client:
    """A client signed in as the user, with a confirmed authenticator where sign-in asks staff for one."""
    client = Client()
    client.force_login(user)
    if apps.is_installed("django_otp"):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@contextmanager
def tasks_queued():
    """Celery tasks go to a Redis queue of the bench's own instead of running inline, as deployed: a sweep's figure
    is then the sweep's (its transactions and the hand-over of its outbox messages), and the deliveries are the
    worker's. Yields a function counting the messages queued; None, and tasks inline, when no Redis answers.
    The queue is emptied before and after (BENCH_QUEUE_URL, default database 14 of the local Redis)."""
    import redis

    from congress.celery import app

    url = os.environ.get("BENCH_QUEUE_URL", "redis://127.0.0.1:6379/14")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.RedisError:
        yield None
        return
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = url, False
    app._pool, app.amqp._producer_pool = None, None  # Celery keeps its pool for the broker it first saw
    try:
        yield lambda: sum(client.llen(queue) for queue in ("default", "reminders", "imports", "webhooks"))
    finally:
        conf.broker_url, conf.task_always_eager = saved
        app._pool, app.amqp._producer_pool = None, None
        client.flushdb()


def count_queries(func) -> int:
    reset_queries()  # the debug query log is capped; a full log would count zero
    with CaptureQueriesContext(connection) as captured:
        func()
    return len(captured.captured_queries)


def machine() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "postgres": server,
        "scale": SCALE,
    }


def write(results: list[Result]) -> None:
    payload = {
        "machine": machine(),
        "cases": [
            {key: value for key, value in asdict(result).items() if value is not None} | {"met": result.met}
            for result in results
        ],
    }
    RESULTS.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")


def table(results: list[Result]) -> str:
    header = f"{'case':<34} {'size':>9} {'app ms':>9} {'ref ms':>9} {'ratio':>7} {'target':>8} {'queries':>7}"
    lines = [header, "-" * len(header)]
    for r in results:
        target = f"≤{r.target_max}" if r.target_max is not None else (f"≥{r.target_min}" if r.target_min else "")
        flag = "" if r.met else "  (missed)"
        lines.append(
            f"{r.name:<34} {r.size:>9} {r.figure_ms:>9.2f} {r.reference_ms:>9.2f} {r.ratio:>7.2f} "
            f"{target:>8} {r.queries:>7}{flag}"
        )
    return "\n".join(lines)

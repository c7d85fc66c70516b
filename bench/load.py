"""Throughput under load: gunicorn with the production settings on loopback, driven by a small threaded load
generator (bounded in requests and time), compared with a bare Django view on the same server."""

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers: int = 2, app: str = "bench.wsgi"):
    """Serve `app` (a WSGI module path) with the production settings on a free loopback port. Its log goes to a
    file: a pipe nobody reads fills up and blocks the workers mid-request (eager Celery logs every task)."""
    port = free_port()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0"}
    env.setdefault("SECRET_KEY", "bench-only-secret-key")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                log.seek(0)
                raise RuntimeError("gunicorn did not start: " + log.read(2000).decode(errors="replace"))
            yield port
        finally:
            process.terminate()
            process.wait(timeout=20)


def load(port: int, path: str, headers: dict, *, threads: int = 8, requests: int = 2000, seconds: float = 30) -> dict:
    """Send at most `requests` GETs (and stop after `seconds`) from `threads` keep-alive connections."""
    lock = threading.Lock()
    counts = {"sent": 0, "ok": 0, "errors": 0}
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop_at:
            with lock:
                if counts["sent"] >= requests:
                    break
                counts["sent"] += 1
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                counts["ok" if ok else "errors"] += 1
        conn.close()

    elapsed = run_pool(threads, worker)
    return {**counts, "seconds": elapsed, "rps": counts["ok"] / elapsed if elapsed else 0.0}


def run_pool(threads: int, worker) -> float:
    """Run `worker` in `threads` threads until all return; the seconds it took."""
    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return time.perf_counter() - started


def post_each(port: int, path: str, requests: list[tuple[dict, str]], *, threads: int = 8) -> dict:
    """POST each (headers, form body) once from `threads` keep-alive connections; the status of each."""
    lock = threading.Lock()
    statuses: list[int | None] = [None] * len(requests)
    cursor = {"next": 0}

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                index = cursor["next"]
                if index >= len(requests):
                    break
                cursor["next"] += 1
            headers, body = requests[index]
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                statuses[index] = response.status
            except (OSError, http.client.HTTPException):
                statuses[index] = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    elapsed = run_pool(threads, worker)
    return {"statuses": statuses, "seconds": elapsed, "rps": len(requests) / elapsed if elapsed else 0.0}


@contextmanager
def as_deployed(**extra):
    """Environment for a gunicorn started inside: tasks queued on a Redis broker (database 15 of the local
    Redis, emptied before and after; not run inline as elsewhere in the bench) and the limits counted in the
    shared Redis cache, plus `extra`. Without a Redis to use, tasks run inline and the result says so."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.RedisError:
        client = None
    overrides = dict(extra)
    if client is not None:
        overrides.update(REDIS_URL=url, CELERY_TASK_ALWAYS_EAGER="0")
    saved = {name: os.environ.get(name) for name in overrides}
    os.environ.update(overrides)
    try:
        yield "queued on Redis" if client is not None else "run inline (no Redis)"
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value
        if client is not None:
            client.flushdb()

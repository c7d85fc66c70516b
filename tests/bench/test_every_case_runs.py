"""Every bench case, once, at BENCH_SCALE=tiny: a case that a schema or view change breaks fails the suite here,
not the next person who runs `make bench`. The figures of a tiny run mean nothing; only that each case works."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest

from bench.registry import all_cases

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bench_url(django_db_setup):
    """A DATABASE_URL of its own for the bench, named after the test database; `python -m bench` appends
    `_bench` and creates that database, which is dropped afterwards."""
    from django.db import connection

    settings = connection.settings_dict
    name = f"{settings['NAME']}_tiny"
    credentials = quote(settings["USER"] or "postgres") + (
        f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    )
    server = f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"

    def drop():
        with psycopg.connect(server.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_bench" WITH (FORCE)')

    drop()  # a fresh database every run, as on a fresh clone
    yield f"{server}/{name}"
    drop()


def test_every_bench_case_runs_at_tiny_scale(bench_url, tmp_path):
    results = tmp_path / "results.json"
    env = os.environ | {
        "DATABASE_URL": bench_url,
        "BENCH_SCALE": "tiny",
        "BENCH_RESULTS": str(results),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    run = subprocess.run(
        [sys.executable, "-m", "bench"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-4000:]
    measured = {result["case"] for result in json.loads(results.read_text())["cases"]}
    assert measured == {case.__name__ for case in all_cases()}

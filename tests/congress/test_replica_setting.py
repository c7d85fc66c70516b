"""DATABASE_REPLICA_URL as the settings read it; the routing itself runs against a real standby in
tests/flows/test_replica.py."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps({'aliases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
    "'replica': settings.DATABASES.get('replica')}, default=str))"
)


def settings_with(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env = {**base, "DJANGO_SETTINGS_MODULE": "congress.settings", "DEBUG": "1", **env}
    result = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_replica_there_is_one_database_and_no_router():
    shown = settings_with()
    assert shown["aliases"] == ["default"] and shown["routers"] == []


def test_a_replica_url_adds_the_alias_its_router_and_a_test_mirror():
    shown = settings_with(DATABASE_REPLICA_URL="postgres://reader:secret@replica.example:5433/congress")
    assert shown["aliases"] == ["default", "replica"]
    assert shown["routers"] == ["congress.replica.Router"]
    replica = shown["replica"]
    assert (replica["HOST"], replica["PORT"], replica["USER"], replica["NAME"]) == (
        "replica.example",
        5433,
        "reader",
        "congress",
    )
    # Tests with the variable set still use one database: the alias reads the test database.
    assert replica["TEST"]["MIRROR"] == "default"


@pytest.mark.django_db
def test_readyz_without_a_replica_reports_none(client):
    body = client.get("/readyz").json()
    assert "replica" not in body and "replica" not in body["checks"]

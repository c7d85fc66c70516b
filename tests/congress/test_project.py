import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from congress.celery import app as celery_app
from congress.models import Congress, Organisation, Region, User

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True)


SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'congress.settings'); django.setup(); "


def test_missing_secret_key_with_debug_off_is_a_startup_error():
    result = run_python(SETUP)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_set():
    result = run_python(SETUP + "from django.conf import settings; print(settings.DEBUG)", SECRET_KEY="x" * 50)
    assert result.stdout.strip() == "False"


def test_database_url_switches_to_postgres_and_default_is_sqlite():
    code = SETUP + "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    assert run_python(code, DEBUG="1").stdout.strip().endswith("sqlite3")
    assert run_python(code, DEBUG="1", DATABASE_URL="postgres://u@h/db").stdout.strip().endswith("postgresql")


def test_redis_url_switches_broker_and_default_needs_no_server():
    code = SETUP + "from django.conf import settings; print(settings.CELERY_BROKER_URL)"
    assert run_python(code, DEBUG="1").stdout.strip() == "filesystem://"
    assert (
        run_python(code, DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/0").stdout.strip() == "redis://127.0.0.1:6379/0"
    )


def test_locale_and_time_zone():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_celery_is_safe_to_retry():
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.django_db
def test_beat_schedule_is_seeded_in_database():
    import importlib

    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"congress.tasks.sweep_deadlines", "congress.tasks.warn_missing_calendar"} <= tasks
    for name in tasks:  # what the worker's autodiscovery imports
        importlib.import_module(name.rsplit(".", 1)[0])
    assert all(name in celery_app.tasks for name in tasks)


@pytest.mark.django_db
def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", "--allow-without-debug")
    counts = (Region.objects.count(), Congress.objects.count(), Organisation.objects.count(), User.objects.count())
    call_command("seed_demo", "--allow-without-debug")
    assert counts == (
        Region.objects.count(),
        Congress.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
    )
    assert set(Congress.objects.values_list("level", flat=True)) == {
        "national",
        "provincial",
        "municipal",
        "county",
        "township",
    }
    assert "Renda@2026-demo" in capsys.readouterr().out


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_and_broker(client):
    body = client.get("/readyz").json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_when_broker_is_down(client, monkeypatch):
    from congress import health

    monkeypatch.setattr(health, "check_broker", lambda: "error: ConnectionRefusedError")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_without_debug_and_creates_no_login(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-without-debug"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_seed_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert User.objects.filter(username="admin").exists()

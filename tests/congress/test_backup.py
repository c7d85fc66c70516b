"""`make backup` / `make restore` (scripts/backup.py): a backup restored into an empty database is the same data."""

import os
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from congress import audit
from tests import factories
from tests.suggestions import factories as suggestion_factories

SCRIPT = Path(settings.BASE_DIR) / "scripts" / "backup.py"
KEY_TABLES = ["congress_region", "deputies_person", "deputies_mandate", "suggestions_suggestion", "auditlog_logentry"]


def _url(name: str) -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _run(command: str, *args: str, url: str, backup_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "BACKUP_DIR": str(backup_dir)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), command, *args], env=env, capture_output=True, text=True, timeout=300
    )


def _connect(name: str):
    db = connection.settings_dict
    params = {"dbname": name, "user": db["USER"], "host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    return psycopg.connect(**params, autocommit=True)


def _fingerprint(conn) -> dict:
    """Row counts of every table, an md5 of the ordered rows of the key tables, and the triggers."""
    tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    result = {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    for table in KEY_TABLES:
        query = f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t"
        result[f"md5:{table}"] = conn.execute(query).fetchone()[0]
    result["triggers"] = sorted(
        row[0] for row in conn.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").fetchall()
    )
    return result


@pytest.fixture
def empty_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with _connect("postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restored_into_an_empty_database_holds_the_same_rows(tmp_path, empty_database):
    congress = factories.CongressFactory(region=factories.county())
    staff = factories.staff_of(congress)
    mandate = suggestion_factories.deputy(congress)
    suggestion_factories.accepted(mandate, staff)
    audit.record(staff, congress, "backup_check")

    made = _run("backup", url=_url(connection.settings_dict["NAME"]), backup_dir=tmp_path)
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.parent == tmp_path and dump.suffix == ".dump"

    restored = _run("restore", str(dump), url=_url(empty_database), backup_dir=tmp_path)
    assert restored.returncode == 0, restored.stderr

    with _connect(connection.settings_dict["NAME"]) as source, _connect(empty_database) as copy:
        original = _fingerprint(source)
        assert original["deputies_mandate"] and original["suggestions_suggestion"] and original["auditlog_logentry"]
        assert _fingerprint(copy) == original


@pytest.mark.django_db
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    dump = tmp_path / "some.dump"
    dump.write_bytes(b"PGDMP")

    refused = _run("restore", str(dump), url=_url(connection.settings_dict["NAME"]), backup_dir=tmp_path)

    assert refused.returncode == 2
    assert "is not empty" in refused.stderr and "FORCE=1" in refused.stderr


def test_sqlite_database_is_copied_with_the_backup_api(tmp_path):
    source = tmp_path / "demo.sqlite3"
    with closing(sqlite3.connect(source)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE note (id integer primary key, text text)")
        conn.executemany("INSERT INTO note (text) VALUES (?)", [("一",), ("二",), ("三",)])
        conn.commit()

    made = _run("backup", url=f"sqlite:///{source}", backup_dir=tmp_path / "backups")

    assert made.returncode == 0, made.stderr
    with closing(sqlite3.connect(made.stdout.strip())) as copy:
        assert copy.execute("SELECT text FROM note ORDER BY id").fetchall() == [("一",), ("二",), ("三",)]


def test_keep_removes_all_but_the_newest_backups(tmp_path):
    source = tmp_path / "demo.sqlite3"
    with closing(sqlite3.connect(source)) as conn:
        conn.execute("CREATE TABLE note (id integer primary key)")
    folder = tmp_path / "backups"
    folder.mkdir()
    for stamp in ("20240101T000000Z", "20240102T000000Z", "20240103T000000Z"):
        (folder / f"demo-{stamp}.sqlite3").write_bytes(b"")

    made = _run("backup", "--keep", "2", url=f"sqlite:///{source}", backup_dir=folder)

    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["demo-20240103T000000Z.sqlite3", Path(made.stdout.strip()).name]

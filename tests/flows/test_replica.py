"""The read replica (congress.replica) against a real streaming standby: a private primary, a standby made from it
with `pg_basebackup -R` on another port, and the app under gunicorn with DATABASE_URL and DATABASE_REPLICA_URL.

Which database served a read is seen in what the page shows: the standby's replay is paused
(`pg_wal_replay_pause()`), a row is changed on the primary, and a page read on the standby still shows the old
value while one read on the primary shows the new one. The shared Postgres (5432) is only read (pg_dump of the test
database's schema); everything else runs on the private clusters."""

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

import psycopg
import pytest
from django.urls import reverse

from tests.flows.test_faults import BASE_DIR, PrivatePostgres, database_url, free_port, postgres_bin, wait_for
from tests.sheets import xlsx_text

# The tests read the app over HTTP, not the test database; the mark has pytest-django create the test database that
# the private primary copies its schema from.
pytestmark = pytest.mark.django_db

OLD_NAME, NEW_NAME = "复本甲", "复本乙"
OLD_CATEGORY, NEW_CATEGORY = "复本教育", "复本教育与科技"


class Standby:
    """A hot standby of primary, streaming from it, in the same private folder."""

    def __init__(self, primary: PrivatePostgres):
        self.primary, self.bin, self.port = primary, primary.bin, free_port()
        self.data, self.log = primary.root / "standby", primary.root / "standby.log"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/congress"

    def start(self):
        owner = self.primary.as_owner
        subprocess.run([*owner, str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port),
                        "-U", "postgres", "-D", str(self.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        options = f"-p {self.port} -k {self.primary.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-o",
                        options, "start"], check=True, capture_output=True, timeout=60)  # fmt: skip

    def stop(self):
        if self.data.exists():
            subprocess.run([*self.primary.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                            "-w", "stop"], capture_output=True, timeout=60)  # fmt: skip

    def sql(self, query: str):
        with psycopg.connect(self.url, autocommit=True) as conn:
            return conn.execute(query).fetchone()

    def pause(self):
        self.sql("SELECT pg_wal_replay_pause()")
        wait_for(lambda: self.sql("SELECT pg_get_wal_replay_pause_state()")[0] == "paused", 30, "replay to pause")

    def resume(self):
        """Replay again, and wait until it has caught up with the primary."""
        self.sql("SELECT pg_wal_replay_resume()")
        target = primary_sql(self.primary, "SELECT pg_current_wal_lsn()::text")[0]
        wait_for(lambda: self.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'")[0], 30, "replay to catch up")

    @contextmanager
    def replay_paused(self):
        self.pause()
        try:
            yield
        finally:
            self.resume()


def primary_sql(primary: PrivatePostgres, query: str):
    with psycopg.connect(primary.url, autocommit=True) as conn:
        cursor = conn.execute(query)
        return cursor.fetchone() if cursor.description else None


class App:
    """The app under gunicorn on the private clusters."""

    def __init__(self, folder, database: str, replica: str):
        self.port, self.log = free_port(), folder / f"gunicorn-{os.getpid()}-{free_port()}.log"
        env = {**os.environ, "DATABASE_URL": database, "DATABASE_REPLICA_URL": replica, "DEBUG": "1",
               "REDIS_URL": "", "VAR_DIR": str(folder), "STAFF_TWO_FACTOR": "0", "DB_CONN_MAX_AGE": "60"}  # fmt: skip
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "congress.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "1", "--threads", "2", "--timeout", "60"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(lambda: self.get("/readyz", check=False)[0] == 200, 60, "the app to start", step=0.2)

    def get(self, path: str, *, session: str = "", token: str = "", check: bool = True) -> tuple[int, bytes]:
        headers = {}
        if session:
            headers["Cookie"] = f"sessionid={session}"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError:
            status, body = None, b""
        if check:
            assert status == 200, f"{path} answered {status}"
        return status, body

    def log_text(self) -> str:
        return self.log.read_text()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def world(django_db_setup, tmp_path_factory):
    """Primary and standby with the test database's schema and the rows of tests/flows/replica_world.py."""
    bin_dir = postgres_bin()
    if bin_dir is None or not (bin_dir / "pg_basebackup").exists():
        pytest.skip("no Postgres server binaries (initdb, pg_ctl, pg_basebackup) to start a primary and a standby")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser: initdb cannot start a private cluster")
    folder = tmp_path_factory.mktemp("replica")
    primary = PrivatePostgres(bin_dir)
    standby = Standby(primary)
    app = None
    try:
        primary.start()
        primary.load_copy_of(database_url())
        env = {**os.environ, "DATABASE_URL": primary.url, "DEBUG": "1", "REDIS_URL": ""}
        seeded = subprocess.run([sys.executable, "-m", "tests.flows.replica_world"], cwd=BASE_DIR, env=env,
                                check=True, capture_output=True, text=True, timeout=120)  # fmt: skip
        logins = json.loads(seeded.stdout.strip().splitlines()[-1])
        standby.start()
        app = App(folder, primary.url, standby.url)
        yield {"primary": primary, "standby": standby, "app": app, "folder": folder, **logins}
    finally:
        if app is not None:
            app.stop()
        standby.stop()
        primary.stop()


def sheet_text(content: bytes) -> str:
    return xlsx_text(content)


@contextmanager
def renamed(world, table: str, old: str, new: str):
    """The row named old is named new on the primary for the block, and old again after it."""
    primary_sql(world["primary"], f"UPDATE {table} SET name = '{new}' WHERE name = '{old}'")
    try:
        yield
    finally:
        primary_sql(world["primary"], f"UPDATE {table} SET name = '{old}' WHERE name = '{new}'")


def test_the_statistics_page_reads_the_standby(world):
    app, standby, url = world["app"], world["standby"], reverse("suggestions:statistics")
    with standby.replay_paused(), renamed(world, "suggestions_category", OLD_CATEGORY, NEW_CATEGORY):
        paused = app.get(url, session=world["staff"])[1].decode()
        standby.resume()
        replayed = app.get(url, session=world["staff"])[1].decode()
    assert OLD_CATEGORY in paused and NEW_CATEGORY not in paused
    # Once replayed the same page shows the change: the first read was the standby's, not a stale copy's.
    assert NEW_CATEGORY in replayed


def test_an_export_without_writes_reads_the_standby(world):
    with world["standby"].replay_paused(), renamed(world, "deputies_person", OLD_NAME, NEW_NAME):
        text = sheet_text(world["app"].get(reverse("deputies:export"), session=world["staff"])[1])
    assert OLD_NAME in text and NEW_NAME not in text


def test_an_export_that_wrote_reads_what_follows_on_the_primary(world):
    """The unmasked roster export first records who saw the personal data (a write), then reads the roster: after
    the write, the request reads the primary, which has the change the standby has not replayed."""
    with world["standby"].replay_paused(), renamed(world, "deputies_person", OLD_NAME, NEW_NAME):
        text = sheet_text(world["app"].get(reverse("deputies:export"), session=world["permitted"])[1])
    assert NEW_NAME in text and OLD_NAME not in text


def test_a_roster_sync_page_reads_the_standby_and_a_numbered_page_the_primary(world):
    """The client's first request also records its last use (a write no read depends on): the sync still reads the
    standby."""
    app, token = world["app"], world["token"]
    with world["standby"].replay_paused(), renamed(world, "deputies_person", OLD_NAME, NEW_NAME):
        synced = json.loads(app.get("/api/v1/deputies/?cursor=", token=token)[1])
        listed = json.loads(app.get("/api/v1/deputies/", token=token)[1])
    assert [person["name"] for person in synced["results"]] == [OLD_NAME]
    assert [person["name"] for person in listed["results"]] == [NEW_NAME]


def test_readyz_reports_the_standby_and_its_lag(world):
    app, standby = world["app"], world["standby"]
    with standby.replay_paused(), renamed(world, "deputies_person", OLD_NAME, NEW_NAME):
        behind = json.loads(app.get("/readyz")[1])
    assert behind["status"] == "ok" and behind["checks"]["replica"] == "ok"
    assert behind["replica"]["lag_bytes"] > 0
    # The primary's own background writes may add a few bytes at any moment: caught up means nothing left a moment
    # later, asked again.
    wait_for(lambda: json.loads(app.get("/readyz")[1])["replica"]["lag_bytes"] == 0, 10, "no lag reported")


def test_with_the_replica_down_heavy_reads_use_the_primary_and_say_so(world):
    down = f"postgres://postgres@127.0.0.1:{free_port()}/congress"  # nothing listens there
    app = App(world["folder"], world["primary"].url, down)
    try:
        with renamed(world, "suggestions_category", OLD_CATEGORY, NEW_CATEGORY):
            status, page = app.get(reverse("suggestions:statistics"), session=world["staff"], check=False)
        ready_status, ready = app.get("/readyz", check=False)
    finally:
        app.stop()
    assert status == 200 and NEW_CATEGORY in page.decode()
    assert "read replica unavailable" in app.log_text()
    assert ready_status == 200 and json.loads(ready)["checks"]["replica"].startswith("error")

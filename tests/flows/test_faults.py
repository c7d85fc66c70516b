"""Faults that really stop things: a private Redis stopped while a deputy submits, a Celery worker killed in the
middle of a reminder batch, a private Postgres restarted under load, two staff acting on one suggestion at once.

The shared Postgres (5432) and Redis (6379) are never touched: each test starts its own server on a free port."""

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import reverse

from congress import outbox, tasks
from congress.celery import app as celery_app
from congress.models import Deadline, Delivery, Notification, OutboxMessage, User
from suggestions.models import Status, Suggestion
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

pytestmark = pytest.mark.faults

BASE_DIR = Path(settings.BASE_DIR)
QUEUES = "default,reminders,imports,webhooks"
# A task held by a killed worker goes back to the queue after this long (the production default is an hour).
VISIBILITY_TIMEOUT = 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, step: float = 0.05):
    """Poll until condition() is truthy; the bound only keeps a broken run from hanging."""
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"gave up after {timeout}s waiting for {what}")


def database_url() -> str:
    """The test database, for processes started by the test."""
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class RedisServer:
    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, 10, "redis-server to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Worker:
    """`celery worker` as a separate process on the private Redis and the test database, mail written to files."""

    def __init__(self, broker: str, mail_dir: Path, log: Path):
        self.broker, self.mail_dir, self.log, self.process = broker, mail_dir, log, None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": self.broker,
            "DEBUG": "1",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        command = [sys.executable, "-m", "celery", "-A", "congress", "worker", "--concurrency=1", f"--queues={QUEUES}",
                   "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
                   f"--hostname=faults-{os.getpid()}-{time.monotonic_ns()}@%h"]  # fmt: skip
        with open(self.log, "a") as log:
            # A session of its own: a kill reaches the pool process too, as when a machine or container dies.
            self.process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)  # fmt: skip

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()


def recipients_of_sent_mail(mail_dir: Path) -> list[str]:
    """Every To: address in the file backend's output, once per message written."""
    addresses = []
    for path in sorted(mail_dir.glob("*.log")):
        addresses += [line[4:].strip() for line in path.read_text().splitlines() if line.startswith("To: ")]
    return sorted(addresses)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def real_broker(redis_server):
    """This process sends tasks to the private Redis instead of running them in-process."""
    conf = celery_app.conf
    saved = conf.broker_url, conf.broker_transport_options, conf.task_always_eager
    conf.broker_url, conf.task_always_eager = redis_server.url, False
    conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT}
    _forget_connections()
    yield redis_server
    conf.broker_url, conf.broker_transport_options, conf.task_always_eager = saved
    _forget_connections()


def _forget_connections():
    # Celery keeps its connection pool for the broker address it first saw.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def workers(real_broker, tmp_path):
    """Start workers with workers(); they are stopped before the test database is emptied."""
    started = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start():
        worker = Worker(real_broker.url, mail_dir, tmp_path / "worker.log")
        worker.start()
        started.append(worker)
        return worker

    start.mail_dir = mail_dir
    yield start
    for worker in started:
        worker.stop()


# 1. Redis down while a deputy submits


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_submission_while_redis_is_down_succeeds_and_its_notification_is_sent_once_redis_is_back(
    client, real_broker, workers
):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    mandate = f.deputy(congress)
    category = f.CategoryFactory(congress=congress)
    real_broker.stop()

    client.force_login(mandate.person.user)
    response = client.post(reverse("suggestions:new"), {
        "mandate": mandate.pk, "kind": "suggestion", "title": "加强中小学课后服务", "content": f.CONTENT,
        "category": category.pk, "session": "", "submit": "1",
    })  # fmt: skip

    assert response.status_code == 302
    assert Suggestion.objects.get().status == Status.SUBMITTED
    waiting = OutboxMessage.objects.get(sent_at__isnull=True)
    assert waiting.task == "suggestions.tasks.tell" and waiting.args[0] == "submitted"

    real_broker.start()
    assert outbox.sweep(older_than=timedelta(0)) == 1
    # As if the sweep had died after the broker took the message but before marking it sent: it goes twice.
    outbox.publish([waiting])
    workers()
    wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).exists(), 60, "the delivery to be sent")
    wait_for(lambda: recipients_of_sent_mail(workers.mail_dir), 10, "the mail file")

    assert Notification.objects.filter(key__startswith="suggestion:submitted:").count() == 1
    assert recipients_of_sent_mail(workers.mail_dir) == [staff.email]


# 2. A worker killed in the middle of a reminder batch

# Ten of the sweep's batches of 100 (congress.deadlines.BATCH): each commits its claims and notifications together,
# so the kill falls between batches or inside one, never between a claim and its notification.
REMINDERS = 1000


def overdue_deadlines(count: int) -> list[User]:
    """count open deadlines long overdue, each with a person of its own to remind (no staff escalation)."""
    users = User.objects.bulk_create(
        [User(username=f"faults{n}", email=f"faults{n}@example.cn", name=f"承办人{n}") for n in range(count)]
    )
    user_type = ContentType.objects.get_for_model(User)
    due = date.today() - timedelta(days=30)
    Deadline.objects.bulk_create(
        [Deadline(content_type=user_type, object_id=user.pk, kind="faults.reply", responsible_user=user,
                  start_date=due - timedelta(days=7), period_value=5, period_unit="workdays", due_date=due)
         for user in users]
    )  # fmt: skip
    return users


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_killed_mid_batch_sends_every_reminder_exactly_once_after_restart(real_broker, workers):
    users = overdue_deadlines(REMINDERS)
    tasks.sweep_deadlines.delay()

    first = workers()
    wait_for(lambda: Notification.objects.count() >= REMINDERS // 4, 120, "the sweep to be under way", step=0.01)
    first.kill()
    stored_at_kill = Notification.objects.count()
    assert stored_at_kill < REMINDERS, "the batch finished before the kill: make it bigger"

    time.sleep(VISIBILITY_TIMEOUT)  # the killed worker's batch becomes visible to the next one
    workers()
    wait_for(lambda: Notification.objects.count() == REMINDERS, 120, "the batch to be finished")
    # What beat would do within the minute: publish a delivery whose message died with the worker.
    outbox.sweep(older_than=timedelta(0))
    wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.SENT).count() == REMINDERS, 120,
             "every delivery to be sent")  # fmt: skip
    wait_for(lambda: len(recipients_of_sent_mail(workers.mail_dir)) >= REMINDERS, 10, "the mail files")

    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted(u.email for u in users)
    assert Delivery.objects.filter(channel="email").count() == REMINDERS
    # Each is the person the deadline names, so a text is asked for too; without a phone none goes.
    assert not Delivery.objects.filter(channel="sms", status=Delivery.Status.SENT).exists()
    assert recipients_of_sent_mail(workers.mail_dir) == sorted(user.email for user in users)
    assert set(Deadline.objects.values_list("reminded_stage", flat=True)) == {Deadline.Stage.OVERDUE}


# 3. Postgres restarted under load


def postgres_bin() -> Path | None:
    """The folder holding the server's own tools (PATH often links only some of them, or the client's)."""
    found = shutil.which("pg_ctl")
    folders = [Path(found).resolve().parent] if found else []
    folders += [Path(p).parent for p in sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), reverse=True)]
    tools = ("initdb", "pg_ctl", "pg_dump", "psql")
    return next((folder for folder in folders if all((folder / tool).exists() for tool in tools)), None)


class PrivatePostgres:
    """A throwaway cluster on a free port, run as the postgres user when the tests run as root (initdb refuses
    root)."""

    def __init__(self, bin_dir: Path):
        self.bin, self.port = bin_dir, free_port()
        self.root = Path(tempfile.mkdtemp(prefix="congress-faults-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.as_owner = []
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/congress"

    def _ctl(self, *args: str):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                        "-o", options, *args], check=True, capture_output=True, timeout=60)  # fmt: skip

    def start(self):
        subprocess.run([*self.as_owner, str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True,
                       timeout=120)  # fmt: skip
        self._ctl("start")

    def restart(self):
        self._ctl("-m", "fast", "restart")

    def stop(self):
        if self.data.exists():
            subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                            "stop"], capture_output=True, timeout=60)  # fmt: skip
        shutil.rmtree(self.root, ignore_errors=True)

    def load_copy_of(self, source_url: str):
        """The test database's schema and rows (the migrations' result), faster than migrating anew."""
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{self.port}/postgres", autocommit=True) as admin:
            admin.execute("CREATE DATABASE congress")
        dump = subprocess.Popen([str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", source_url],
                                stdout=subprocess.PIPE)  # fmt: skip
        subprocess.run([str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url], stdin=dump.stdout,
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        assert dump.wait(timeout=60) == 0


@pytest.fixture
def private_postgres():
    bin_dir = postgres_bin()
    if bin_dir is None or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("no Postgres server binaries (initdb, pg_ctl) to start a private cluster")
    server = PrivatePostgres(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


class Load:
    """Threads requesting pages of the app without pause, recording each answer."""

    def __init__(self, base: str, paths: list[str], threads: int = 3):
        self.base, self.paths, self.results, self.stop = base, paths, [], threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,)) for n in range(threads)]

    def _run(self, n: int):
        position = n
        while not self.stop.is_set():
            path = self.paths[position % len(self.paths)]
            position += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as response:
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = None
            self.results.append((started, time.monotonic(), status))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def answers_since(self, moment: float) -> list:
        """Answers to the requests sent after moment."""
        return [status for started, _done, status in list(self.results) if started > moment]


def worker_pids(master: int) -> set[int]:
    children = set()
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.add(int(Path(stat).parent.name))
    return children


@pytest.mark.django_db
def test_app_recovers_from_a_postgres_restart_under_load_without_restarting(private_postgres, tmp_path):
    private_postgres.load_copy_of(database_url())
    port = free_port()
    env = {**os.environ, "DATABASE_URL": private_postgres.url, "DEBUG": "1", "DB_CONN_MAX_AGE": "60",
           "REDIS_URL": "", "VAR_DIR": str(tmp_path)}  # fmt: skip
    with open(tmp_path / "gunicorn.log", "w") as log:
        app = subprocess.Popen([sys.executable, "-m", "gunicorn", "congress.wsgi", "--bind", f"127.0.0.1:{port}",
                                "--workers", "1", "--threads", "4", "--timeout", "30"],
                               cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _status(base + "/readyz") == 200, 60, "the app to start", step=0.2)
        with Load(base, ["/readyz", "/suggestions/public/"]) as load:
            wait_for(lambda: len(load.answers_since(0)) >= 20, 30, "requests before the restart")
            assert set(load.answers_since(0)) == {200}
            pids = worker_pids(app.pid)
            private_postgres.restart()
            restarted = time.monotonic()
            recovered = wait_for(lambda: _first_success_after(load, restarted), 30, "a request to succeed again")
            wait_for(lambda: len(load.answers_since(recovered)) >= 20, 30, "requests after the recovery")
            after = load.answers_since(recovered)
        assert set(after) == {200}, f"failures after the app had recovered: {after}"
        assert app.poll() is None and worker_pids(app.pid) == pids  # recovered by itself: no process restarted
    finally:
        app.terminate()
        app.wait(timeout=30)


def _status(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _first_success_after(load: Load, moment: float):
    """When the first request sent after moment was answered with success."""
    return next((done for started, done, status in list(load.results) if started > moment and status == 200), None)


# 4. Two staff acting on the same suggestion at once


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_accepting_the_same_suggestion_at_once_one_wins_and_the_other_gets_a_conflict():
    from rest_framework.test import APIClient

    congress = core.CongressFactory()
    current_term(congress)
    staff = [core.staff_of(congress), core.staff_of(congress)]
    suggestion = f.submitted(f.deputy(congress))
    barrier = threading.Barrier(2)
    answers = []

    def accept(user):
        api = APIClient()
        api.force_authenticate(user)
        barrier.wait()
        try:
            answers.append(api.post(f"/api/v1/suggestions/{suggestion.pk}/accept/", {}, format="json"))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in staff]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answer.status_code for answer in answers) == [200, 409]
    conflict = next(answer for answer in answers if answer.status_code == 409).json()["error"]
    assert conflict["code"] == "invalid_transition"
    assert str(Status.ACCEPTED.label) in conflict["message"]
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED and suggestion.number

"""The roster import pages tell staff when no background worker is there to take up the job."""

import pytest
from django.core.cache import cache

from congress import health
from deputies.models import ImportJob

from .test_import import row as roster_row
from .test_import import upload, xlsx

pytestmark = pytest.mark.django_db

WARNING = "后台任务服务未运行，导入将在其恢复后开始；请联系系统管理员"


@pytest.fixture
def workers(monkeypatch):
    """Set what the workers' probe answers; the page reads it through the shared, cached check."""
    state = {"status": health.OK}
    monkeypatch.setattr(health, "check_workers", lambda: state["status"])
    cache.delete(health.WORKERS_CACHE_KEY)

    def set_status(status):
        state["status"] = status
        cache.delete(health.WORKERS_CACHE_KEY)

    yield set_status
    cache.delete(health.WORKERS_CACHE_KEY)


def test_import_page_warns_when_no_worker_answers(client, staff, workers):
    workers("error: no worker answered")
    client.force_login(staff)
    assert WARNING in client.get("/deputies/imports/").content.decode()


def test_import_page_is_quiet_while_a_worker_runs(client, staff, workers):
    workers(health.OK)
    client.force_login(staff)
    assert WARNING not in client.get("/deputies/imports/").content.decode()


def test_a_queued_job_page_warns_when_no_worker_answers(client, staff, workers):
    workers("error: no worker answered")
    client.force_login(staff)
    client.post("/deputies/imports/", {"file": xlsx(roster_row())})  # no worker: the check stays queued
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.UPLOADED
    assert WARNING in client.get(f"/deputies/imports/{job.pk}/").content.decode()


def test_a_finished_job_page_does_not_warn(client, staff, workers, django_capture_on_commit_callbacks):
    job = upload(staff, roster_row(), capture=django_capture_on_commit_callbacks)
    assert job.status not in ImportJob.WAITING
    workers("error: no worker answered")
    client.force_login(staff)
    assert WARNING not in client.get(f"/deputies/imports/{job.pk}/").content.decode()


def test_readyz_reports_the_workers_without_failing_for_them(client, workers):
    workers("error: no worker answered")
    response = client.get("/readyz")
    assert response.json()["checks"]["workers"] == "error: no worker answered"
    assert response.json()["checks"]["broker"] == "ok"


def test_the_workers_probe_is_asked_once_per_while(monkeypatch):
    calls = []
    monkeypatch.setattr(health, "check_workers", lambda: calls.append(1) or health.OK)
    cache.delete(health.WORKERS_CACHE_KEY)
    assert health.workers_running() and health.workers_running()
    assert len(calls) == 1
    cache.delete(health.WORKERS_CACHE_KEY)


def test_tasks_run_in_the_web_process_need_no_worker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert health.check_workers() == health.OK

"""The console's background jobs (congress.jobs) and its Export action (congress.exports): the selected rows go to
.xlsx in a worker, the job's page shows the progress, then the file, to its starter alone."""

import io
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congress import exports, jobs
from congress.models import ConsoleJob, Notification
from tests import factories

pytestmark = pytest.mark.django_db

REGIONS = reverse("admin:congress_region_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staff():
    return factories.staff_of(factories.CongressFactory(region=factories.city()))


@pytest.fixture
def regions():
    return [factories.county(), factories.county("440105", "海珠区")]


def _export(client, ids, capture):
    with capture(execute=True):
        return client.post(REGIONS, {"action": "export_selected", "index": 0, ACTION_CHECKBOX_NAME: ids})


def _sheet(job):
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return [list(row) for row in load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True)]


def _handler_job(user, handler, total=3):
    jobs.register("test.job", handler)
    return jobs.start(actor=user, kind="test.job", title="测试任务", params={}, total=total)


def test_export_action_opens_the_job_page(client, staff, regions, django_capture_on_commit_callbacks):
    client.force_login(staff)
    response = _export(client, [regions[0].pk], django_capture_on_commit_callbacks)
    job = ConsoleJob.objects.get()
    assert response.url == reverse("admin:congress_consolejob_change", args=[job.pk])


def test_export_writes_the_selected_rows_in_the_lists_columns(
    client, staff, regions, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    _export(client, [regions[0].pk], django_capture_on_commit_callbacks)
    header, *rows = _sheet(ConsoleJob.objects.get())
    assert len(header) == 3  # name, level, parent: the list's field columns
    assert [(row[0], row[2]) for row in rows] == [("天河区", "广州市")]


def test_export_job_ends_done_with_every_row_counted(client, staff, regions, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _export(client, [r.pk for r in regions], django_capture_on_commit_callbacks)
    job = ConsoleJob.objects.get()
    assert (job.status, job.processed, job.total) == ("done", 2, 2)


def test_export_leaves_out_rows_the_starter_may_not_see(staff, regions):
    elsewhere = factories.county("450102", "兴宁区")
    job = exports.start(actor=staff, model=type(elsewhere), ids=[regions[0].pk, elsewhere.pk], fields=["name"])
    jobs.run(job.pk)
    assert [row[0] for row in _sheet(job)[1:]] == ["天河区"]


def test_export_is_recorded_in_the_audit_log(client, staff, regions, django_capture_on_commit_callbacks):
    from auditlog.models import LogEntry

    client.force_login(staff)
    _export(client, [regions[0].pk], django_capture_on_commit_callbacks)
    entry = LogEntry.objects.filter(additional_data__action="console_export").get()
    assert entry.additional_data["model"] == "congress.Region"


def test_job_page_polls_the_progress_while_it_runs(client, staff):
    job = _handler_job(staff, lambda job, step: "")
    client.force_login(staff)
    body = client.get(reverse("admin:congress_consolejob_change", args=[job.pk])).content.decode()
    assert f'data-progress-url="{reverse("admin:congress_consolejob_progress", args=[job.pk])}"' in body
    assert "congress/progress.js" in body


def test_progress_reports_how_far_the_job_got(client, staff):
    job = _handler_job(staff, lambda job, step: "", total=4)
    ConsoleJob.objects.filter(pk=job.pk).update(status="running", processed=1)
    client.force_login(staff)
    data = client.get(reverse("admin:congress_consolejob_progress", args=[job.pk])).json()
    assert (data["status"], data["processed"], data["total"], data["percent"]) == ("running", 1, 4, 25)


def test_file_downloads_as_xlsx(client, staff, regions, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _export(client, [regions[0].pk], django_capture_on_commit_callbacks)
    job = ConsoleJob.objects.get()
    response = client.get(reverse("admin:congress_consolejob_file", args=[job.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="region-')


def test_another_staff_member_cannot_open_my_job(client, staff):
    job = _handler_job(staff, lambda job, step: "")
    client.force_login(factories.staff_of(factories.CongressFactory(region=factories.city())))
    assert client.get(reverse("admin:congress_consolejob_progress", args=[job.pk])).status_code == 404


def test_another_staff_member_cannot_download_my_file(client, staff, regions, django_capture_on_commit_callbacks):
    client.force_login(staff)
    _export(client, [regions[0].pk], django_capture_on_commit_callbacks)
    client.force_login(factories.staff_of(factories.CongressFactory(region=factories.city())))
    job = ConsoleJob.objects.get()
    assert client.get(reverse("admin:congress_consolejob_file", args=[job.pk])).status_code == 404


def test_handler_steps_are_recorded_as_progress(staff):
    seen = []

    def handler(job, step):
        step(2)
        seen.append(ConsoleJob.objects.get(pk=job.pk).processed)
        return "好了"

    jobs.run(_handler_job(staff, handler).pk)
    assert seen == [2]


def test_a_failing_job_ends_failed_with_the_reason(staff):
    def handler(job, step):
        raise ValueError("文件写不下")

    job = _handler_job(staff, handler)
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "文件写不下" in job.message


def test_a_job_runs_once_when_its_task_comes_twice(staff):
    runs = []
    job = _handler_job(staff, lambda job, step: runs.append(job.pk) or "")
    jobs.run(job.pk)
    assert jobs.run(job.pk) == "skipped"
    assert runs == [job.pk]


def test_a_job_whose_worker_died_runs_again(staff):
    job = _handler_job(staff, lambda job, step: "再来一次")
    ConsoleJob.objects.filter(pk=job.pk).update(status="running", updated_at=timezone.now() - timedelta(hours=1))
    assert jobs.run(job.pk) == "done"


def test_a_running_job_is_not_taken_by_a_second_worker(staff):
    job = _handler_job(staff, lambda job, step: "")
    ConsoleJob.objects.filter(pk=job.pk).update(status="running")
    assert jobs.run(job.pk) == "skipped"


def test_the_starter_is_told_when_the_job_ends(staff):
    job = _handler_job(staff, lambda job, step: "导出了 3 行")
    jobs.run(job.pk)
    notice = Notification.objects.get(recipient=staff)
    assert notice.link == reverse("admin:congress_consolejob_change", args=[job.pk])

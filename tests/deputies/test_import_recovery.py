"""A roster import survives the death of the worker holding it: a check whose heartbeat went silent and an apply
whose transaction died are taken over by the next task for the job (a redelivery or the beat's sweep), while a
job still in a live worker's hands is left alone."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from deputies import services
from deputies.models import ImportJob, Person

from .test_import import row, upload, xlsx

pytestmark = pytest.mark.django_db

TWO_ROWS = (row(), row("李红", "女", date(1982, 2, 3), 12))


def claimed_by_a_dead_worker(staff, status, capture, minutes=11):
    """A job as a worker that died left it: in its status, silent for `minutes`."""
    if status == ImportJob.Status.APPLYING:
        job = upload(staff, *TWO_ROWS, capture=capture)
        assert job.status == ImportJob.Status.CHECKED
    else:
        with capture(execute=False):
            job = services.start_import(actor=staff, upload=xlsx(*TWO_ROWS))
    ImportJob.objects.filter(pk=job.pk).update(status=status, updated_at=timezone.now() - timedelta(minutes=minutes))
    return job


def test_a_check_silent_past_the_limit_is_taken_over_and_finished(staff, django_capture_on_commit_callbacks):
    job = claimed_by_a_dead_worker(staff, ImportJob.Status.CHECKING, django_capture_on_commit_callbacks)
    assert services.run_check(job.pk) == "checked"
    job.refresh_from_db()
    assert (job.status, job.error_count, job.total_rows) == ("checked", 0, 2)


def test_a_check_with_a_recent_heartbeat_is_left_to_its_worker(staff, django_capture_on_commit_callbacks):
    job = claimed_by_a_dead_worker(staff, ImportJob.Status.CHECKING, django_capture_on_commit_callbacks, minutes=1)
    assert services.run_check(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING


def test_the_sweep_hands_a_stalled_check_to_a_worker(staff, django_capture_on_commit_callbacks):
    job = claimed_by_a_dead_worker(staff, ImportJob.Status.CHECKING, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_stalled_imports() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED


def test_the_sweep_leaves_live_and_finished_jobs_alone(staff, django_capture_on_commit_callbacks):
    claimed_by_a_dead_worker(staff, ImportJob.Status.CHECKING, django_capture_on_commit_callbacks, minutes=1)
    upload(staff, *TWO_ROWS, capture=django_capture_on_commit_callbacks)  # checked, waiting for confirmation
    assert services.resume_stalled_imports() == 0


def test_the_sweep_applies_an_apply_whose_worker_died(staff, django_capture_on_commit_callbacks):
    job = claimed_by_a_dead_worker(staff, ImportJob.Status.APPLYING, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.resume_stalled_imports()
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("applied", 2)
    assert Person.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_apply_skips_a_job_another_worker_is_applying(staff, django_capture_on_commit_callbacks):
    job = claimed_by_a_dead_worker(staff, ImportJob.Status.APPLYING, django_capture_on_commit_callbacks)
    locked, release = threading.Event(), threading.Event()

    def live_worker():
        # Holds the job's row as a running apply does, on its own connection.
        try:
            with transaction.atomic():
                ImportJob.objects.select_for_update().get(pk=job.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=live_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert services.run_apply(job.pk) == "skipped"
    finally:
        release.set()
        thread.join()
    assert not Person.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.APPLYING

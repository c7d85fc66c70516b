"""Long console operations in the background, with their progress (an export of thousands of rows, a bulk
assignment): an app registers a handler for its kind of job, `start` stores the job and enqueues it once the
transaction commits, a worker runs it and records how far it got, and the job's console page polls that record
(static/congress/progress.js, as the roster import does). When it ends, its starter is notified."""

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, notifications, outbox, replica
from .models import ConsoleJob

log = logging.getLogger(__name__)

# A handler does the work of one job; it calls step(n) as it goes and returns the result to show.
Handler = Callable[[ConsoleJob, Callable[[int], None]], str]
HANDLERS: dict[str, Handler] = {}

# A running job writes its progress at least this often; one silent for longer lost its worker and may be run
# again when the broker hands its task out anew (tasks are acknowledged late).
STALE = timedelta(minutes=10)
STEP_EVERY = 100


def register(kind: str, handler: Handler) -> None:
    HANDLERS[kind] = handler


def start(*, actor, kind: str, title: str, params: dict, total: int) -> ConsoleJob:
    """Store a job for actor and run it in the background once the transaction commits."""
    from .tasks import run_console_job

    if kind not in HANDLERS:
        raise LookupError(f"no handler registered for console jobs of kind {kind!r}")
    with transaction.atomic():
        job = ConsoleJob.objects.create(kind=kind, title=title[:200], params=params, total=total, created_by=actor)
        outbox.enqueue(run_console_job, job.pk)
    return job


def run(job_id: int) -> str:
    """Task body: run a job once; a duplicate task finds it claimed, a task handed out again after its worker died
    finds it stale and runs it again from the start."""
    now = timezone.now()
    claimable = Q(status=ConsoleJob.Status.QUEUED) | Q(status=ConsoleJob.Status.RUNNING, updated_at__lt=now - STALE)
    # The job's own bookkeeping (its claim, progress and end) is read back by no handler: it leaves a handler's heavy
    # reads on the replica (congress.replica).
    with replica.not_read_back():
        claimed = ConsoleJob.objects.filter(claimable, pk=job_id).update(
            status=ConsoleJob.Status.RUNNING, processed=0, updated_at=now
        )
    if not claimed:
        return "skipped"
    job = ConsoleJob.objects.select_related("created_by").get(pk=job_id)

    def step(processed: int) -> None:
        with replica.not_read_back():
            ConsoleJob.objects.filter(pk=job_id).update(processed=processed, updated_at=timezone.now())

    try:
        with audit.acting_as(job.created_by):
            message = HANDLERS[job.kind](job, step)
    except Exception as exc:  # the page must end with a readable failure, never spin for ever
        log.exception("console job %s (%s) failed", job_id, job.kind)
        _finish(job, ConsoleJob.Status.FAILED, _("The job failed: %(error)s") % {"error": exc})
        return "failed"
    _finish(job, ConsoleJob.Status.DONE, message)
    return "done"


def _finish(job: ConsoleJob, status: str, message: str) -> None:
    now = timezone.now()
    done = {"processed": job.total} if status == ConsoleJob.Status.DONE else {}
    ConsoleJob.objects.filter(pk=job.pk).update(
        status=status, message=message[:10000], finished_at=now, updated_at=now, **done
    )
    title = (_("Done: %(title)s") if status == ConsoleJob.Status.DONE else _("Failed: %(title)s")) % {
        "title": job.title
    }
    # In the console's inbox only: the starter is at the console, waiting for it.
    link = reverse("admin:congress_consolejob_change", args=[job.pk])
    notifications.send_once(f"console-job:{job.pk}", [job.created_by], title, message[:500], link, channels=())


def stepper(step: Callable[[int], None], every: int = STEP_EVERY) -> Callable[[int], None]:
    """step(n) for every n that is a multiple of `every`: a handler calls it for each item it finishes."""

    def maybe(processed: int) -> None:
        if processed % every == 0:
            step(processed)

    return maybe

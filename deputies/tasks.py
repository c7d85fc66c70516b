"""Background work of the roster: thin, idempotent."""

from celery import shared_task

from . import services


@shared_task(name="deputies.tasks.check_import")
def check_import(job_id: int) -> str:
    return services.run_check(job_id)


@shared_task(name="deputies.tasks.apply_import")
def apply_import(job_id: int) -> str:
    return services.run_apply(job_id)


@shared_task(name="deputies.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    return services.resume_stalled_imports()


@shared_task(name="deputies.tasks.remind_contact_duty")
def remind_contact_duty() -> int:
    """In the last quarter, remind each committee member of the deputies they have contacted too rarely."""
    return services.remind_contact_duty()

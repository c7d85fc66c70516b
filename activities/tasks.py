"""Background work of activities: thin, idempotent (send_once keys the reminders by term and month)."""

from celery import shared_task

from . import services


@shared_task(name="activities.tasks.remind_reports_to_voters")
def remind_reports_to_voters() -> int:
    """In a term's last stretch, remind the deputies who have not reported to their voters yet."""
    return services.remind_reports_to_voters()

"""Background work of activities: thin, idempotent (send_once keys the reminders by term and month)."""

from celery import shared_task

from congress.tasks import NETWORK_ERRORS

from . import experts, services


@shared_task(name="activities.tasks.remind_reports_to_voters")
def remind_reports_to_voters() -> int:
    """In a term's last stretch, remind the deputies who have not reported to their voters yet."""
    return services.remind_reports_to_voters()


@shared_task(name="activities.tasks.remind_unanswered_invitations")
def remind_unanswered_invitations() -> int:
    """Remind the deputies who have not answered an invitation in the policy's days (once per invitation)."""
    return services.remind_unanswered_invitations()


@shared_task(
    name="activities.tasks.email_expert",
    autoretry_for=NETWORK_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_expert(participant_id: int) -> bool:
    """E-mail an invited expert their invitation (once)."""
    return experts.email_expert(participant_id)

"""Celery tasks: thin, idempotent, safe to retry."""

import smtplib
from datetime import date

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from . import deadlines, idempotency, messaging, notifications, outbox, sms, webhooks, workdays
from .models import Congress, Role, RoleMembership, User

NETWORK_ERRORS = (OSError, smtplib.SMTPException, ConnectionError, TimeoutError, sms.RetryableSmsError)


@shared_task(
    name="congress.tasks.deliver_notification",
    autoretry_for=NETWORK_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=notifications.MAX_ATTEMPTS,
)
def deliver_notification(delivery_id: int) -> str:
    return notifications.deliver(delivery_id)


@shared_task(name="congress.tasks.deliver_notifications")
def deliver_notifications(delivery_ids: list[int]) -> int:
    """Send a batch of deliveries (a sweep's, or one event's recipients), each claimed on its own; returns how many
    were sent. A delivery that fails on the network stays pending with its attempt counted, and the requeue task
    sends it again on its own after a while, so one bad address or a mail server hiccup does not hold up the rest."""
    sent = 0
    for delivery_id in delivery_ids:
        try:
            sent += notifications.deliver(delivery_id) == "sent"
        except NETWORK_ERRORS:
            continue
    return sent


@shared_task(name="congress.tasks.requeue_stuck_deliveries")
def requeue_stuck_deliveries() -> int:
    """Notification deliveries lost on the way, and text messages and group robot messages whose next attempt is
    due (every 10 minutes)."""
    return notifications.requeue_stuck() + sms.requeue() + messaging.requeue()


@shared_task(name="congress.tasks.send_sms")
def send_sms(message_id: int) -> str:
    # No Celery retry: a failed attempt stores its next time and the requeue above sends it then.
    return sms.deliver(message_id)


@shared_task(name="congress.tasks.send_robot_message")
def send_robot_message(message_id: int) -> str:
    # No Celery retry: a failed attempt stores its next time and requeue_stuck_deliveries sends it then.
    return messaging.deliver(message_id)


@shared_task(name="congress.tasks.sweep_outbox")
def sweep_outbox() -> int:
    """Publish messages whose publish after commit failed (broker down) or never happened (process died)."""
    return outbox.sweep()


@shared_task(name="congress.tasks.deliver_webhook")
def deliver_webhook(delivery_id: int) -> str:
    # No Celery retry: a failed attempt stores its next time and requeue_webhooks sends it then.
    return webhooks.deliver(delivery_id)


@shared_task(name="congress.tasks.requeue_webhooks")
def requeue_webhooks() -> int:
    return webhooks.requeue()


@shared_task(name="congress.tasks.sweep_deadlines")
def sweep_deadlines() -> int:
    return deadlines.sweep()


@shared_task(name="congress.tasks.recompute_deadlines")
def recompute_deadlines(first: str | None = None, last: str | None = None) -> int:
    return deadlines.recompute(
        first=date.fromisoformat(first) if first else None, last=date.fromisoformat(last) if last else None
    )


@shared_task(name="congress.tasks.warn_missing_calendar")
def warn_missing_calendar() -> int:
    """From each keeping congress's warning month (1 October by default), tell its calendar keepers once that next
    year's holiday schedule is missing."""
    today, sent = timezone.localdate(), 0
    for congress in Congress.objects.filter(level__in=["national", "provincial"]):
        year = workdays.missing_next_year(today, congress)
        if year is None:
            continue
        keepers = User.objects.filter(is_active=True).filter(
            pk__in=RoleMembership.objects.filter(role=Role.STAFF, congress=congress).values("user_id")
        )
        title = _("The %(year)s holiday schedule is missing") % {"year": year}
        body = _(
            "Deadlines that fall in %(year)s are provisional until the State Council schedule is entered "
            "in the working calendar."
        ) % {"year": year}
        sent += notifications.send_once(
            f"calendar-missing:{year}", keepers, title, body, "/console/congress/calendaryear/"
        )
    return sent


@shared_task(name="congress.tasks.purge_idempotency_keys")
def purge_idempotency_keys() -> int:
    return idempotency.purge_expired()


@shared_task(name="congress.tasks.run_console_job")
def run_console_job(job_id: int) -> str:
    from . import jobs

    return jobs.run(job_id)


@shared_task(name="congress.tasks.refresh_tallies")
def refresh_tallies() -> int:
    """Refresh the aggregate views behind the reports (idempotent; a refresh already running makes it wait)."""
    from . import tallies

    return len(tallies.refresh())


@shared_task(name="congress.tasks.recompute_topics")
def recompute_topics(congress_id: int | None = None) -> int:
    """Regroup the texts into topics, for one congress or (nightly) all; rerunning gives the same topics."""
    from . import topics

    if congress_id is not None:
        return topics.recompute(congress_id)
    topics.recompute_all()
    return 0

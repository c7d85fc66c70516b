"""Background work of the station network: thin, idempotent (reminders are sent once per key)."""

from celery import shared_task

from congress.tasks import NETWORK_ERRORS

from . import notices, repeats, services


@shared_task(name="liaison_stations.tasks.remind_visit_quota")
def remind_visit_quota() -> int:
    """In the last month of each quarter, remind deputies behind their station-visit quota and behind their other
    duty quotas (receptions, voter contacts, reports to voters, group activities)."""
    return services.remind_visit_quota() + services.remind_duty_quotas()


@shared_task(name="liaison_stations.tasks.tell")
def tell(event: str, pk: int, **extra) -> int:
    """Notifications that follow a station action (sent once per key, so a retry is harmless)."""
    return notices.tell(event, pk, **extra)


@shared_task(
    name="liaison_stations.tasks.text_citizen",
    autoretry_for=NETWORK_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def text_citizen(opinion_id: int) -> int:
    """The SMS a citizen asked for when leaving the opinion (marked sent on the opinion, so a retry is harmless)."""
    return notices.text_citizen(opinion_id)


@shared_task(name="liaison_stations.tasks.flag_repeat")
def flag_repeat(opinion_id: int) -> bool:
    """Whether a new opinion repeats an open one from the same area (recomputed whole, so a retry is harmless)."""
    return repeats.flag(opinion_id)

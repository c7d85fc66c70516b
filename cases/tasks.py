"""Background work of the case selection: thin and idempotent."""

from celery import shared_task

from . import notices, services


@shared_task(name="cases.tasks.tell")
def tell(event: str, pk: int, **extra) -> int:
    """Notifications that follow an action, sent after commit (each once per key)."""
    return notices.tell(event, pk, **extra)


@shared_task(name="cases.tasks.record_awards")
def record_awards(campaign_id: int) -> int:
    """Case-award entries in the selected deputies' duty records; recorded once per source."""
    return services.record_awards(campaign_id)

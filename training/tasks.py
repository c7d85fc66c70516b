"""Background work of training: thin and idempotent (each notification is sent once per key)."""

from celery import shared_task

from . import notices, services


@shared_task(name="training.tasks.tell")
def tell(event: str, ids: list[int]) -> int:
    """Notifications that follow an enrolment action, sent after commit."""
    return notices.tell(event, ids)


@shared_task(name="training.tasks.remind_sittings")
def remind_sittings() -> int:
    """The day before each sitting, the deputies holding a place are reminded."""
    return services.remind_sittings()


@shared_task(name="training.tasks.remind_induction")
def remind_induction() -> int:
    """As an annual plan ends, new deputies without induction (and their staff) are reminded."""
    return services.remind_induction()

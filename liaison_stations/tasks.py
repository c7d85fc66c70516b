"""Background work of the station network: thin, idempotent (reminders are sent once per key)."""

from celery import shared_task

from . import services


@shared_task(name="liaison_stations.tasks.remind_visit_quota")
def remind_visit_quota() -> int:
    """In the last month of each quarter, remind deputies behind their yearly station-visit quota."""
    return services.remind_visit_quota()


@shared_task(name="liaison_stations.tasks.tell")
def tell(event: str, pk: int) -> None:
    """Notifications that follow a station action (sent once per key, so a retry is harmless)."""
    {
        "opinion_received": services.tell_station,
        "opinion_referred": services.tell_unit,
        "opinion_taken_up": services.tell_deputy_taken_up,
        "reception_published": lambda pk: services.tell_deputies(pk, "published"),
        "reception_cancelled": lambda pk: services.tell_deputies(pk, "cancelled"),
    }[event](pk)

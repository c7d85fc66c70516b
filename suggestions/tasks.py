"""Background work of suggestions: thin and idempotent (each notification is sent once per key)."""

from celery import shared_task

from . import notices, routing, services


@shared_task(name="suggestions.tasks.tell")
def tell(event: str, pk: int, **extra) -> int:
    """Notifications that follow an action, sent after commit."""
    return notices.tell(event, pk, **extra)


@shared_task(name="suggestions.tasks.lapse_feedback")
def lapse_feedback() -> int:
    """Replies not rated within the feedback period count as accepted."""
    return services.lapse_feedback()


@shared_task(name="suggestions.tasks.supervision_digest")
def supervision_digest() -> int:
    """Each week, supervisors get the state of their key items, overdue first."""
    return notices.supervision_digest()


@shared_task(name="suggestions.tasks.overdue_units_digest")
def overdue_units_digest() -> int:
    """Each morning, the offices' messaging groups get the units whose replies are overdue."""
    return notices.overdue_units_digest()


@shared_task(name="suggestions.tasks.learn_routing")
def learn_routing() -> int:
    """Each night, every congress's unit recommendation and word frequencies are learnt again from its history
    (a rebuild replaces the congress's model whole, so running it twice does no harm)."""
    return routing.rebuild_all()

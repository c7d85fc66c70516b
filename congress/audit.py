"""Append-only change log (django-auditlog): models listed in models.audited_models() are logged on
every create, change and delete; services call record() for state transitions."""

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog


def register_models():
    from .models import audited_models

    for model, options in audited_models():
        if not auditlog.contains(model):
            auditlog.register(model, **options)


def record(actor, obj, action: str, changes: dict | None = None, **extra) -> LogEntry:
    """Log a named action (a workflow transition, an import, a bulk change) on obj by actor."""
    context = auditlog_value.get({})
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={key: [str(old), str(new)] for key, (old, new) in (changes or {}).items()},
        actor=actor if getattr(actor, "pk", None) else None,
        remote_addr=context.get("remote_addr"),
        additional_data={"action": action, **extra},
    )


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")


@contextmanager
def acting_as(actor):
    """Attribute automatic audit entries to actor, keeping the request's address when there is one."""
    context = auditlog_value.get({})
    user = actor if getattr(actor, "pk", None) else None
    with set_actor(user, remote_addr=context.get("remote_addr"), remote_port=context.get("remote_port")):
        yield

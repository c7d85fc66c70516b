"""Every view of unmasked personal data (ID numbers, phones) leaves an access record: who saw whose, when, and
through which channel (page, console, API, export).

Code that shows an unmasked value calls `seen(user, obj, channel)`. Within a request the middleware gathers
the calls and writes one audit record per kind of subject when the response is ready, listing the subjects'
ids, so an API page of 500 deputies costs one row, not 500. Outside a request (a background export) `seen_many`
writes at once. The records go to the append-only audit log (congress.audit) as the action
"view_personal_data", on the subject itself when there is one, else on the viewer. A read through an integration
client also names the client and its owner (`client`, `owner`: the person its token was issued to), so every
unmasked view leads to a person (`additional_data__owner=<user id>` finds them).

An answer kept for Idempotency-Key replays keeps what it showed (`shown()`), and its replay logs the same access
again (`seen_again`)."""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import transaction

from . import audit, scope

ACTION = "view_personal_data"

_pending: ContextVar[dict | None] = ContextVar("personal_data_pending", default=None)


def seen(user, obj, channel: str) -> None:
    """user was shown obj's unmasked personal data."""
    pending = _pending.get()
    if pending is None:
        seen_many(user, type(obj), [obj.pk], channel, subject=obj)
        return
    pending["user"] = user
    pending["subjects"][(type(obj), channel)][obj.pk] = obj


def seen_many(user, model, ids, channel: str, *, subject=None, **extra) -> None:
    """user was shown the unmasked personal data of model's rows with these ids (one record)."""
    ids = sorted(set(ids))
    if not ids:
        return
    label = model._meta.label_lower
    client = scope.api_client(user)
    if client is not None:
        extra = {**extra, "client": client.pk, "owner": client.owner_id}
    with transaction.atomic():
        if subject is not None and len(ids) == 1:
            audit.record(user, subject, ACTION, channel=channel, model=label, ids=ids, **extra)
        else:
            audit.record(user, user, ACTION, channel=channel, model=label, ids=ids, **extra)


def shown() -> list[dict]:
    """What the current request has shown unmasked so far, as {"model", "channel", "ids"} per kind of subject:
    ids only, nothing personal, so it may be kept with a stored answer."""
    pending = _pending.get()
    if pending is None:
        return []
    return [
        {"model": model._meta.label_lower, "channel": channel, "ids": sorted(objects)}
        for (model, channel), objects in pending["subjects"].items()
    ]


def seen_again(user, entries: list[dict]) -> None:
    """A stored answer (see `shown`) was shown to user again: one access record per kind of subject, as a fresh
    read would have written, marked as a replay."""
    for entry in entries:
        model = apps.get_model(entry["model"])
        ids = entry["ids"]
        subject = model._default_manager.filter(pk=ids[0]).first() if len(ids) == 1 else None
        seen_many(user, model, ids, entry["channel"], subject=subject, replayed=True)


@contextmanager
def gathered():
    """Gather the `seen` calls made within into one access record per kind of subject, written on leaving (a
    request's, or one chunk's of a streamed export, which is written after its request has been answered)."""
    token = _pending.set({"user": None, "subjects": defaultdict(dict)})
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    for (model, channel), objects in pending["subjects"].items():
        only = next(iter(objects.values())) if len(objects) == 1 else None
        seen_many(pending["user"], model, objects.keys(), channel, subject=only)


class AccessLogMiddleware:
    """Collects the `seen` calls of one request and writes their access records once it is answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with gathered():
            response = self.get_response(request)
            # A lazily rendered response shows the data as it renders: render first. (A streamed export gathers
            # its own records, chunk by chunk, as it is sent: congress.api.streaming.)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
        return response

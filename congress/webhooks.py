"""Webhooks: events posted to integration clients' URLs, signed, retried with backoff, replayable.

An app declares its events once (`register_event`) and calls `emit` inside the transaction that made the change:
the deliveries are stored with it (an outbox), so a broker that is down or a worker that dies loses nothing;
`requeue` sends what is due. A receiver checks `X-Congress-Signature` (HMAC-SHA256 over "<timestamp>.<body>"
with the endpoint's secret) and uses `X-Congress-Event-Id` to ignore a delivery it has already processed.

Each event names the API area whose read scope a client needs to receive it (`suggestions` → `suggestions:read`):
a client subscribes only to events it may read, and a delivery is dropped when its client no longer may (scopes
change). Receivers' addresses are checked against server-side request forgery by `congress.outbound`, when saved
and again before every attempt."""

import hashlib
import hmac
import json
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, outbound, outbox, scope
from .errors import RuleViolation
from .models import ApiClient, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    label: object
    scope: str  # the API area: receiving the event needs "<scope>:read"


EVENTS: dict[str, Event] = {}
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
STALE_CLAIM = timedelta(minutes=2)
SIGNATURE_HEADER = "X-Congress-Signature"
TIMESTAMP_HEADER = "X-Congress-Timestamp"
# The last_error of a delivery dropped because its client may no longer read the event.
SCOPE_WITHDRAWN = "scope withdrawn"


def register_event(name: str, label, *, scope: str) -> None:
    """Declare an event and the API area (`suggestions`, `deputies`, …) whose read scope its receivers need."""
    EVENTS[name] = Event(label, scope)


def needed_scope(event: str) -> str:
    return f"{EVENTS[event].scope}:read"


def may_receive(client: ApiClient, event: str) -> bool:
    """The client is active and holds the read scope of the event's area (checked again at every attempt)."""
    return client.is_active and event in EVENTS and needed_scope(event) in client.scopes


def readable_events(scopes) -> list[str]:
    """The events a client with these scopes may subscribe to and see deliveries of."""
    return sorted(name for name in EVENTS if needed_scope(name) in scopes)


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 … minutes, at most 6 hours: a receiver down for an afternoon still gets everything."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def emit(event: str, data: dict, *, region_code: str) -> int:
    """Store a delivery for every active endpoint that wants the event and whose client may see the record (its
    congress's region and below, and the event's read scope); they are sent once the surrounding transaction
    commits."""
    from .tasks import deliver_webhook

    if event not in EVENTS:
        raise ValueError(f"unregistered webhook event {event}")
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True, client__is_active=True).select_related(
            "client__congress__region"
        )
        if event in endpoint.events
        and region_code.startswith(endpoint.client.congress.region.code)
        and may_receive(endpoint.client, event)
    ]
    if not endpoints:
        return 0
    event_id = uuid.uuid4()
    payload = {"id": str(event_id), "event": event, "occurred_at": timezone.now().isoformat(), "data": data}
    payload = json.loads(json.dumps(payload, cls=DjangoJSONEncoder))
    created = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event_id=event_id, event=event, payload=payload) for endpoint in endpoints]
    )
    outbox.enqueue_each(deliver_webhook, [(delivery.pk,) for delivery in created])
    return len(created)


def _enqueue(ids) -> None:
    from .tasks import deliver_webhook

    for pk in ids:
        try:
            deliver_webhook.delay(pk)
        except Exception:  # broker down: the row waits for the next requeue
            log.warning("webhook delivery %s not queued; the next requeue sends it", pk, exc_info=True)


def deliver(delivery_id: int) -> str:
    """Post one delivery if nobody else is; safe to call again after a crash, a retry or a replay."""
    now = timezone.now()
    due = Q(status=WebhookDelivery.Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stale = Q(status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    won = WebhookDelivery.objects.filter(due | stale, pk=delivery_id).update(
        status=WebhookDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint__client").get(pk=delivery_id)
    if not may_receive(delivery.endpoint.client, delivery.event):
        # Scopes change: what the client may no longer read is not sent, now or on a replay.
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.FAILED, next_attempt_at=None, response_status=None,
            last_error=SCOPE_WITHDRAWN,
        )  # fmt: skip
        log.warning("webhook delivery %s dropped: client %s may not read %s", delivery_id,
                    delivery.endpoint.client_id, delivery.event)  # fmt: skip
        return "dropped"
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "congress-webhooks/1",
        "X-Congress-Event": delivery.event,
        "X-Congress-Event-Id": str(delivery.event_id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(delivery.endpoint.secret, timestamp, body),
    }
    status, error = None, ""
    try:
        status = outbound.post(delivery.endpoint.url, body, headers, timeout=TIMEOUT_SECONDS)
    except outbound.Refused as refused:  # the details are in the server log; the client sees the category
        error = refused.category
    if status is not None and 200 <= status < 300:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now(), response_status=status, last_error=""
        )
        return "delivered"
    if status is not None:
        error = outbound.http_status(status)
    failed = delivery.attempts >= MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.FAILED if failed else WebhookDelivery.Status.PENDING,
        next_attempt_at=None if failed else timezone.now() + backoff(delivery.attempts),
        response_status=status,
        last_error=error,
    )
    log.warning("webhook delivery %s to %s failed (attempt %s): %s", delivery_id, delivery.endpoint.url,
                delivery.attempts, error)  # fmt: skip
    return "failed" if failed else "retry"


def requeue(limit: int = 1000) -> int:
    """Enqueue deliveries whose next attempt is due, or whose message or worker was lost."""
    now = timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__isnull=True, created_at__lt=now - STALE_CLAIM)
            | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    _enqueue(due)
    return len(due)


def replay(*, actor, delivery_id: int) -> WebhookDelivery:
    """Send a delivery again (same event id, so the receiver can tell it is a repeat)."""
    from .tasks import deliver_webhook

    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("endpoint__client").get(pk=delivery_id)
        _authorise(actor, delivery.endpoint.client)
        if delivery.status == WebhookDelivery.Status.SENDING:
            raise RuleViolation(_("This delivery is being sent right now."))
        delivery.status, delivery.next_attempt_at, delivery.attempts = WebhookDelivery.Status.PENDING, None, 0
        delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
        audit.record(actor, delivery.endpoint.client, "replay_webhook", {}, delivery=delivery.pk, event=delivery.event)
        outbox.enqueue(deliver_webhook, delivery.pk)
    return delivery


def _authorise(actor, client: ApiClient) -> None:
    """The client itself (through the API) or staff who keep its congress's clients (through the console)."""
    if actor is None or actor.pk == client.user_id:
        return
    scope.require(actor, "congress.change_own", client)


# What a client is told when the URL it gives is refused (the categories of congress.outbound).
def _url_refusals():
    return {
        outbound.INVALID: _("Give an http:// or https:// address with a host name (and no user name or password)."),
        outbound.HTTPS: _("Give an https:// address; plain http:// is accepted only for intranet receivers the "
                          "operator allows."),
        outbound.ADDRESS: _("This address is refused: it is (or its host name resolves to) a loopback, private, "
                            "link-local, shared or reserved network address; webhooks go to public addresses, or "
                            "to intranet receivers the operator allows."),
        outbound.DNS: _("This host name does not resolve."),
    }  # fmt: skip


def endpoint_errors(client: ApiClient, url: str, events) -> dict:
    """Why an endpoint may not be saved, by field; the API, the console form and the services ask this alone."""
    errors = {}
    try:
        outbound.check(url, unresolved_ok=True)
    except outbound.Refused as refused:
        errors["url"] = [_url_refusals()[refused.category]]
    unknown = sorted(set(events) - set(EVENTS))
    if not events:
        errors["events"] = [_("Choose at least one event.")]
    elif unknown:
        errors["events"] = [_("Unknown events: %(names)s.") % {"names": ", ".join(unknown)}]
    else:
        unreadable = sorted(name for name in set(events) if needed_scope(name) not in client.scopes)
        if unreadable:
            names = ", ".join(f"{name} ({needed_scope(name)})" for name in unreadable)
            errors["events"] = [_("The client lacks the scope these events need: %(names)s.") % {"names": names}]
    return errors


def add_endpoint(*, actor, client: ApiClient, url: str, events: list[str]) -> tuple[WebhookEndpoint, str]:
    """Register a URL for events; the secret is returned once."""
    _authorise(actor, client)
    errors = endpoint_errors(client, url, events)
    if errors:
        raise RuleViolation(fields=errors)
    secret = secrets.token_hex(32)
    with transaction.atomic(), audit.acting_as(actor):
        endpoint = WebhookEndpoint.objects.create(client=client, url=url, events=sorted(set(events)), secret=secret)
    return endpoint, secret


def change_endpoint(*, actor, endpoint_id: int, url: str, events: list[str], is_active: bool) -> WebhookEndpoint:
    client = WebhookEndpoint.objects.select_related("client").get(pk=endpoint_id).client  # an endpoint keeps it
    _authorise(actor, client)
    # Checked before the row is locked: resolving the host may take a while.
    errors = endpoint_errors(client, url, events)
    if errors:
        raise RuleViolation(fields=errors)
    with transaction.atomic(), audit.acting_as(actor):
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("client").get(pk=endpoint_id)
        endpoint.url, endpoint.events, endpoint.is_active = url, sorted(set(events)), is_active
        endpoint.save(update_fields=["url", "events", "is_active", "updated_at"])
    return endpoint


def rotate_secret(*, actor, endpoint_id: int) -> str:
    secret = secrets.token_hex(32)
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("client").get(pk=endpoint_id)
        _authorise(actor, endpoint.client)
        endpoint.secret = secret
        endpoint.save(update_fields=["secret", "updated_at"])
        audit.record(actor, endpoint.client, "rotate_webhook_secret", {}, webhook=endpoint.pk)
    return secret


def delete_endpoint(*, actor, endpoint_id: int) -> None:
    with transaction.atomic(), audit.acting_as(actor):
        endpoint = WebhookEndpoint.objects.select_for_update().select_related("client").get(pk=endpoint_id)
        _authorise(actor, endpoint.client)
        endpoint.delete()

"""Text messages through real providers, sent through the outbox.

A caller stores the text with `queue(phone, kind, params, text)` inside the transaction of the change it
announces; `deliver` (the congress.tasks.send_sms task) sends it once that commits. A failure that may pass (the
network, a 5xx, throttling) leaves the message pending with its next attempt backed off (30 s, 1, 2, 4 … minutes)
and `requeue` (run by the requeue_stuck_deliveries beat) sends it again; a permanent one (a 4xx, a refused
signature, a bad number or template) is recorded as failed and not tried again.

Backends: `ConsoleSmsBackend` and `LocmemSmsBackend` (congress.notifications, development only) take the
rendered text; the providers' adapters here (`AliyunSmsBackend`, `GatewaySmsBackend`) are `templated` and take
the kind's template id and parameters (kinds.py, settings.SMS_TEMPLATES)."""

import json
import logging
from datetime import timedelta

from django.db.models import F, Q
from django.utils import timezone

from . import limits
from .aliyun import AliyunSmsBackend
from .errors import PermanentSmsError, RetryableSmsError, SmsError
from .gateway import GatewaySmsBackend
from .kinds import KINDS

__all__ = ["AliyunSmsBackend", "GatewaySmsBackend", "PermanentSmsError", "RetryableSmsError", "SmsError",
           "deliver", "queue", "requeue", "send_now"]  # fmt: skip

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=2)
# Finished texts (their provider id for receipts, a failure to look into) are kept this long, then deleted: the
# phone is personal data that has served its purpose.
KEEP_FINISHED = timedelta(days=30)


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def send_now(phone: str, kind: str, params: dict, text: str) -> str:
    """Send through the configured backend at once; returns the provider's message id ("" if it gives none).
    Raises SmsUnavailable without a backend that delivers, SmsError (or a network error) when sending failed."""
    from congress import notifications

    backend = notifications.sms_backend()
    if getattr(backend, "templated", False):
        return backend.send_template(phone, kind, params) or ""
    backend.send(phone, text)
    return ""


def queue(phone: str, kind: str, params: dict, text: str, *, expires_at=None, congress=None):
    """Store a text for phone in the caller's transaction; it is sent once that commits. `text` is what the
    development backends show; providers get the kind's template filled with `params`. A text with `expires_at`
    (a verification code) is dropped rather than sent after that time. congress: whose quiet hours and daily limit
    apply (limits.py; the policies' defaults without one); a text due in them waits for their end."""
    from congress.models import SmsMessage
    from congress.outbox import enqueue
    from congress.tasks import send_sms

    if kind not in KINDS:
        raise ValueError(f"unregistered SMS kind {kind}")
    payload = json.dumps({"params": {k: str(v) for k, v in params.items()}, "text": text}, ensure_ascii=False)
    message = SmsMessage(kind=kind, phone=phone, phone_hash=limits.phone_key(phone), payload=payload,
                         expires_at=expires_at, congress=congress)  # fmt: skip
    message.next_attempt_at = limits.hold_until(message, timezone.now())
    message.save()
    enqueue(send_sms, message.pk)
    return message


def deliver(message_id: int) -> str:
    """Send one stored text if nobody else is; safe to call again after a crash, a retry or a repeated task."""
    from congress.models import SmsMessage
    from congress.notifications import SmsUnavailable

    now = timezone.now()
    Status = SmsMessage.Status
    due = Q(status=Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stale = Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    won = SmsMessage.objects.filter(due | stale, pk=message_id).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return "skipped"
    message = SmsMessage.objects.select_related("congress").get(pk=message_id)
    content = json.loads(message.payload or "{}")
    mine = SmsMessage.objects.filter(pk=message_id)
    if message.expires_at is not None and message.expires_at <= now:
        mine.update(status=Status.FAILED, next_attempt_at=None, payload="", last_error="expired before it was sent")
        return "expired"
    held = limits.hold_until(message, now)
    if held is not None:
        # Quiet hours or the phone's limit of the day: not an attempt, the text waits and goes when the hold ends.
        mine.update(status=Status.PENDING, attempts=F("attempts") - 1, claimed_at=None, next_attempt_at=held)
        return "held"
    try:
        provider_id = send_now(message.phone, message.kind, content.get("params", {}), content.get("text", ""))
    except SmsUnavailable:
        # Not the provider's fault and not counted: it goes once a backend is configured again.
        mine.update(status=Status.PENDING, attempts=F("attempts") - 1, next_attempt_at=now + backoff(message.attempts),
                    last_error="no SMS backend is configured")  # fmt: skip
        log.warning("SMS %s not sent: no SMS backend is configured", message_id)
        return "waiting"
    except PermanentSmsError as exc:
        mine.update(status=Status.FAILED, next_attempt_at=None, payload="", error_code=exc.code[:100],
                    last_error=str(exc)[:2000])  # fmt: skip
        log.error("SMS %s (%s) refused for good: %s", message_id, message.kind, exc)
        return "failed"
    except Exception as exc:  # RetryableSmsError, or a backend's network error: worth another try
        failed = message.attempts >= MAX_ATTEMPTS
        mine.update(
            status=Status.FAILED if failed else Status.PENDING,
            next_attempt_at=None if failed else now + backoff(message.attempts),
            payload="" if failed else message.payload,
            error_code=str(getattr(exc, "code", "") or "")[:100],
            last_error=str(exc)[:2000] or repr(exc)[:2000],
        )
        log.warning("SMS %s (%s) failed (attempt %s): %r", message_id, message.kind, message.attempts, exc)
        return "failed" if failed else "retry"
    mine.update(status=Status.SENT, sent_at=timezone.now(), provider_id=provider_id[:100], payload="",
                next_attempt_at=None, error_code="", last_error="")  # fmt: skip
    return "sent"


def requeue(limit: int = 1000) -> int:
    """Enqueue texts whose next attempt is due, or whose task or worker was lost; forget finished ones after
    KEEP_FINISHED."""
    from congress.models import SmsMessage
    from congress.tasks import send_sms

    now, Status = timezone.now(), SmsMessage.Status
    old = SmsMessage.objects.filter(status__in=[Status.SENT, Status.FAILED], created_at__lt=now - KEEP_FINISHED)
    SmsMessage.objects.filter(pk__in=list(old.order_by("id").values_list("pk", flat=True)[:limit])).delete()
    due = list(
        SmsMessage.objects.filter(
            Q(status=Status.PENDING, next_attempt_at__lte=now)
            | Q(status=Status.PENDING, next_attempt_at__isnull=True, created_at__lt=now - STALE_CLAIM)
            | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        try:
            send_sms.delay(pk)
        except Exception:  # broker down: the row waits for the next requeue
            log.warning("SMS %s not queued; the next requeue sends it", pk, exc_info=True)
    return len(due)

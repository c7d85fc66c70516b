"""In-app inbox plus pluggable delivery channels. send_once(key, ...) stores a notification at most once
per recipient and key, so a retried task or a re-run sweep never notifies twice."""

import logging
import sys
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import outbox
from .models import Delivery, Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


class SmsUnavailable(Exception):
    """No SMS backend that delivers is configured: nothing is sent, and pages that need a text say so."""


class ConsoleSmsBackend:
    """Development backend: prints the message instead of sending it."""

    delivers = False  # refused with DEBUG off (sms_available)

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[SMS to {phone}] {text}\n")
        sys.stdout.flush()


class LocmemSmsBackend:
    """Development backend: keeps messages in a list."""

    delivers = False
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def _backend_class():
    return import_string(settings.SMS_BACKEND) if settings.SMS_BACKEND else None


def sms_available() -> bool:
    """Whether a text can reach a phone. A backend that only prints or keeps the text (console, locmem) counts
    only under DEBUG: on a live site it would leave a phone unverified while the page believed it verified, and
    print citizens' numbers to the log. No backend at all (the default without DEBUG) means no SMS."""
    backend = _backend_class()
    return backend is not None and (settings.DEBUG or getattr(backend, "delivers", True))


def shows_codes() -> bool:
    """A verification code may appear on a page only under DEBUG, with a backend that delivers nothing."""
    backend = _backend_class()
    return settings.DEBUG and backend is not None and not getattr(backend, "delivers", True)


def sms_backend():
    """The configured backend; raises SmsUnavailable when sms_available() is false, so nothing is 'sent'
    through the console backend on a live site."""
    if not sms_available():
        raise SmsUnavailable("No SMS backend that delivers is configured (SMS_BACKEND).")
    return _backend_class()()


def _send_email(notification: Notification) -> bool:
    address = notification.recipient.email
    if not address:
        return False
    body = notification.body
    if notification.link:
        body = f"{body}\n\n{notification.link}".strip()
    send_mail(notification.title, body, None, [address])
    return True


def _send_sms(notification: Notification) -> bool:
    phone = notification.recipient.phone
    if not phone:
        return False
    if not sms_available():
        log.warning("SMS notification %s not sent: no SMS backend is configured", notification.pk)
        return False
    sms_backend().send(phone, f"{notification.title} {notification.body}".strip())
    return True


CHANNELS = {"email": _send_email, "sms": _send_sms}


def send_once(key: str, recipients, title: str, body: str = "", link: str = "", channels=("email",)) -> int:
    """Store the notification for each recipient who has not had this key yet and queue its deliveries.

    Returns how many new notifications were stored."""
    return send_each(key, [(user.pk, title, body, link) for user in recipients], channels)


def send_each(key: str, messages, channels=("email",), batch_size: int = 2000) -> int:
    """Like send_once, with a message of its own for each recipient: (user_id, title, body, link) tuples.

    Sweeps that tell thousands of deputies their own figures use this: a few queries per batch."""
    stored_total = 0
    messages = list(messages)
    for first in range(0, len(messages), batch_size):
        stored_total += _send_batch(key, messages[first : first + batch_size], channels)
    return stored_total


def _send_batch(key, messages, channels) -> int:
    from .tasks import deliver_notification

    if not messages:
        return 0
    ids = [user_id for user_id, *_rest in messages]
    already = set(Notification.objects.filter(key=key, recipient_id__in=ids).values_list("recipient_id", flat=True))
    fresh = [
        Notification(recipient_id=user_id, key=key, title=title[:200], body=body, link=link)
        for user_id, title, body, link in messages
        if user_id not in already
    ]
    if not fresh:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
        stored = list(
            Notification.objects.filter(key=key, recipient_id__in=[n.recipient_id for n in fresh]).values_list(
                "pk", flat=True
            )
        )
        Delivery.objects.bulk_create(
            [Delivery(notification_id=pk, channel=channel) for pk in stored for channel in channels],
            ignore_conflicts=True,
        )
        pending = list(
            Delivery.objects.filter(notification_id__in=stored, status=Delivery.Status.PENDING).values_list(
                "pk", flat=True
            )
        )
        outbox.enqueue_each(deliver_notification, [(pk,) for pk in pending])
    return len(stored)


def _enqueue(delivery_ids) -> None:
    from .tasks import deliver_notification

    for pk in delivery_ids:
        deliver_notification.delay(pk)


def deliver(delivery_id: int) -> str:
    """Send one delivery if nobody else has; safe to call again after a crash or retry."""
    now = timezone.now()
    claimable = Q(status=Delivery.Status.PENDING) | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    won = Delivery.objects.filter(claimable, pk=delivery_id).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not won:
        return "skipped"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    try:
        sent = CHANNELS[delivery.channel](delivery.notification)
    except Exception as exc:
        failed = delivery.attempts >= MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED if failed else Delivery.Status.PENDING, last_error=repr(exc)[:2000]
        )
        log.warning("delivery %s via %s failed (attempt %s): %r", delivery_id, delivery.channel, delivery.attempts, exc)
        if failed:
            return "failed"
        raise
    status = Delivery.Status.SENT if sent else Delivery.Status.SKIPPED
    Delivery.objects.filter(pk=delivery_id).update(status=status, sent_at=timezone.now() if sent else None)
    return status


def requeue_stuck(older_than: timedelta = timedelta(minutes=5)) -> int:
    """Enqueue deliveries whose message was lost (a worker killed while sending, a message dropped by the
    broker); the outbox already covers a broker that was down at commit."""
    cutoff = timezone.now() - older_than
    stuck = list(
        Delivery.objects.filter(
            Q(status=Delivery.Status.PENDING, notification__created_at__lt=cutoff)
            | Q(status=Delivery.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM)
        ).values_list("pk", flat=True)[:1000]
    )
    _enqueue(stuck)
    return len(stuck)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notification_ids=None) -> int:
    queryset = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        queryset = queryset.filter(pk__in=notification_ids)
    return queryset.update(read_at=timezone.now())

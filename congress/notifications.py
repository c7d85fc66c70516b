"""In-app inbox plus pluggable delivery channels. send_once(key, ...) stores a notification at most once
per recipient and key, so a retried task or a re-run sweep never notifies twice."""

import json
import logging
import sys
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from . import outbox
from .models import Delivery, Notification, OutboxMessage

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


def preference_of(user_id: int):
    """The person's notification preference: their saved row, or the defaults (every channel on) until they save."""
    from .models import NotificationPreference

    return NotificationPreference.objects.filter(user_id=user_id).first() or NotificationPreference(user_id=user_id)


def _send_email(notification: Notification) -> bool:
    address = notification.recipient.email
    if not address or not preference_of(notification.recipient_id).email:
        return False
    from .emails import notification_message

    notification_message(notification, address).send()
    return True


def _home_congress(user):
    """The congress whose SMS policies (quiet hours, daily limit) a person's texts follow: the most local one of
    their roles; None (the defaults) for a unit officer or a person without one."""
    from django.db.models.functions import Length

    from .models import RoleMembership

    membership = (
        RoleMembership.objects.filter(user=user, congress__isnull=False)
        .select_related("congress")
        .order_by(Length("congress__region__code").desc(), "pk")
        .first()
    )
    return membership.congress if membership else None


def _send_sms(notification: Notification) -> bool:
    """Queue the text in the SMS outbox (congress.sms: retries, quiet hours, the phone's daily limit); a person who
    turned SMS off, has no phone, or a site without an SMS backend gets none."""
    user = notification.recipient
    if not user.phone or not preference_of(user.pk).wants_sms:
        return False
    if not sms_available():
        log.warning("SMS notification %s not sent: no SMS backend is configured", notification.pk)
        return False
    from . import sms

    text = f"{notification.title} {notification.body}".strip()
    params = {"title": notification.title, "body": notification.body}
    sms.queue(user.phone, "notification", params, text, congress=_home_congress(user))
    return True


CHANNELS = {"email": _send_email, "sms": _send_sms}


def send_once(key: str, recipients, title: str, body: str = "", link: str = "", channels=("email",)) -> int:
    """Store the notification for each recipient who has not had this key yet and queue its deliveries.

    Returns how many new notifications were stored."""
    return send_each(key, [(user.pk, title, body, link) for user in recipients], channels)


# Notifications stored per statement and transaction by send_each (a sweep telling thousands of deputies).
BATCH = 1000


def send_each(key: str, messages, channels=("email",), batch_size: int | None = None) -> int:
    """Like send_once, with a message of its own for each recipient: (user_id, title, body, link) tuples.

    Sweeps that tell thousands of deputies their own figures use this: one statement and one transaction per
    batch."""
    batch_size = batch_size or BATCH
    rows = [(user_id, key, title, body, link) for user_id, title, body, link in messages]
    stored_total = 0
    for first in range(0, len(rows), batch_size):
        with transaction.atomic():
            stored_total += store(rows[first : first + batch_size], channels)
    return stored_total


def store(rows, channels=("email",)) -> int:
    """Store (user_id, key, title, body, link) notifications that are new by (recipient, key), a delivery per
    channel for each, and one outbox message that delivers them after the caller's transaction commits; returns
    how many notifications were new. The unique (recipient, key) decides: a message stored by an earlier or a
    concurrent run is skipped, and gets no second delivery."""
    rows = [(user_id, key[:200], title[:200], body, link[:300]) for user_id, key, title, body, link in rows]
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        return _store_postgres(rows, channels)
    return _store_portable(rows, channels)


COLUMNS = ("recipient_id", "key", "title", "body", "link")
# One statement for the whole batch: the notifications that are new, their deliveries, and the outbox message.
# ORDER BY takes the unique index's entries in one order, so two concurrent runs wait for each other instead of
# deadlocking.
STORE_SQL = """
WITH message AS (
    SELECT * FROM jsonb_to_recordset(%(rows)s::jsonb) AS row (recipient_id integer, key text, title text, body text,
                                                                link text)
), stored AS (
    INSERT INTO congress_notification (recipient_id, key, title, body, link, created_at)
    SELECT recipient_id, key, title, body, link, %(now)s FROM message ORDER BY recipient_id, key
    ON CONFLICT (recipient_id, key) DO NOTHING
    RETURNING id
), queued AS (
    INSERT INTO congress_delivery (notification_id, channel, status, attempts, last_error)
    SELECT stored.id, channel, 'pending', 0, '' FROM stored CROSS JOIN unnest(%(channels)s::text[]) AS channel
    RETURNING id
), outgoing AS (
    INSERT INTO congress_outboxmessage (task, args, kwargs, created_at, attempts, last_error)
    SELECT %(task)s, jsonb_build_array(array_agg(id ORDER BY id)), '{}'::jsonb, %(now)s, 0, ''
    FROM queued HAVING count(*) > 0
    RETURNING id
)
SELECT (SELECT count(*) FROM stored), (SELECT id FROM outgoing), (SELECT array_agg(id ORDER BY id) FROM queued)
"""


def _store_postgres(rows, channels) -> int:
    from .tasks import deliver_notifications

    # The rows go as one JSON document: adapting five arrays of a thousand strings costs more in Python.
    document = json.dumps([dict(zip(COLUMNS, row, strict=True)) for row in rows], ensure_ascii=False)
    params = {"rows": document, "channels": list(channels), "task": deliver_notifications.name, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(STORE_SQL, params)
        stored, message_id, delivery_ids = cursor.fetchone()
    if message_id is not None:
        message = OutboxMessage(pk=message_id, task=deliver_notifications.name, args=[delivery_ids])
        outbox.publish_on_commit([message])
    return stored


def _store_portable(rows, channels) -> int:
    """The same with the ORM (SQLite in development): a few statements instead of one."""
    from .tasks import deliver_notifications

    wanted = {(user_id, key) for user_id, key, *_rest in rows}
    users, keys = {user_id for user_id, _key in wanted}, {key for _user, key in wanted}
    existing = Notification.objects.filter(recipient_id__in=users, key__in=keys)
    already = set(existing.values_list("recipient_id", "key"))
    fresh = {}
    for user_id, key, title, body, link in rows:
        if (user_id, key) not in already and (user_id, key) not in fresh:
            fresh[user_id, key] = Notification(recipient_id=user_id, key=key, title=title, body=body, link=link)
    if not fresh:
        return 0
    Notification.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    stored = [pk for pk, user_id, key in existing.values_list("pk", "recipient_id", "key") if (user_id, key) in fresh]
    Delivery.objects.bulk_create(
        [Delivery(notification_id=pk, channel=channel) for pk in stored for channel in channels], ignore_conflicts=True
    )
    pending = list(
        Delivery.objects.filter(notification_id__in=stored, status=Delivery.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if pending:
        outbox.enqueue(deliver_notifications, pending)
    return len(fresh)


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
        # The SMS channel stores its text in the SMS outbox: that row and this delivery's outcome commit together,
        # so a crash in between cannot queue the text twice.
        with transaction.atomic():
            sent = CHANNELS[delivery.channel](delivery.notification)
            status = Delivery.Status.SENT if sent else Delivery.Status.SKIPPED
            Delivery.objects.filter(pk=delivery_id).update(status=status, sent_at=timezone.now() if sent else None)
    except Exception as exc:
        from .sms import PermanentSmsError

        # A provider's refusal (bad number, template, key) gives the same answer every time: no retry.
        failed = delivery.attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentSmsError)
        Delivery.objects.filter(pk=delivery_id).update(
            status=Delivery.Status.FAILED if failed else Delivery.Status.PENDING, last_error=repr(exc)[:2000]
        )
        log.warning("delivery %s via %s failed (attempt %s): %r", delivery_id, delivery.channel, delivery.attempts, exc)
        if failed:
            return "failed"
        raise
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

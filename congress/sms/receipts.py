"""Delivery receipts: the provider tells whether a text reached the phone; recorded on its SmsMessage by the
provider's id (Alibaba's BizId, the gateway's message_id). The first receipt of a text counts and a repeated push
changes nothing, so a provider that pushes again after a timeout does no harm.

Alibaba Cloud pushes a JSON list (the "HTTP batch push" of SmsReport) to a URL set in its console; it signs
nothing, so the URL carries a secret (SMS_RECEIPT_TOKEN). The provincial gateway signs its push as we sign our
requests to it (gateway.signature over timestamp + nonce + body with SMS_GATEWAY_SECRET)."""

import hmac
import json
import time
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import gateway
from .limits import phone_key

MAX_SKEW_SECONDS = 300  # a gateway push older (or newer) than this is refused: a replayed request


class BadReceipt(Exception):
    """The push is not a list of receipts this module reads."""


def record(provider_id: str, phone: str, delivered: bool, reported_at: datetime, error: str = "") -> bool:
    """Record one receipt on the text the provider accepted under provider_id for phone; False when there is no
    such text or it already has its receipt."""
    from congress.models import SmsMessage

    if not provider_id:
        return False
    return bool(
        SmsMessage.objects.filter(
            provider_id=provider_id[:100], phone_hash=phone_key(phone), reported_at__isnull=True
        ).update(delivered=delivered, reported_at=reported_at, receipt_error="" if delivered else error[:200])
    )


def _when(value) -> datetime:
    """A provider's report time: Unix seconds, or a local "2026-12-07 09:30:00" as Alibaba writes it."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=timezone.get_current_timezone())
    parsed = parse_datetime(str(value or "").replace("T", " ")) if value else None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _items(body: bytes) -> list[dict]:
    try:
        items = json.loads(body or b"")
    except ValueError as exc:
        raise BadReceipt("not JSON") from exc
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise BadReceipt("not a list of receipts")
    return items


def aliyun_token_ok(token: str) -> bool:
    expected = settings.SMS_RECEIPT_TOKEN
    return bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def from_aliyun(body: bytes) -> int:
    """Alibaba's batch: [{phone_number, send_time, report_time, success, err_code, err_msg, biz_id, out_id}];
    returns how many texts got their receipt."""
    recorded = 0
    for item in _items(body):
        delivered = item.get("success") in (True, "true", "True")
        error = " ".join(str(item.get(name) or "") for name in ("err_code", "err_msg")).strip()
        recorded += record(str(item.get("biz_id") or ""), str(item.get("phone_number") or ""), delivered,
                           _when(item.get("report_time")), error)  # fmt: skip
    return recorded


def gateway_signature_ok(headers, body: bytes) -> bool:
    secret = settings.SMS_GATEWAY_SECRET
    timestamp, nonce = headers.get("X-Timestamp", ""), headers.get("X-Nonce", "")
    if not secret or not timestamp.isdigit() or not nonce:
        return False
    if abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    expected = gateway.signature(secret, timestamp, nonce, body)
    return hmac.compare_digest(expected, headers.get("X-Signature", ""))


def from_gateway(body: bytes) -> int:
    """The gateway's push: [{message_id, phone, status: "delivered" | "failed", report_time, error_code}]."""
    recorded = 0
    for item in _items(body):
        delivered = str(item.get("status", "")).lower() == "delivered"
        recorded += record(str(item.get("message_id") or ""), str(item.get("phone") or ""), delivered,
                           _when(item.get("report_time")), str(item.get("error_code") or ""))  # fmt: skip
    return recorded

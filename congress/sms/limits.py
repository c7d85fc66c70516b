"""When a text may go: not in a congress's quiet hours (policies sms.quiet_from_hour, sms.quiet_until_hour) and not
beyond the phone's texts of the day (sms.texts_per_phone_day). A text held by either waits (next_attempt_at) and is
sent when the hold ends, never dropped. Verification codes are exempt: the person is waiting for them."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from congress import policies

from .kinds import KINDS


def phone_key(phone: str) -> str:
    """A keyed hash of the phone, however it is written (spaces, dashes, +86), to count its texts by (the phone
    itself is stored encrypted); "" for no number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit() or ch == "+").removeprefix("+86")
    return salted_hmac("congress.sms.phone", digits, algorithm="sha256").hexdigest() if digits else ""


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time()))


def quiet_until(congress, moment: datetime) -> datetime | None:
    """The end of the quiet hours moment falls in (local time), or None outside them."""
    start = int(policies.policy(congress, "sms.quiet_from_hour"))
    end = int(policies.policy(congress, "sms.quiet_until_hour"))
    local = timezone.localtime(moment)
    if start == end:
        return None
    quiet = start <= local.hour < end if start < end else (local.hour >= start or local.hour < end)
    if not quiet:
        return None
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return _local_midnight(day) + timedelta(hours=end)


def over_limit_until(message, congress, moment: datetime) -> datetime | None:
    """The next local midnight when the phone has had its texts of moment's day, else None. Texts being sent
    count too: two sent at once then both wait rather than both go past the limit."""
    from congress.models import SmsMessage

    limit = int(policies.policy(congress, "sms.texts_per_phone_day"))
    day = timezone.localtime(moment).date()
    midnight = _local_midnight(day)
    today = Q(status=SmsMessage.Status.SENT, sent_at__gte=midnight) | Q(
        status=SmsMessage.Status.SENDING, claimed_at__gte=midnight
    )
    others = SmsMessage.objects.filter(today, phone_hash=message.phone_hash).exclude(pk=message.pk)
    if others.count() < limit:
        return None
    return _local_midnight(day + timedelta(days=1))


def hold_until(message, moment: datetime) -> datetime | None:
    """When a text due at moment may go instead, or None if it may go now."""
    kind = KINDS.get(message.kind)
    if kind is not None and kind.code:
        return None
    congress = message.congress if message.congress_id else None
    later = over_limit_until(message, congress, moment)
    if later is not None:
        return quiet_until(congress, later) or later
    return quiet_until(congress, moment)

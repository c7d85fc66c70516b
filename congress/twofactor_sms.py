"""Sign-in codes by text message: the choice next to an authenticator app for two-factor sign-in (twofactor.py).

A user who must give a second factor enrols a phone, proven by a code texted to it; at sign-in they ask for a
code and type it. A code has 6 digits, is kept only as a keyed hash, expires after CODE_VALID, is spent by its
first right use, and dies after MAX_WRONG wrong tries; a new one may be sent RESEND_AFTER after the last and at
most SENDS_PER_HOUR times an hour. Texts go through the SMS outbox (congress.sms.queue) in the transaction that
made the code, and are dropped rather than sent once the code has expired. Where no backend delivers texts (no
SMS_BACKEND, or only the console one with DEBUG off) SMS is not offered at all. The backup codes work alike."""

import hmac
import secrets
from datetime import timedelta

import django_otp
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, crypto, notifications, sms
from .errors import RuleViolation
from .models import SmsAuthenticator, User

SMS_KIND = "two_factor_code"
DEVICE_NAME = "sms"
CODE_DIGITS = 6
CODE_VALID = timedelta(minutes=5)
MAX_WRONG = 5
RESEND_AFTER = timedelta(seconds=60)
SENDS_PER_HOUR = 5
PHONE_DIGITS = 11


def offered() -> bool:
    """Whether sign-in codes by SMS may be chosen: only where a text can reach a phone."""
    return notifications.sms_available()


def enrolled(user) -> SmsAuthenticator | None:
    """The user's confirmed phone for sign-in codes, if any."""
    return SmsAuthenticator.objects.filter(user=user, confirmed=True).order_by("pk").first()


def mask(phone: str) -> str:
    """138****5678: enough for its owner to recognise the phone."""
    return phone[:3] + "*" * max(len(phone) - 7, 0) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def _hash(device_pk: int, code: str) -> str:
    return crypto.blind_index("two_factor_sms", f"{device_pk}:{code}")


def _send_code(device: SmsAuthenticator, now) -> str:
    """Make, store (hashed) and text a new code for a locked device; returns "" or why it was not sent."""
    if device.last_sent_at and now < device.last_sent_at + RESEND_AFTER:
        wait = int((device.last_sent_at + RESEND_AFTER - now).total_seconds()) + 1
        return _("A code was sent a moment ago: wait %(seconds)d seconds before asking for another.") % {
            "seconds": wait
        }
    if device.sends_window_start is None or now >= device.sends_window_start + timedelta(hours=1):
        device.sends_window_start, device.sends_in_window = now, 0
    if device.sends_in_window >= SENDS_PER_HOUR:
        return _("Too many codes asked for this hour: try again later, or use a backup code.")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = int(CODE_VALID.total_seconds() // 60)
    device.code_hash = _hash(device.pk, code)
    device.code_expires_at = now + CODE_VALID
    device.wrong_attempts = 0
    device.last_sent_at = now
    device.sends_in_window += 1
    device.save()
    text = _("Your sign-in code is %(code)s, valid for %(minutes)d minutes. Never tell it to anyone.") % {
        "code": code,
        "minutes": minutes,
    }
    sms.queue(device.phone, SMS_KIND, {"code": code, "minutes": minutes}, text, expires_at=device.code_expires_at)
    return ""


def _check_code(device: SmsAuthenticator, code: str, now) -> str:
    """Spend the locked device's code if `code` is it; returns "" or why not."""
    if not device.code_hash or device.code_expires_at is None or now >= device.code_expires_at:
        return _("That code has expired or was used already: ask for a new one.")
    if device.wrong_attempts >= MAX_WRONG:
        return _("Too many wrong codes: ask for a new one.")
    if not hmac.compare_digest(device.code_hash, _hash(device.pk, code.strip())):
        device.wrong_attempts += 1
        if device.wrong_attempts >= MAX_WRONG:
            device.code_hash, device.code_expires_at = "", None
        device.save(update_fields=["wrong_attempts", "code_hash", "code_expires_at"])
        return _("That code is not right.")
    device.code_hash, device.code_expires_at, device.wrong_attempts = "", None, 0
    device.last_used_at = now
    device.last_sent_at = None  # a code that was used leaves nothing to wait for (the hourly limit stays)
    device.save(update_fields=["code_hash", "code_expires_at", "wrong_attempts", "last_used_at", "last_sent_at"])
    return ""


def start_enrolment(*, user, phone: str) -> tuple[SmsAuthenticator, str]:
    """Text a code to the phone the user names, as the first step of enrolling it; replaces an earlier
    unconfirmed phone. Returns the (unconfirmed) device and "" or why no code was sent."""
    if not offered():
        raise RuleViolation(_("Sign-in codes by text message are not available on this site."))
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        SmsAuthenticator.objects.filter(user=user, confirmed=False).delete()
        device = SmsAuthenticator.objects.create(user=user, name=DEVICE_NAME, phone=phone, confirmed=False)
        refused = _send_code(device, timezone.now())
    return device, refused


def send_code(*, user, device_id: int) -> str:
    """Text a new code to one of the user's phones; returns "" or why not (the resend limits)."""
    if not offered():
        return _("Sign-in codes by text message are not available on this site.")
    with transaction.atomic():
        device = SmsAuthenticator.objects.select_for_update().filter(pk=device_id, user=user).first()
        if device is None:
            raise Http404
        return _send_code(device, timezone.now())


def confirm_enrolment(request, *, device_id: int, code: str) -> str:
    """The code texted to the new phone was typed: the phone gives sign-in codes from now on, and this session
    is verified. Returns "" or why not."""
    user = request.user
    with transaction.atomic():
        device = SmsAuthenticator.objects.select_for_update().filter(pk=device_id, user=user, confirmed=False).first()
        if device is None:
            raise Http404
        refused = _check_code(device, code, timezone.now())
        if refused:
            return refused
        SmsAuthenticator.objects.filter(user=user).exclude(pk=device.pk).delete()  # one phone a user
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(user, user, "two_factor.sms_enrolled", phone=mask(device.phone))
    django_otp.login(request, device)
    return ""


def sign_in(request, *, code: str) -> str:
    """Finish signing in with the code texted to the user's phone; returns "" or why not."""
    user = request.user
    with transaction.atomic():
        device = SmsAuthenticator.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            return _("No phone is enrolled for sign-in codes.")
        refused = _check_code(device, code, timezone.now())
    if not refused:
        django_otp.login(request, device)
    return refused


def remove(*, actor, device_id: int) -> None:
    """The owner stops receiving sign-in codes on that phone."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=actor.pk)
        device = SmsAuthenticator.objects.filter(pk=device_id, user=actor).first()
        if device is None:
            raise Http404
        phone = mask(device.phone)
        device.delete()
        audit.record(actor, actor, "two_factor.sms_removed", phone=phone)

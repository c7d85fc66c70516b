"""Two-factor sign-in (TOTP through django-otp) for everyone who does staff work, reaches the console, or sees
citizens' phones unmasked (station managers, supervisors).

After the password, such a user without a confirmed authenticator is sent to enrol one (QR code and the secret
in text, confirmed with a code); with one, to type its current code, or one of their single-use backup codes
(for a lost phone; kept only as keyed hashes). Until then every page refuses them (StaffTwoFactorMiddleware),
API calls with the session too. Deputies, unit officers and citizens are not asked. settings.STAFF_TWO_FACTOR
turns the requirement off (tests do, except where they test it)."""

import base64

import django_otp
import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, crypto, scope
from .models import Role, RoleMembership, SmsAuthenticator, User

DEVICE_NAME = "authenticator"
BACKUP_NAME = "backup codes"
BACKUP_COUNT = 10
# Who does staff work or sees personal data unmasked (station managers read citizens' phones, supervisors too).
ROLES = (Role.STAFF, Role.STATION_MANAGER, Role.SUPERVISOR)


def requires_two_factor(user) -> bool:
    if not settings.STAFF_TWO_FACTOR or not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or scope.has_role(user, *ROLES)


def has_device(user) -> bool:
    """Whether the user has a second factor: an authenticator app, or a phone for codes by text message."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or SmsAuthenticator.objects.filter(user=user, confirmed=True).exists()
    )


def secret_text(key: bytes) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    key = base64.b32encode(key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


class StaffTwoFactorMiddleware:
    """Refuses everything but the two-factor pages, logging out and switching language to a signed-in user who
    needs a second factor and has not given it in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if requires_two_factor(user) and not user.is_verified() and not self._open(request.path_info):
            return self._refuse(request)
        return self.get_response(request)

    OPEN = {"two_factor_setup", "two_factor_verify", "logout", "set_language", "two_factor_sms_setup",
            "two_factor_sms_confirm", "two_factor_sms_verify"}  # fmt: skip

    @classmethod
    def _open(cls, path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.url_name in cls.OPEN and not match.namespace

    @staticmethod
    def _refuse(request):
        if request.path_info.startswith("/api/"):
            message = _("Confirm your sign-in with your authenticator code first.")
            body = {"error": {"status": 403, "code": "two_factor_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403)
        target = "two_factor_verify" if has_device(request.user) else "two_factor_setup"
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}", "autofocus": True}
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Type the six digits your authenticator app shows."))
        return code


class BackupCodeForm(forms.Form):
    backup_code = forms.CharField(
        label=gettext_lazy("Backup code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


def _backup_hash(code: str) -> str:
    """What is stored of a backup code: a keyed hash (the token column holds 16 characters)."""
    return crypto.blind_index("backup_code", code.strip().replace(" ", "").lower())[:16]


def issue_backup_codes(*, actor, user) -> list[str]:
    """New single-use backup codes for user, replacing any left; shown once, kept only as keyed hashes."""
    codes = [StaticToken.random_token() for _ in range(BACKUP_COUNT)]
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=_backup_hash(code)) for code in codes])
        audit.record(actor, user, "two_factor.backup_codes_issued", count=len(codes))
    return [f"{code[:4]} {code[4:]}" for code in codes]


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def use_backup_code(request, code: str) -> str:
    """Sign the session in with one of the user's backup codes, which is then spent; returns "" on success or why
    not. Wrong codes slow the next tries down, as for the authenticator's codes."""
    user = request.user
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and not device.verify_is_allowed()[0]:
            return _("Too many wrong codes: wait a minute, then try again.")
        if device is None or not device.verify_token(_backup_hash(code)):
            return _("That backup code is not valid, or has been used already.")
        audit.record(user, user, "two_factor.backup_code_used", left=device.token_set.count())
    django_otp.login(request, device)
    return ""


def next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("home")


def _check(device, form) -> bool:
    """Whether the form's code is the device's current one; a refused code says why on the form."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many wrong codes: wait a minute, then try the newest code."))
        return False
    if device.verify_token(form.cleaned_data["code"]):
        return True
    form.add_error("code", _("That code is not right. Check your phone's clock and type the newest code."))
    return False


@never_cache
@login_required
def setup(request):
    """Enrol an authenticator app: scan the QR code (or type the secret), then confirm with a code."""
    user = request.user
    if not requires_two_factor(user):
        return redirect(next_url(request))
    if has_device(user):
        return redirect(reverse("two_factor_verify") + "?" + urlencode({"next": next_url(request)}))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        confirm_device(request, device)
        return redirect(next_url(request))
    from . import twofactor_sms

    context = {
        "form": form,
        "next": next_url(request),
        "sms_offered": twofactor_sms.offered(),
        "secret": secret_text(device.bin_key),
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
    }
    return render(request, "registration/two_factor_setup.html", context)


@never_cache
@login_required
def verify(request):
    """Type the authenticator's current code, or ask for one by text message, to finish signing in."""
    from . import twofactor_sms

    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    phone = twofactor_sms.enrolled(user)
    if device is None and phone is None:
        if not requires_two_factor(user):
            return redirect(next_url(request))
        return redirect(reverse("two_factor_setup") + "?" + urlencode({"next": next_url(request)}))
    backup = "backup_code" in request.POST
    form = CodeForm(None if backup else request.POST or None) if device is not None else None
    backup_form = BackupCodeForm(request.POST if backup else None)
    if request.method == "POST" and form is not None and not backup and form.is_valid() and _check(device, form):
        django_otp.login(request, device)
        return redirect(next_url(request))
    if backup and backup_form.is_valid():
        refused = use_backup_code(request, backup_form.cleaned_data["backup_code"])
        if not refused:
            return redirect(next_url(request))
        backup_form.add_error("backup_code", refused)
    context = {
        "form": form,
        "backup_form": backup_form,
        "next": next_url(request),
        "sms_phone": twofactor_sms.mask(phone.phone) if phone is not None and twofactor_sms.offered() else "",
        "sms_unavailable": phone is not None and device is None and not twofactor_sms.offered(),
    }
    return render(request, "registration/two_factor_verify.html", context)


@never_cache
@login_required
def backup_codes(request):
    """A signed-in user's backup codes: how many are left, and new ones (shown once, replacing the old)."""
    user = request.user
    if not requires_two_factor(user):
        return redirect(reverse("home"))
    codes = None
    if request.method == "POST":
        codes = issue_backup_codes(actor=user, user=user)
    from . import twofactor_sms

    phone = twofactor_sms.enrolled(user)
    context = {
        "codes": codes,
        "left": backup_codes_left(user),
        "count": BACKUP_COUNT,
        "phone": phone,
        "phone_masked": twofactor_sms.mask(phone.phone) if phone else "",
        "sms_offered": twofactor_sms.offered(),
    }
    return render(request, "registration/two_factor_backup.html", context)


def confirm_device(request, device) -> None:
    """The code matched: the device is the user's authenticator from now on, and this session is verified."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        audit.record(request.user, device.user, "two_factor.enrolled")
    django_otp.login(request, device)


def reset(*, actor, user) -> int:
    """Remove the user's authenticators, phone for sign-in codes and backup codes (a lost phone): their next
    sign-in enrols a new one, and a session verified with the old one is asked again. Returns how many second
    factors (authenticators, phones) were removed."""
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        removed, _details = TOTPDevice.objects.filter(user=user).delete()
        removed += SmsAuthenticator.objects.filter(user=user).delete()[0]
        StaticDevice.objects.filter(user=user).delete()  # the backup codes go with the authenticator
        if removed:
            audit.record(actor, user, "two_factor.reset")
    return removed


def resettable_users(actor):
    """Whose authenticators actor may reset: anyone for an administrator; for staff, the users all of whose
    roles lie in their own congresses' regions (never an administrator)."""
    if actor.is_superuser:
        return User.objects.all()
    prefixes = scope.region_prefixes(actor, roles={Role.STAFF})
    if not prefixes:
        return User.objects.none()
    inside = Q(pk__in=[])
    for prefix in prefixes:
        inside |= Q(congress__region__code__startswith=prefix) | Q(organisation__region__code__startswith=prefix)
    outside = RoleMembership.objects.exclude(inside).values("user")
    return (
        User.objects.filter(is_superuser=False, memberships__in=RoleMembership.objects.filter(inside))
        .exclude(pk__in=outside)
        .distinct()
    )

"""The pages of sign-in codes by text message (services in congress.twofactor_sms): enrol a phone, confirm it
with the texted code, sign in with a code, stop the texts."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import twofactor
from .models import SmsAuthenticator
from .twofactor_sms import (
    PHONE_DIGITS,
    confirm_enrolment,
    enrolled,
    mask,
    offered,
    remove,
    send_code,
    sign_in,
    start_enrolment,
)


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=PHONE_DIGITS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "autofocus": True}),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if len(phone) != PHONE_DIGITS or not phone.isdigit() or phone[0] != "1" or phone[1] in "012":
            raise forms.ValidationError(_("Type an 11-digit mainland mobile number."))
        return phone


class SmsCodeForm(twofactor.CodeForm):
    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Type the six digits of the text message."))
        return code


def _refuse_enrolment(request):
    """Where enrolling a phone is not for this user now, the redirect that says so; None where it is. Someone who
    has a second factor already adds a phone only from a verified session: a password alone must not let anyone
    put their own phone on the account."""
    user = request.user
    if not twofactor.requires_two_factor(user):
        return redirect(twofactor.next_url(request))
    if not offered() or (twofactor.has_device(user) and not user.is_verified()):
        return redirect(_with_next("two_factor_verify", request))
    return None


def _with_next(name: str, request, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None) + "?" + urlencode({"next": twofactor.next_url(request)})


@never_cache
@login_required
def setup(request):
    """Name the phone that will receive sign-in codes; a code is texted to it."""
    refusal = _refuse_enrolment(request)
    if refusal is not None:
        return refusal
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, refused = start_enrolment(user=request.user, phone=form.cleaned_data["phone"])
        if not refused:
            return redirect(_with_next("two_factor_sms_confirm", request, pk=device.pk))
        form.add_error("phone", refused)
    context = {"form": form, "next": twofactor.next_url(request)}
    return render(request, "registration/two_factor_sms_setup.html", context)


@never_cache
@login_required
def confirm(request, pk):
    """Type the code texted to the phone being enrolled (or have it sent again)."""
    device = get_object_or_404(SmsAuthenticator, pk=pk, user=request.user, confirmed=False)
    refusal = _refuse_enrolment(request)
    if refusal is not None:
        return refusal
    resend = "resend" in request.POST
    form = SmsCodeForm(None if resend else request.POST or None)
    notice = ""
    if resend:
        notice = send_code(user=request.user, device_id=device.pk) or _("A new code is on its way.")
    elif request.method == "POST" and form.is_valid():
        refused = confirm_enrolment(request, device_id=device.pk, code=form.cleaned_data["code"])
        if not refused:
            return redirect(twofactor.next_url(request))
        form.add_error("code", refused)
    context = {"form": form, "phone": mask(device.phone), "notice": notice, "next": twofactor.next_url(request)}
    return render(request, "registration/two_factor_sms_confirm.html", context)


@never_cache
@login_required
def verify(request):
    """Sign in with a code by text message: ask for one, then type it."""
    device = enrolled(request.user)
    if device is None and not twofactor.requires_two_factor(request.user):
        return redirect(twofactor.next_url(request))
    if device is None or not offered():
        return redirect(_with_next("two_factor_verify", request))
    send = "send" in request.POST
    form = SmsCodeForm(None if send else request.POST or None)
    notice = ""
    if send:
        notice = send_code(user=request.user, device_id=device.pk) or _("A code is on its way.")
    elif request.method == "POST" and form.is_valid():
        refused = sign_in(request, code=form.cleaned_data["code"])
        if not refused:
            return redirect(twofactor.next_url(request))
        form.add_error("code", refused)
    context = {"form": form, "phone": mask(device.phone), "notice": notice, "next": twofactor.next_url(request)}
    return render(request, "registration/two_factor_sms_verify.html", context)


@never_cache
@login_required
@require_POST
def remove_view(request, pk):
    """Stop receiving sign-in codes on the phone (from a verified session: the middleware sees to it)."""
    remove(actor=request.user, device_id=pk)
    messages.success(request, _("Sign-in codes are no longer texted to that phone."))
    return redirect(reverse("home"))

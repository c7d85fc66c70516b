"""Input limits the forms alone do not give.

Text no field may hold: the NUL character (U+0000). PostgreSQL refuses it in text columns, in lookups and in
JSON, so a request that carries one anywhere (address, query, form fields, JSON body) is refused with
400 before any view reads it, rather than failing as a 500 in whichever query first meets it. Django's text form
fields refuse it too, but lookups by key (a code, a slug in the address) and the API's related fields do not.

The login form's user name length: Django's form sets it on the field after building it, which reaches only the
HTML attribute, so an over-long name went on to the failed-login records (django-axes) and failed there."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# An escaped NUL in JSON (\u0000) that is not an escaped backslash followed by "u0000".
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _in_query_dict(values) -> bool:
    return any("\x00" in key or any("\x00" in value for value in items) for key, items in values.lists())


def carries_nul(request) -> bool:
    if "\x00" in request.path or _in_query_dict(request.GET):
        return True
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return False
    if request.content_type in FORMS:
        return _in_query_dict(request.POST)  # Django drops unprintable characters from file names itself
    if request.content_type == "application/json" or request.content_type.endswith("+json"):
        return b"\x00" in request.body or JSON_NUL.search(request.body) is not None
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_nul(request):
            message = _("The request contains a NUL character, which no field accepts.")
            if request.path.startswith("/api/"):
                body = {"error": {"status": 400, "code": "validation_error", "message": message, "fields": {}}}
                return JsonResponse(body, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))


class TelInput(forms.TextInput):
    """A phone number box: phones open their number pad."""

    input_type = "tel"


class MobilePhoneField(forms.CharField):
    """An 11-digit mainland mobile number, in a tel box; its length errors say what to type, not "该变量"."""

    widget = TelInput(attrs={"inputmode": "numeric", "autocomplete": "tel"})

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 11)
        kwargs.setdefault("min_length", 11)
        super().__init__(**kwargs)
        wrong = gettext_lazy("Enter an 11-digit mobile number.")
        self.error_messages.update({"min_length": wrong, "max_length": wrong})


class NotificationPreferenceForm(forms.Form):
    """通知设置: how a person is reached beyond the inbox (congress.services.set_notification_preference)."""

    sms = forms.BooleanField(required=False, label=gettext_lazy("Reminders of my deadlines and invitations by SMS"))
    email = forms.BooleanField(required=False, label=gettext_lazy("Notifications by e-mail"))
    sms_accepted = forms.BooleanField(
        required=False,
        label=gettext_lazy("Accept text messages at all"),
        help_text=gettext_lazy("Off: nothing is texted to your phone, whatever the switch above says."),
    )

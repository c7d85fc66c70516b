"""Protection of the public forms (opinions, public votes): per-address and per-phone rate limits through
django-ratelimit on the shared cache, a honeypot field and a simple signed arithmetic challenge."""

import random

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import is_ratelimited

SALT = "congress.abuse.challenge"
MAX_AGE = 60 * 60  # a challenge older than an hour is refused


def rate_limited(request, group: str, phone: str = "") -> bool:
    """Count this submission; True when the address or the phone has used up its allowance."""
    by_ip = is_ratelimited(request, group=f"{group}:ip", key="ip", rate=settings.PUBLIC_RATE_PER_IP, increment=True)
    by_phone = bool(phone) and is_ratelimited(
        request, group=f"{group}:phone", key=lambda _group, _request: phone, rate=settings.PUBLIC_RATE_PER_PHONE,
        increment=True,
    )  # fmt: skip
    return by_ip or by_phone


def new_challenge(rng=random) -> tuple[str, str]:
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    return _("What is %(a)s plus %(b)s?") % {"a": a, "b": b}, signing.dumps(a + b, salt=SALT)


class ChallengeForm(forms.Form):
    """Mix-in fields: the answer to the question, the signed expected answer, and a honeypot left empty."""

    challenge = forms.CharField(widget=forms.HiddenInput, max_length=200)
    answer = forms.IntegerField(label=gettext_lazy("Answer to the question"))
    website = forms.CharField(
        required=False, max_length=200, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.question, self.initial["challenge"] = new_challenge()
        else:
            self.question = ""

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("The form could not be accepted."))
        try:
            expected = signing.loads(data.get("challenge") or "", salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            self.add_error("answer", _("The question expired; answer the new one."))
            return data
        if data.get("answer") != expected:
            self.add_error("answer", _("The answer is not right; try again."))
        return data

    def renew(self):
        """A refused form shows a fresh question."""
        self.question, token = new_challenge()
        data = self.data.copy()
        data["challenge"], data["answer"] = token, ""
        self.data = data

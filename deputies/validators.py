"""Field rules shared by the model (console, API) and the spreadsheet import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_MESSAGE = _("A mobile number has 11 digits starting with 1.")


def is_mobile(value: str) -> bool:
    return value.isdigit() and len(value) == 11 and value.startswith("1")


def validate_mobile(value: str) -> None:
    if value and not is_mobile(value):
        raise ValidationError(PHONE_MESSAGE, code="phone")

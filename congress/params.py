"""Numbers, years and ids from a query string, read one way everywhere: a value that is not one is the caller's
mistake, answered 400 (an HTML page or the API's error shape), never a crash.

`BadParameter` is Django's `BadRequest`, so a page answers with the 400 page (congress.views.bad_request) and
the API's exception handler (congress.api.errors) turns it into a validation error naming the parameter."""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

# Postgres's bigint: the largest id a row can have; anything larger is no id.
LARGEST_ID = 2**63 - 1
# The years the app has any business with (people's congresses sit from 1954; plans run a few years ahead).
FIRST_YEAR, LAST_YEAR = 1949, 2100
_WHOLE = re.compile(r"-?[0-9]{1,20}")


class BadParameter(BadRequest):
    def __init__(self, name: str, message):
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")


def integer(params, name: str, default=None, *, minimum: int = -LARGEST_ID, maximum: int = LARGEST_ID):
    """The parameter as a whole number within bounds; `default` when absent or empty."""
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    # ASCII digits only: str.isdigit() also takes "²" and other digits int() cannot read.
    if not _WHOLE.fullmatch(raw):
        raise BadParameter(name, _("Give a whole number."))
    value = int(raw)
    if not minimum <= value <= maximum:
        limits = {"minimum": minimum, "maximum": maximum}
        raise BadParameter(name, _("Give a number from %(minimum)s to %(maximum)s.") % limits)
    return value


def as_identifier(value) -> int | None:
    """A text as a record's id, or None when it is not one (for filters that ignore or word their own refusal)."""
    text = str(value if value is not None else "").strip()
    if not _WHOLE.fullmatch(text) or not 1 <= int(text) <= LARGEST_ID:
        return None
    return int(text)


def identifier(params, name: str, default=None):
    """A record's id: a whole number a row could have."""
    return integer(params, name, default, minimum=1, maximum=LARGEST_ID)


def year(params, name: str = "year", default=None):
    """A calendar year the app can hold."""
    return integer(params, name, default, minimum=FIRST_YEAR, maximum=LAST_YEAR)

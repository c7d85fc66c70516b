"""Keep ID numbers and phones out of logs and error reports.

A log line or a crash report travels further than the database (log shippers, mail, issue trackers), so any
text that looks like a resident ID number or a mainland mobile number is masked there as on a masked page:
440106**********1234, 138****5678. The logging filter works on the project's handlers (settings LOGGING);
the exception reporter masks the report Django mails and shows (its message, local variables, request data),
on top of SafeExceptionReporterFilter, which already hides settings and variables named like secrets."""

import logging
import re

from django.utils.safestring import SafeString, mark_safe
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

# Not part of a longer run of digits: an order number or a timestamp is left alone.
ID_NUMBER = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9]{9}(?![0-9])")


def _mask_id(match: re.Match) -> str:
    value = match.group(0)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def _mask_phone(match: re.Match) -> str:
    value = match.group(0)
    return value[:-8] + "****" + value[-4:]


def redact(text: str) -> str:
    """The text with every ID number and mobile number in it masked."""
    if not isinstance(text, str) or not text:
        return text
    text = str(text)
    return MOBILE.sub(_mask_phone, ID_NUMBER.sub(_mask_id, text))


def _redact_all(value):
    # Exact types only: lazy objects pass isinstance(str) without being text yet.
    if type(value) is str:
        return redact(value)
    if type(value) is SafeString:
        return mark_safe(redact(str(value)))  # noqa: S308 - the same markup with digits masked
    if isinstance(value, dict):
        return {key: _redact_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_redact_all(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_redact_all(item) for item in value)
    return value


class PersonalDataFilter(logging.Filter):
    """Masks ID numbers and phones in a record's message and traceback before any handler writes it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, as it would be without us
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Django's safe filter, plus masking of POST values that hold an ID number or a phone."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        parameters = parameters.copy()
        for key, values in parameters.lists():
            parameters.setlist(key, [redact(value) for value in values])
        return parameters


class PersonalDataExceptionReporter(ExceptionReporter):
    """Error pages and mails with ID numbers and phones masked everywhere in them: the exception's message,
    each frame's local variables, the request's query, form data and headers."""

    def get_traceback_data(self):
        return _redact_all(super().get_traceback_data())

"""One JSON error shape for the whole API:
{"error": {"status": 400, "code": "validation_error", "message": "...", "fields": {"field": ["..."]}}}"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from ..errors import DomainError
from ..params import BadParameter


def _body(status_code: int, code: str, message, fields=None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {"non_field_errors": [str(item) for item in (detail if isinstance(detail, list) else [detail])]}


def describe(exc) -> dict:
    """The error body for an exception a batch item raised (the same shape as a whole request's)."""
    if isinstance(exc, exceptions.APIException):
        if isinstance(exc, exceptions.ValidationError):
            return _body(400, "validation_error", _("Some fields are invalid."), _flatten(exc.detail))
        code = exc.get_codes()
        return _body(exc.status_code, code if isinstance(code, str) else "error", exc.detail)
    response = exception_handler(exc, {})
    return response.data


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        fields = {
            key: [str(v) for v in (value if isinstance(value, list) else [value])] for key, value in exc.fields.items()
        }
        return Response(_body(exc.status_code, exc.code, exc.message, fields), status=exc.status_code)
    if isinstance(exc, BadParameter):
        fields = {exc.name: [str(exc.message)]}
        return Response(_body(400, "validation_error", _("Some fields are invalid."), fields), status=400)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        fields = {("non_field_errors" if key == "__all__" else key): value for key, value in fields.items()}
        return Response(_body(400, "validation_error", _("Some fields are invalid."), fields), status=400)
    if isinstance(exc, IntegrityError):
        return Response(
            _body(409, "conflict", _("The change conflicts with existing records; reload and try again.")), status=409
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _body(400, "validation_error", _("Some fields are invalid."), _flatten(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = _body(response.status_code, code if isinstance(code, str) else "error", detail)
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response

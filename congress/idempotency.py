"""Idempotency-Key on API POSTs: a client that repeats a request (after a timeout, or a retry after a lost
answer) gets the first answer back instead of acting twice.

The caller's identity is part of the key, and for token clients the caller is known only once DRF has
authenticated the request inside the view, so the check is a view mixin (IdempotentMixin) that every API
viewset with POSTs inherits, not a middleware. tests/congress/test_idempotency.py fails when a POST
endpoint lacks it."""

import hashlib
import json
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.response import Response

from . import personal_data
from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 200


class KeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used for a different request; send a new key with a new request."
    )


class KeyInProgress(exceptions.APIException):
    status_code = 409
    default_code = "idempotency_key_in_progress"
    default_detail = _("A request with this Idempotency-Key is still being handled; retry once it has finished.")


class _Replay(Exception):
    """Raised from initial() to skip the handler; handle_exception turns it into the stored response."""

    def __init__(self, record: IdempotencyRecord):
        super().__init__(record.key)
        self.record = record


def _canonical(value):
    if hasattr(value, "chunks"):  # an uploaded file: its content counts, not the multipart boundary around it
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "size": value.size, "sha256": digest.hexdigest()}
    return value


def fingerprint(request) -> str:
    """Hash of method, path and parsed body. Parsed rather than raw bytes, because a client library that
    retries a multipart upload picks a new boundary, and JSON may come back with other spacing or key order."""
    data = request.data
    if isinstance(data, QueryDict):
        data = {key: [_canonical(value) for value in data.getlist(key)] for key in data}
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method}\n{request.get_full_path()}\n{body}".encode()).hexdigest()


def begin(user_id: int, key: str, request_hash: str) -> tuple[IdempotencyRecord, bool]:
    """Claim the key for a new request (True), or return the earlier request's record (False).

    The claim commits at once (outside any request transaction), so a concurrent repeat finds it."""
    for _attempt in range(3):
        IdempotencyRecord.objects.filter(user_id=user_id, key=key, created_at__lt=timezone.now() - TTL).delete()
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(user_id=user_id, key=key, request_hash=request_hash), True
        except IntegrityError:
            record = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
            if record is not None:
                return record, False
            # The first request failed and freed the key between our insert and our read: try again.
    raise KeyInProgress()


def finish(record: IdempotencyRecord, response) -> None:
    """Keep the answer for replays; a server error frees the key so the client may retry."""
    if response.status_code >= 500:
        release(record)
        return
    data = getattr(response, "data", None)
    record.status_code = response.status_code
    # Stored encrypted (the field): an answer may hold unmasked personal data, a citizen's phone.
    record.response_body = "" if data is None else json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    record.shown_personal_data = personal_data.shown()
    record.save(update_fields=["status_code", "response_body", "shown_personal_data"])


def release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).delete()


def replay(record: IdempotencyRecord, user) -> Response:
    """The stored answer again. Showing it again is a read: the personal data it holds unmasked is logged as the
    first answer's was."""
    data = json.loads(record.response_body) if record.response_body else None
    personal_data.seen_again(user, record.shown_personal_data)
    return Response(data, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def purge_expired(now=None) -> int:
    """Forget keys older than a day (a client retries within minutes, not days)."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=(now or timezone.now()) - TTL).delete()
    return deleted


class IdempotentAutoSchema(AutoSchema):
    """Documents the optional header on every POST operation of a view using IdempotentMixin."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            parameters = [
                *parameters,
                OpenApiParameter(
                    HEADER,
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "A unique value (e.g. a UUID) per intended action. Repeating the request with the same key "
                        "and the same body within 24 hours returns the first response (marked with the "
                        f"`{REPLAYED_HEADER}: true` header) without acting again; the same key with another body "
                        "is answered 422, and a repeat while the first request is still running 409."
                    ),
                ),
            ]
        return parameters


class IdempotentMixin:
    """Honours Idempotency-Key on POST; list it before the DRF view class in the bases."""

    schema = IdempotentAutoSchema()
    _idempotency_record: IdempotencyRecord | None = None

    def dispatch(self, request, *args, **kwargs):
        self._idempotency_record = None
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            # Still claimed here means an exception escaped every handler (a 500): free the key for a retry.
            record, self._idempotency_record = self._idempotency_record, None
            if record is not None:
                release(record)

    def initial(self, request, *args, **kwargs):
        # After authentication and permission checks: the user is known and a refused request claims nothing.
        super().initial(request, *args, **kwargs)
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.user.is_authenticated:
            return
        if len(key) > MAX_KEY_LENGTH:
            raise exceptions.ValidationError(
                {HEADER: [gettext("Send a key of at most %(n)s characters.") % {"n": MAX_KEY_LENGTH}]}
            )
        request_hash = fingerprint(request)
        record, created = begin(request.user.pk, key, request_hash)
        if created:
            self._idempotency_record = record
        elif record.request_hash != request_hash:
            raise KeyReused()
        elif record.status_code is None:
            raise KeyInProgress()
        else:
            raise _Replay(record)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return replay(exc.record, self.request.user)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record, self._idempotency_record = self._idempotency_record, None
        if record is not None:
            finish(record, response)
        return response

"""Batches: up to a thousand items in one request, each handled on its own (a bad item does not stop the
others) by the same function as a single create, with a result per item."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers

from ..errors import DomainError
from .errors import describe

MAX_ITEMS = 1000


class BatchItemResultOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="Position of the item in `items`, from 0.")
    status = serializers.ChoiceField(choices=["created", "error"])
    id = serializers.IntegerField(allow_null=True, help_text="The new record's id, when created.")
    error = serializers.DictField(allow_null=True, help_text="The error, in the API's error shape, when refused.")


class BatchOut(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = BatchItemResultOut(many=True)


def run(data, handle) -> dict:
    """Call `handle(item)` for each item in its own savepoint; returns the BatchOut body."""
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise exceptions.ValidationError({"items": [_("Send the items as a non-empty list.")]})
    if len(items) > MAX_ITEMS:
        raise exceptions.ValidationError({"items": [_("At most %(n)s items in one batch.") % {"n": MAX_ITEMS}]})
    results = []
    for index, item in enumerate(items):
        try:
            with transaction.atomic():
                if not isinstance(item, dict):
                    raise exceptions.ValidationError({"non_field_errors": [_("Each item must be an object.")]})
                created = handle(item)
        except (DomainError, exceptions.APIException, DjangoValidationError, IntegrityError) as exc:
            results.append({"index": index, "status": "error", "id": None, "error": describe(exc)["error"]})
        else:
            results.append({"index": index, "status": "created", "id": created.pk, "error": None})
    failed = sum(1 for row in results if row["status"] == "error")
    return {"created": len(results) - failed, "failed": failed, "results": results}

"""Tombstones: what left the API (deleted, or merged into another record), for `/api/v1/changes/`.

Apps name the models their API serves (`track`); a deletion through any path (console, service, cascade) then
leaves a tombstone, and a merge service calls `merged` itself. A mirror that reads lists by `updated_since` and
this feed by id stays exact."""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import pre_delete

from .models import Tombstone

_tracked: dict[type, tuple[str, str, Callable]] = {}


def track(model, resource: str, api_scope: str, region_of: Callable) -> None:
    """Leave a tombstone when a row of `model` is deleted; `region_of(row)` gives its region code for scope.

    Written before the delete (related rows are still there to find the region) inside the delete's own
    transaction, so a delete that fails leaves no tombstone."""
    _tracked[model] = (resource, api_scope, region_of)
    pre_delete.connect(_deleting, sender=model, dispatch_uid=f"tombstone:{model._meta.label}")


def resources_readable(scopes) -> list[str]:
    """The resources an integration client with these scopes may follow."""
    return sorted({resource for resource, api_scope, _ in _tracked.values() if f"{api_scope}:read" in scopes})


def _deleting(sender, instance, **kwargs) -> None:
    resource, _scope, region_of = _tracked[sender]
    try:
        region_code = region_of(instance) or ""
    except ObjectDoesNotExist:  # a parent already gone: the tombstone matters more than its region
        region_code = ""
    Tombstone.objects.create(
        resource=resource, object_id=instance.pk, action=Tombstone.Action.DELETED, region_code=region_code
    )


def merged(resource: str, object_id: int, into_id: int, region_code: str) -> Tombstone:
    return Tombstone.objects.create(
        resource=resource,
        object_id=object_id,
        action=Tombstone.Action.MERGED,
        merged_into=into_id,
        region_code=region_code,
    )

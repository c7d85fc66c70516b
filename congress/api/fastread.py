"""Faster output for the serializers of the API's long lists (the roster sync, the suggestion list).

DRF looks up every field of every row afresh: the readable-field generator, `get_attribute` with its error
handling, the current time zone for each datetime. A page of 50 suggestions with their assignments, replies and
co-signers converts about 4,000 values, and that per-value overhead was most of the request. `CompiledRead`
works out once per serializer instance (so once per request, and once for all rows of a nested list) how each
field is read and converted, then applies that plan to every row. The output is DRF's own, value for value:
fields it does not know how to shortcut go through DRF's `get_attribute` and `to_representation` unchanged, and
tests/congress/test_fastread.py compares both on the same rows."""

from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.manager import BaseManager
from django.utils.functional import cached_property
from rest_framework import fields, relations, serializers
from rest_framework.fields import SkipField, empty, is_simple_callable


def _walk(instance, attrs):
    """rest_framework.fields.get_attribute, step for step."""
    for attr in attrs:
        if instance is None:
            return None
        try:
            instance = instance[attr] if isinstance(instance, Mapping) else getattr(instance, attr)
        except ObjectDoesNotExist:
            return None
        if is_simple_callable(instance):
            instance = instance()
    return instance


def _dotted(attrs):
    return lambda instance: _walk(instance, attrs)


def _pk_only(attrs):
    """What PrimaryKeyRelatedField reads: the foreign key's column, without loading the related row."""
    head, last = attrs[:-1], attrs[-1]

    def read(instance):
        owner = _walk(instance, head)
        return None if owner is None else owner.serializable_value(last)

    return read


def _many(child):
    def convert(value):
        rows = value.all() if isinstance(value, BaseManager) else value
        return [child.to_representation(row) for row in rows]

    return convert


PLAIN = (fields.CharField, fields.IntegerField, fields.BooleanField, fields.DateField, fields.DateTimeField,
         fields.ChoiceField, fields.DecimalField, fields.FloatField, fields.UUIDField)  # fmt: skip


# Mix into a (Model)Serializer used for output; see the module's docstring. (No class docstring: the OpenAPI
# generator would show it as the description of every serializer that has none of its own.)
class CompiledRead:
    @cached_property
    def _read_plan(self):
        plan = []
        for field in self._readable_fields:
            attrs = list(field.source_attrs)
            # A required field shortcuts as well: a missing attribute falls back to DRF's get_attribute below,
            # which raises for it as DRF does.
            simple = field.default is empty
            if isinstance(field, fields.DateTimeField) and not hasattr(field, "timezone"):
                # The request's time zone, looked up once instead of once per value.
                field.timezone = field.default_timezone()
            if isinstance(field, serializers.ListSerializer) and attrs and simple:
                plan.append((field.field_name, _dotted(attrs), _many(field.child)))
            elif isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None and attrs and simple:
                plan.append((field.field_name, _pk_only(attrs), None))
            elif isinstance(field, (*PLAIN, serializers.BaseSerializer)) and attrs and simple:
                plan.append((field.field_name, _dotted(attrs), field.to_representation))
            else:
                plan.append((field.field_name, field.get_attribute, field.to_representation))
        return plan

    def to_representation(self, instance):
        row = {}
        for name, read, convert in self._read_plan:
            try:
                value = read(instance)
            except SkipField:
                continue
            except (KeyError, AttributeError):
                # What DRF does with a missing attribute (a default, None or leaving the field out).
                field = self.fields[name]
                try:
                    value = field.get_attribute(instance)
                except SkipField:
                    continue
                row[name] = None if value is None else field.to_representation(value)
                continue
            row[name] = None if value is None else (value if convert is None else convert(value))
        return row

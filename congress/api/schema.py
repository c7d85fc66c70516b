"""OpenAPI post-processing: every operation documents the error answers it can give, in the one error shape,
each with an example."""

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.utils import translation
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from .examples import ERROR_EXAMPLES

ERRORS = {
    "400": "Invalid input; `fields` names each field and what is wrong. (输入有误)",
    "401": "No token, or a revoked or unknown one. (未认证)",
    "403": "Missing scope, outside the data scope, or address not allowed. (无权限)",
    "404": "No such record within the caller's data scope. (不存在)",
    "409": "The record's state does not allow this, or a conflicting change. (状态冲突)",
    "422": "An Idempotency-Key reused with a different request. (幂等键冲突)",
    "429": "Over the client's rate; wait `Retry-After` seconds. (请求过于频繁)",
}
WRITES = {"post", "put", "patch", "delete"}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string", "example": "invalid_transition"},
                "message": {"type": "string", "description": "In the request's language (Accept-Language)."},
                "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
            },
        }
    },
}


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in ("409", "422") and method not in WRITES:
                    continue
                answer = responses.setdefault(code, {"description": description})
                answer.setdefault("content", {
                    "application/json": {**reference["application/json"], "example": {"error": ERROR_EXAMPLES[code]}}
                })  # fmt: skip
                if code == "429":
                    answer["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                         "description": "Seconds to wait."}}  # fmt: skip
    return result


class KeyedRelationExtension(OpenApiSerializerFieldExtension):
    """A relation to a record keyed by a code (a text primary key, e.g. a party or a duty kind) says in the schema
    how long the code may be, as every other text a client sends does."""

    target_class = "rest_framework.relations.PrimaryKeyRelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        queryset = self.target.queryset
        max_length = getattr(queryset.model._meta.pk, "max_length", None) if queryset is not None else None
        if max_length and schema.get("type") == "string":
            schema["maxLength"] = max_length
        return schema


class LocalTimeExtension(OpenApiSerializerFieldExtension):
    """A time of day (a reception from 09:00 to 12:00) is local China time without an offset, which OpenAPI's
    `time` format (RFC 3339, offset required) does not describe: the schema gives its pattern instead."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema.pop("format", None)
        schema["pattern"] = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$"
        schema["maxLength"] = 15
        schema.setdefault("example", "09:00:00")
        return schema


class OptionalUrlExtension(OpenApiSerializerFieldExtension):
    """A URL a record may leave empty (a course without an online link) is sent as "", which is not a `uri`: the
    schema says a URL or the empty string."""

    target_class = "rest_framework.fields.URLField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if not (getattr(self.target, "allow_blank", False) or self.target.read_only):
            return schema
        meta = {key: value for key, value in schema.items() if key not in ("type", "format", "maxLength")}
        longest = schema.get("maxLength") or getattr(self.target, "max_length", None)
        url = {"type": "string", "format": "uri", **({"maxLength": longest} if longest else {})}
        return {**meta, "anyOf": [url, {"type": "string", "maxLength": 0}]}


# drf-spectacular's generator keeps state on shared objects while it runs (the settings it patches, the component
# registry of each view's schema), so two generations at once break each other. The schema is the same for every
# caller (it is served public), so each process builds it once per language and version, under a lock, and then
# serves the built copy.
_built: dict = {}
_building = threading.Lock()


def forget_schemas(**_kwargs):
    with _building:
        _built.clear()


setting_changed.connect(forget_schemas)


def _language() -> str:
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


class SchemaView(SpectacularAPIView):
    def _get_schema_response(self, request):
        # No ?version= from the query string: the API has one version, and a caller's free text must not become a
        # key of what is kept.
        version = self.api_version or request.version
        language = _language()
        key = (language, version)
        with _building:
            if key not in _built:
                with translation.override(language):
                    generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
                    _built[key] = generator.get_schema(request=request, public=self.serve_public)
        disposition = f'inline; filename="{self._get_filename(request, version)}"'
        # The renderers only read the document, so every answer shares the one built copy.
        return Response(data=_built[key], headers={"Content-Disposition": disposition})

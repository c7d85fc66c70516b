"""Every text a person or a client can send has a length limit: the fields of every form (the apps' forms, the
console's model forms, the filter sets of pages and the API) and every string in an API request body. A new field
without a limit fails here."""

import contextlib
import importlib
import json
import pkgutil

import django_filters
import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator

from tests.domain_apps import DOMAIN_APPS

APPS = DOMAIN_APPS
# Text whose shape the field itself bounds (a parsed UUID), or that is no text input at all.
BOUNDED = (forms.UUIDField,)


def _import_all():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in module.name or ".management" in module.name or module.name.endswith(".settings"):
                continue
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _ours(cls) -> bool:
    return cls.__module__.split(".")[0] in APPS


def _unlimited(fields: dict) -> list[str]:
    return [
        name
        for name, field in fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, BOUNDED)
        # A password is hashed, never stored as typed (Django's own password forms set no limit).
        and not isinstance(field.widget, forms.PasswordInput)
        and field.max_length is None
    ]


def _form_fields(cls) -> dict:
    """The declared fields, and the ones a form adds in __init__ where it can be built without arguments."""
    fields = dict(cls.base_fields)
    with contextlib.suppress(TypeError):  # one that needs arguments (a mandate, a campaign…) has its declared ones
        fields.update(cls().fields)
    return fields


@pytest.mark.django_db
def test_every_form_field_for_text_has_a_max_length():
    _import_all()
    problems = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in set(_subclasses(forms.BaseForm))
        if _ours(cls)
        for name in _unlimited(_form_fields(cls))
    ]
    assert problems == [], "Give these form fields a max_length:\n" + "\n".join(sorted(problems))


def test_every_filter_for_text_has_a_max_length():
    _import_all()
    problems = []
    for cls in set(_subclasses(django_filters.FilterSet)):
        if not _ours(cls):
            continue
        for name, filter_ in cls.base_filters.items():
            text = issubclass(filter_.field_class, forms.CharField) and not issubclass(filter_.field_class, BOUNDED)
            if text and filter_.extra.get("max_length") is None:
                problems.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert problems == [], "Give these filters a max_length:\n" + "\n".join(sorted(problems))


@pytest.mark.django_db
def test_every_console_form_field_for_text_has_a_max_length(admin_user):
    request = RequestFactory().get("/console/")
    request.user = admin_user
    problems = []
    for model_admin in admin.site._registry.values():
        if not _ours(type(model_admin)):
            continue  # libraries' own pages (Celery beat schedules, OTP devices): for superusers alone
        forms_to_check = [(model_admin, model_admin.get_form(request, None, change=False))]
        for inline in model_admin.get_inline_instances(request):
            forms_to_check.append((inline, inline.get_formset(request, None).form))
        for owner, form in forms_to_check:
            problems += [f"{type(owner).__qualname__}.{name}" for name in _unlimited(form.base_fields)]
    assert problems == [], "Give these model fields a max_length:\n" + "\n".join(sorted(problems))


def _strings_without_limit(schema: dict, components: dict, path: str, seen: set) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return _strings_without_limit(components[name], components, f"{path}({name})", seen | {name})
    found = []
    for key in ("allOf", "oneOf", "anyOf"):
        for i, part in enumerate(schema.get(key, [])):
            found += _strings_without_limit(part, components, f"{path}[{i}]", seen)
    if schema.get("readOnly"):
        return found
    kind = schema.get("type")
    shaped = "enum" in schema or schema.get("format") in {"date", "date-time", "time", "binary", "uuid", "decimal"}
    if kind == "string" and not shaped and "maxLength" not in schema:
        found.append(path)
    if kind == "array":
        found += _strings_without_limit(schema.get("items", {}), components, f"{path}[]", seen)
    for name, prop in schema.get("properties", {}).items():
        found += _strings_without_limit(prop, components, f"{path}.{name}", seen)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        found += _strings_without_limit(extra, components, f"{path}{{}}", seen)
    return found


def test_every_string_in_an_api_request_body_has_a_max_length():
    schema = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
    components = schema["components"]["schemas"]
    problems = []
    for url, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media, body in operation.get("requestBody", {}).get("content", {}).items():
                where = f"{method.upper()} {url} ({media})"
                problems += _strings_without_limit(body["schema"], components, where, set())
    assert problems == [], "Give these request fields a max_length:\n" + "\n".join(sorted(set(problems)))

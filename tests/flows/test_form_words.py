"""Form errors are plain Chinese: a citizen who types a short phone number reads 请填写11位手机号码, not
"确保该变量至少包含 11 字符"; every field of the public and deputies' forms has messages without programmer words."""

import importlib
import inspect
import re
from collections import defaultdict

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from tests.liaison_stations.factories import managed_station
from tests.liaison_stations.test_public import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    cache.clear()  # the public form's rate limits
    return managed_station()[0]


# Words of Django's own zh_Hans catalogue a citizen should never read.
PROGRAMMER_WORDS = ["该变量", "字段", "这个值", "null", "None", "True", "False", "Ensure", "Enter", "Select", "slug"]
FORM_MODULES = ["liaison_stations.forms", "suggestions.forms", "cases.forms", "training.forms", "deputies.forms",
                "congress.abuse"]  # fmt: skip
# Any other placeholder (a choice's pk) reads as "x".
PARAMS = defaultdict(lambda: "x", {"limit_value": 11, "show_value": 3, "max": 5, "length": 9})


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and hasattr(cls, "base_fields"):
                yield cls


def _messages(field):
    yield from field.error_messages.values()
    for validator in field.validators:
        if getattr(validator, "message", None):
            yield validator.message


def _read(message) -> str:
    text = str(message)
    return text % PARAMS if "%(" in text else text


def test_every_field_of_the_public_and_deputies_forms_has_plain_chinese_errors():
    bad = {}
    with translation.override("zh-hans"):
        for cls in _form_classes():
            for name, field in cls.base_fields.items():
                for message in _messages(field):
                    text = _read(message)
                    found = [word for word in PROGRAMMER_WORDS if word in text]
                    if found:
                        bad[f"{cls.__module__}.{cls.__name__}.{name}"] = text
    assert bad == {}


@pytest.mark.parametrize("msgid", ["This field is required.", "Enter a valid date.", "Enter a whole number."])
def test_django_messages_read_plain(msgid):
    with translation.override("zh-hans"):
        text = translation.gettext(msgid)
    assert re.search(r"[a-zA-Z]", text) is None
    assert "字段" not in text


def test_length_messages_read_plain():
    with translation.override("zh-hans"):
        field = forms.CharField(min_length=11)
        with pytest.raises(forms.ValidationError) as error:
            field.clean("123")
    assert error.value.messages == ["至少要填 11 个字（现在是 3 个）。"]


def test_opinion_form_phone_is_a_tel_box(client, station):
    body = client.get(reverse("liaison_stations:public_opinion", args=[station.slug])).content.decode()
    assert re.search(r'<input type="tel" name="phone"', body)


def test_short_phone_on_the_opinion_form_says_what_to_type(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    body = client.post(url, form_data(client, url, phone="1391234")).content.decode()
    assert "请填写11位手机号码" in body
    assert "该变量" not in body


def test_empty_content_on_the_opinion_form_asks_plainly(client, station):
    url = reverse("liaison_stations:public_opinion", args=[station.slug])
    body = client.post(url, form_data(client, url, content="")).content.decode()
    assert "请填写此项" in body
    assert "这个字段" not in body

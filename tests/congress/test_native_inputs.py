"""Dates written one way (2026-12-06) on every page and in both languages, and every page form's dates and times
in the browser's own inputs, showing a stored value again when a record is edited."""

import importlib
import pkgutil
from datetime import date, datetime, time

import pytest
from django import forms
from django.template import Context, Template
from django.utils import timezone, translation

from congress.forms import NativeInputs
from deputies.forms import PersonForm
from liaison_stations.forms import LedgerFilterForm, ReceptionForm
from tests.deputies.factories import PersonFactory
from tests.domain_apps import DOMAIN_APPS

APPS = DOMAIN_APPS
TEMPORAL = (forms.DateField, forms.DateTimeField, forms.TimeField)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def page_forms():
    for app in APPS:
        # Forms live in forms.py and the views (wsgi, asgi and the like are left alone: importing them has effects).
        for module in pkgutil.walk_packages(importlib.import_module(app).__path__, f"{app}."):
            if module.name.endswith(".forms") or ".views" in module.name:
                importlib.import_module(module.name)
    for form in set(_subclasses(forms.BaseForm)):
        # The console's forms keep Django's admin date widgets, with their calendar.
        if form.__module__.split(".")[0] in APPS and not form.__name__.endswith("AdminForm"):
            yield form


def test_every_page_form_with_a_date_or_time_uses_the_native_inputs():
    missing = sorted(
        f"{form.__module__}.{form.__name__}"
        for form in page_forms()
        if any(isinstance(field, TEMPORAL) for field in getattr(form, "base_fields", {}).values())
        and not issubclass(form, NativeInputs)
    )
    assert missing == []


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_dates_are_written_one_way_in_both_languages(language):
    moment = timezone.make_aware(datetime(2026, 12, 6, 9, 30))
    with translation.override(language):
        text = Template("{{ day }} · {{ moment }} · {{ day|date }}").render(Context({"day": date(2026, 12, 6),
                                                                                    "moment": moment}))  # fmt: skip
    assert text == "2026-12-06 · 2026-12-06 09:30 · 2026-12-06"


def test_a_reception_form_shows_its_values_again_in_date_and_time_inputs():
    with translation.override("zh-hans"):
        form = ReceptionForm(initial={"date": date(2026, 12, 6), "start_time": time(9, 30)}, mandates=[])
        html = str(form["date"]) + str(form["start_time"])
    assert 'type="date"' in html and 'value="2026-12-06"' in html
    assert 'type="time"' in html and 'value="09:30"' in html


def test_a_posted_native_value_round_trips():
    form = ReceptionForm({"date": "2026-12-06", "start_time": "09:30", "end_time": "11:00", "deputies": []},
                         mandates=[])  # fmt: skip
    form.is_valid()
    assert (form.cleaned_data["date"], form.cleaned_data["start_time"]) == (date(2026, 12, 6), time(9, 30))
    assert 'value="2026-12-06"' in str(form["date"])


@pytest.mark.django_db
def test_an_edited_record_shows_its_stored_date():
    person = PersonFactory(birth_date=date(1980, 5, 17))
    with translation.override("zh-hans"):
        html = str(PersonForm(instance=person)["birth_date"])
    assert 'type="date"' in html and 'value="1980-05-17"' in html


def test_a_filter_keeps_the_chosen_date_in_its_input():
    html = str(LedgerFilterForm({"received_from": "2026-01-31"})["received_from"])
    assert 'type="date"' in html and 'value="2026-01-31"' in html

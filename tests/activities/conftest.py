import pytest
import time_machine
from django.utils import translation

from tests import factories as core
from tests.deputies.factories import current_term

from . import factories


@pytest.fixture(autouse=True)
def _rules_speak_english():
    """The rules' messages are asserted in English, the language the code is written in; the translation test
    keeps the Chinese in step (one test reads a refusal in Chinese on purpose)."""
    with translation.override("en"):
        yield


def _province_congress(code, name):
    congress = core.CongressFactory(region=core.province(code, name))
    current_term(congress)
    return congress


@pytest.fixture
def congress(db):
    return _province_congress("62", "甘肃省")


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def mandate(congress):
    return factories.deputy(congress)


@pytest.fixture
def other(congress):
    return factories.deputy(congress)


@pytest.fixture
def third(congress):
    return factories.deputy(congress)


@pytest.fixture
def may():
    """Before the activities of the tests (which sit in June 2026)."""
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False) as traveller:
        yield traveller


@pytest.fixture
def activity(staff, congress, may):
    return factories.activity(staff, congress)


@pytest.fixture
def elsewhere(db):
    """Another province's congress with its own staff."""
    return _province_congress("44", "广东省")


@pytest.fixture
def partner(db):
    """A congress co-organising joint activities."""
    return _province_congress("63", "青海省")


@pytest.fixture
def partner_staff(partner):
    return core.staff_of(partner)


@pytest.fixture
def joint(staff, congress, partner, may):
    return factories.activity(staff, congress, co_congresses=[partner], capacity=4)

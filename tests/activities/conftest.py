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


@pytest.fixture
def congress(db):
    congress = core.CongressFactory(region=core.province("62", "甘肃省"))
    current_term(congress)
    return congress


@pytest.fixture
def partner(db):
    """A second congress, for joint activities and for staff who must be refused."""
    partner = core.CongressFactory(region=core.province("63", "青海省"))
    current_term(partner)
    return partner


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

import pytest
from django.core.cache import cache
from django.utils import translation

from tests import factories as core
from tests.deputies.factories import current_term

from . import factories


@pytest.fixture(autouse=True)
def _rules_speak_english():
    """The rules' messages are asserted in English, the language the code is written in; the page tests read
    the Chinese the requests negotiate, and the translation test keeps the two in step."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def congress(db):
    congress = core.CongressFactory()
    current_term(congress)
    return congress


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def unit(congress):
    return factories.unit_with_officer(congress, "广州市人大常委会")


@pytest.fixture
def mandate(congress):
    return factories.deputy(congress)

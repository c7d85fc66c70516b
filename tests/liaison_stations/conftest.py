import pytest
from django.core.cache import cache

from tests import factories

from .factories import managed_station


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def station(db):
    return managed_station()[0]


@pytest.fixture
def manager(station):
    return station.managers.get()


@pytest.fixture
def staff(station):
    return factories.staff_of(station.congress)


@pytest.fixture
def unit(db):
    return factories.OrganisationFactory(name="广州市交通运输局", region=factories.city())


@pytest.fixture
def officer(unit):
    return factories.officer_of(unit)

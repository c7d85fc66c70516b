import pytest

from tests import factories as core
from tests.deputies.factories import current_term

from . import factories


@pytest.fixture
def congress(db):
    congress = core.CongressFactory()
    current_term(congress)
    return congress


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def mandate(congress):
    return factories.deputy(congress)


@pytest.fixture
def deputy_user(mandate):
    return mandate.person.user


@pytest.fixture
def lead_unit(congress):
    return factories.unit_with_officer(congress, "省教育厅")


@pytest.fixture
def co_unit(congress):
    return factories.unit_with_officer(congress, "省财政厅")

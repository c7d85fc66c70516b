import pytest

from tests import factories as core

from .factories import current_term, delegation


@pytest.fixture
def congress():
    """A provincial congress with its current term and a delegation, as the roster template expects (modules
    that need another congress define their own)."""
    congress = core.CongressFactory()
    current_term(congress)
    delegation(congress, "广州代表团")
    return congress


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)

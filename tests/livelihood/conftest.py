import pytest

from . import factories as f


@pytest.fixture
def congress():
    return f.congress()


@pytest.fixture
def staff(congress):
    return f.core.staff_of(congress)

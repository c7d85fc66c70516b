import pytest

from tests import factories


@pytest.fixture
def tianhe():
    """A county congress (天河区) ..."""
    return factories.CongressFactory(region=factories.county("440106", "天河区"))


@pytest.fixture
def nanshan():
    """... and another county (南山区) whose staff must never see the first one's records."""
    return factories.CongressFactory(region=factories.county("440305", "南山区"))

"""Lists that may hold millions: exact counts up to a threshold, the planner's estimate above it, and a next page
known from the rows themselves (congress.paging)."""

import pytest
from django.utils import translation

from congress.models import Region
from congress.paging import LargeListPaginator, about
from tests import factories as core

pytestmark = pytest.mark.django_db


class SmallThreshold(LargeListPaginator):
    exact_up_to = 3


@pytest.fixture
def regions():
    for n in range(5):
        core.RegionFactory(code=f"9{n}", name=f"区{n}")
    return Region.objects.filter(code__startswith="9").order_by("code")


def test_a_list_at_the_threshold_is_counted_exactly(regions):
    paginator = SmallThreshold(regions.filter(code__in=["90", "91", "92"]), 2)
    assert (paginator.count, paginator.estimated) == (3, False)


def test_a_list_above_the_threshold_shows_an_estimate_never_below_what_was_seen(regions):
    paginator = SmallThreshold(regions, 2)
    assert paginator.estimated
    assert paginator.count >= 4


def test_an_estimated_list_knows_its_next_page_from_its_rows(regions):
    paginator = SmallThreshold(regions, 2)
    pages = [paginator.get_page(n) for n in (1, 2, 3)]
    assert [[r.name for r in page] for page in pages] == [["区0", "区1"], ["区2", "区3"], ["区4"]]
    assert [page.has_next() for page in pages] == [True, True, False]


def test_a_page_beyond_an_estimated_list_shows_its_first_page(regions):
    paginator = SmallThreshold(regions, 2)
    assert [r.name for r in paginator.get_page(50)] == ["区0", "区1"]


@pytest.mark.parametrize(
    ("n", "zh", "en"),
    [
        (1_000_000, "约 100 万", "about 1,000,000"),
        (123_456, "约 12 万", "about 120,000"),
        (2_851_607, "约 290 万", "about 2,900,000"),
        (350_000_000, "约 3.5 亿", "about 350,000,000"),
        (10_001, "约 1 万", "about 10,000"),
    ],
)
def test_an_estimate_is_said_in_two_figures_and_in_wan_in_chinese(n, zh, en):
    with translation.override("zh-hans"):
        assert about(n) == zh
    with translation.override("en"):
        assert about(n) == en

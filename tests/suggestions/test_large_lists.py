"""Lists of a province (issue 25): above a threshold the review list, the unit portal and the API say an
estimated count instead of counting every visible row, and still know whether a next page exists."""

import pytest
from django.urls import reverse

from congress.paging import LargeListPaginator

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def threshold(monkeypatch):
    """Counts exact up to 2 rows, so that three suggestions make a "large" list."""
    monkeypatch.setattr(LargeListPaginator, "exact_up_to", 2)


@pytest.fixture
def three(congress, staff):
    return [f.submitted(f.deputy(congress)) for _ in range(3)]


def test_the_api_flags_an_estimated_count_and_still_links_the_next_page(api_client, staff, three, threshold):
    api_client.force_authenticate(staff)
    body = api_client.get("/api/v1/suggestions/", {"page_size": 2}).json()
    assert body["count_estimated"] is True
    assert body["count"] >= 3
    assert body["next"] is not None
    last = api_client.get(body["next"]).json()
    assert ([row["id"] for row in last["results"]], last["next"]) == ([three[0].pk], None)


def test_the_api_counts_a_short_list_exactly(api_client, staff, three):
    api_client.force_authenticate(staff)
    body = api_client.get("/api/v1/suggestions/").json()
    assert (body["count"], body["count_estimated"]) == (3, False)


def test_the_review_list_says_about_how_many_suggestions(client, staff, three, threshold):
    client.force_login(staff)
    response = client.get(reverse("suggestions:review"))
    assert response.context["page"].paginator.estimated
    assert "约 " in response.content.decode()


def test_the_unit_portal_pages_an_estimated_list_to_its_end(client, congress, staff, lead_unit, threshold):
    for _ in range(3):
        f.assigned(f.deputy(congress), staff, lead_unit[0])
    client.force_login(lead_unit[1])
    first = client.get(reverse("suggestions:unit")).context["page"]
    second = client.get(reverse("suggestions:unit"), {"page": 2}).context["page"]
    assert (first.paginator.estimated, len(first), first.has_next()) == (True, 3, False)
    assert second.number == 1  # beyond the rows: the first page, as for any page past the end


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr("suggestions.views.common.PAGE_SIZE", 2)


def test_the_review_list_beyond_its_count_pages_by_id_both_ways(client, staff, threshold, two_a_page, congress):
    five = [f.submitted(f.deputy(congress)) for _ in range(5)]
    newest_first = [s.pk for s in reversed(five)]
    client.force_login(staff)

    def titles(params):
        page = client.get(reverse("suggestions:review"), params).context["page"]
        return [s.pk for s in page], page.next_after, page.previous_before

    first = titles({})
    assert first == (newest_first[:2], newest_first[1], None)
    second = titles({"after": first[1]})
    assert second == (newest_first[2:4], newest_first[3], newest_first[2])
    assert titles({"after": second[1]}) == (newest_first[4:], None, newest_first[4])
    assert titles({"before": second[2]}) == (newest_first[:2], newest_first[1], None)


def test_the_review_pager_links_the_next_rows_by_id(client, staff, threshold, two_a_page, congress):
    three = [f.submitted(f.deputy(congress)) for _ in range(3)]
    client.force_login(staff)
    body = client.get(reverse("suggestions:review"), {"status": "submitted"}).content.decode()
    assert f"status=submitted&amp;after={three[1].pk}" in body

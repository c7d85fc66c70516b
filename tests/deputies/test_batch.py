"""Registering deputies in batches through the API: one result per item, a bad item stops nothing."""

from datetime import date

import pytest

from congress.api.batch import MAX_ITEMS
from deputies import idnumbers
from deputies.models import Person
from tests import factories as core

from .factories import current_term

pytestmark = pytest.mark.django_db


def item(congress, term, serial, **overrides):
    return {
        "name": f"代表{serial}", "gender": "M", "ethnic_group": "01", "birth_date": "1980-01-01",
        "id_number": idnumbers.make("440106", date(1980, 1, 1), serial), "party": "01", "education": "college",
        "occupation": "other",
        "mandate": {"congress": congress.pk, "term": term.pk, "start_date": str(term.start_date)}, **overrides,
    }  # fmt: skip


def test_batch_registers_good_items_and_reports_bad_ones(api_client):
    congress = core.CongressFactory(region=core.county("440106", "天河区"))
    term = current_term(congress)
    api_client.force_authenticate(core.staff_of(congress))
    items = [item(congress, term, 11), item(congress, term, 13, id_number="440106198001010011"),
             item(congress, term, 15)]  # fmt: skip
    response = api_client.post("/api/v1/deputies/batch/", {"items": items}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["failed"]) == (2, 1)
    assert [row["status"] for row in body["results"]] == ["created", "error", "created"]
    assert "id_number" in body["results"][1]["error"]["fields"]
    assert sorted(Person.objects.values_list("name", flat=True)) == ["代表11", "代表15"]


def test_batch_over_the_limit_is_refused_whole(api_client):
    congress = core.CongressFactory()
    api_client.force_authenticate(core.staff_of(congress))
    response = api_client.post("/api/v1/deputies/batch/", {"items": [{}] * (MAX_ITEMS + 1)}, format="json")
    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]

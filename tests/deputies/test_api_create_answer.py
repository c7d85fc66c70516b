"""Registering a deputy through the API answers with the deputy as a later read shows them: with the mandate."""

from datetime import date

import pytest

from deputies import idnumbers
from deputies.models import Mandate
from tests import factories as core

from .factories import current_term

pytestmark = pytest.mark.django_db


def test_create_answers_with_the_new_mandate(api_client):
    tianhe = core.CongressFactory(region=core.county("440106", "天河区"))
    api_client.force_authenticate(core.staff_of(tianhe))
    term = current_term(tianhe)
    response = api_client.post("/api/v1/deputies/", {
        "name": "新代表", "gender": "M", "ethnic_group": "01", "birth_date": "1980-01-01",
        "id_number": idnumbers.make("440106", date(1980, 1, 1), 11), "party": "01", "education": "college",
        "occupation": "other", "mandate": {"congress": tianhe.pk, "term": term.pk, "start_date": str(term.start_date)},
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    [mandate] = response.json()["mandates"]
    assert mandate["id"] == Mandate.objects.get().pk
    assert (mandate["congress"], mandate["term"]) == (tianhe.pk, term.pk)
    assert response.json() == api_client.get(f"/api/v1/deputies/{response.json()['id']}/").json()

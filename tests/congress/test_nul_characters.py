"""A NUL character (which PostgreSQL refuses in text, lookups and JSON) is refused with 400 wherever a request
carries it, before a view looks anything up with it; nothing is stored."""

import pytest

from congress import services
from deputies.models import DutyEntry
from tests import factories
from tests.deputies.factories import MandateFactory, current_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    congress = factories.CongressFactory()
    current_term(congress)
    mandate = MandateFactory(congress=congress)
    scopes = [value for value, _label in services.api_scopes()]
    _client, token = services.create_api_client(
        actor=None, name="nul", congress=congress, scopes=scopes, owner=factories.UserFactory()
    )
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client, mandate


def entry(mandate, kind):
    return {"mandate": mandate.pk, "kind": kind, "date": "2024-03-01", "title": "调研", "quantity": "1"}


def test_a_nul_in_a_code_sent_to_the_api_is_refused_with_the_error_shape(api):
    client, mandate = api
    response = client.post("/api/v1/duty-entries/", entry(mandate, "a\x00b"), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert not DutyEntry.objects.exists()


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(api):
    client, mandate = api
    body = '{"mandate": %d, "kind": "no-such-kind", "date": "2024-03-01", "title": "\\\\u0000", "quantity": "1"}'
    response = client.post("/api/v1/duty-entries/", body % mandate.pk, content_type="application/json")
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]  # refused for its unknown kind, not as a NUL


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/regions/?code=%00",
        "/deputies/directory/?party=%00",
        "/cases/vote/a%00b/",
        "/training/c/%00/",
        "/stations/track/?code=%00&phone_tail=1234",
    ],
)
def test_a_nul_in_an_address_or_a_query_is_refused(client, url):
    client.force_login(factories.staff_of(factories.CongressFactory()))
    assert client.get(url).status_code == 400

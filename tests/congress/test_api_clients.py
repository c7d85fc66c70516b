"""Integration clients: created in the console with the token shown once, address allow-lists, rate limits."""

import re

import pytest

from congress import services
from congress.models import ApiClient
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def congress():
    return factories.CongressFactory()


def test_allow_list_refuses_other_addresses(api_client, congress):
    client, token = services.create_api_client(actor=None, name="省平台", congress=congress,
                                               scopes=["reference:read"], allowed_ips="10.8.0.0/16",
                                               owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/regions/", REMOTE_ADDR="192.168.1.5").status_code == 403
    assert api_client.get("/api/v1/regions/", REMOTE_ADDR="10.8.3.4").status_code == 200


def test_requests_beyond_the_clients_rate_get_429_with_retry_after(api_client, congress):
    _client, token = services.create_api_client(actor=None, name="限速", congress=congress,
                                                scopes=["reference:read"], rate_per_minute=2,
                                                owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert [api_client.get("/api/v1/regions/").status_code for _ in range(2)] == [200, 200]
    response = api_client.get("/api/v1/regions/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "throttled"


def test_unknown_scope_is_refused(congress):
    from congress.errors import RuleViolation

    with pytest.raises(RuleViolation) as error:
        services.create_api_client(
            actor=None, name="x", congress=congress, scopes=["everything:write"], owner=factories.UserFactory()
        )
    assert "scopes" in error.value.fields


def test_staff_create_a_client_in_the_console_and_see_its_token_once(client, congress):
    staff = factories.staff_of(congress)
    client.force_login(staff)
    response = client.post("/console/congress/apiclient/add/", {
        "name": "市级平台", "congress": congress.pk, "scopes": ["reference:read", "suggestions:read"],
        "allowed_ips": "", "rate_per_minute": 120,
    }, follow=True)  # fmt: skip
    created = ApiClient.objects.get(name="市级平台")
    shown = " ".join(str(m) for m in response.context["messages"])
    token = re.search(r"cdw_[\w-]+", shown).group(0)
    assert token.startswith(created.token_prefix)
    assert services.authenticate_token(token) == created
    assert created.scopes == ["reference:read", "suggestions:read"] and created.rate_per_minute == 120
    page = client.get(f"/console/congress/apiclient/{created.pk}/change/")
    assert token not in page.content.decode()


def test_rotating_in_the_console_retires_the_old_token(client, congress):
    api, old = services.create_api_client(
        actor=None, name="旧平台", congress=congress, scopes=["reference:read"], owner=factories.staff_of(congress)
    )
    client.force_login(factories.staff_of(congress))
    client.post("/console/congress/apiclient/", {"action": "rotate_token", "_selected_action": [api.pk]})
    assert services.authenticate_token(old) is None
    api.refresh_from_db()
    assert api.token_prefix != old[:8]


def test_staff_change_a_clients_scopes_in_the_console_through_the_service(client, congress):
    from congress import audit

    api, _token = services.create_api_client(
        actor=None, name="市平台", congress=congress, scopes=["reference:read"], owner=factories.staff_of(congress)
    )
    staff = factories.staff_of(congress)
    client.force_login(staff)
    response = client.post(f"/console/congress/apiclient/{api.pk}/change/", {
        "name": "市平台", "scopes": ["reference:read", "training:read"], "allowed_ips": "", "rate_per_minute": 60,
        "is_active": "on", "webhooks-TOTAL_FORMS": 0, "webhooks-INITIAL_FORMS": 0,
    })  # fmt: skip
    assert response.status_code == 302
    api.refresh_from_db()
    assert (api.scopes, api.rate_per_minute) == (["reference:read", "training:read"], 60)
    entry = audit.entries_for(api).filter(additional_data__action="change").get()
    assert entry.actor == staff
    assert set(entry.changes_dict) == {"scopes", "rate_per_minute"}


def test_a_clients_congress_cannot_be_changed_in_the_console(client, congress):
    api, _token = services.create_api_client(
        actor=None, name="市平台", congress=congress, scopes=["reference:read"], owner=factories.staff_of(congress)
    )
    other = factories.CongressFactory()
    client.force_login(factories.staff_of(congress))
    response = client.post(f"/console/congress/apiclient/{api.pk}/change/", {
        "name": "市平台", "congress": other.pk, "scopes": ["reference:read"], "allowed_ips": "",
        "rate_per_minute": 600, "is_active": "on", "webhooks-TOTAL_FORMS": 0, "webhooks-INITIAL_FORMS": 0,
    })  # fmt: skip
    assert response.status_code == 302
    api.refresh_from_db()
    assert api.congress == congress

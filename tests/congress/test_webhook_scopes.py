"""Webhooks follow the client's read scopes: an event goes only to clients that may read its area, at subscription
and at every delivery (scopes change)."""

import json

import pytest
from django.utils.translation import override

from congress import services, webhooks
from congress.admin import WebhookEndpointForm
from congress.errors import RuleViolation
from congress.models import ApiClient, WebhookDelivery, WebhookEndpoint
from tests import factories

pytestmark = pytest.mark.django_db


def make_client(congress, scopes, name="省平台"):
    client, token = services.create_api_client(
        actor=None, name=name, congress=congress, scopes=scopes, owner=factories.UserFactory()
    )
    return client, token


def test_every_event_needs_the_read_scope_of_a_known_area():
    known = {value for value, _label in services.api_scopes()}
    assert webhooks.EVENTS
    for name in webhooks.EVENTS:
        assert webhooks.needed_scope(name) in known, name
    assert webhooks.needed_scope("suggestion.status_changed") == "suggestions:read"
    assert webhooks.needed_scope("suggestion.replied") == "suggestions:read"
    assert webhooks.needed_scope("mandate.status_changed") == "deputies:read"
    assert webhooks.needed_scope("opinion.closed") == "stations:read"


def test_a_reference_client_subscribed_to_a_suggestion_event_receives_nothing(
    receiver, django_capture_on_commit_callbacks
):
    from suggestions import services as suggestion_services
    from tests.deputies.factories import current_term
    from tests.suggestions import factories as suggestion_factories

    congress = factories.CongressFactory()
    current_term(congress)
    client, _token = make_client(congress, ["reference:read"])
    # Through the table, as a subscription made before its scopes were narrowed, or by a bug elsewhere.
    WebhookEndpoint.objects.create(client=client, url=receiver.url, events=["suggestion.status_changed"],
                                   secret="s" * 64)  # fmt: skip
    suggestion = suggestion_factories.submitted(suggestion_factories.deputy(congress))
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_services.accept(actor=factories.staff_of(congress), suggestion_id=suggestion.pk)
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_each_event_reaches_only_clients_holding_its_scope():
    congress = factories.CongressFactory()
    reads = [value for value, _label in services.api_scopes() if value.endswith(":read")]
    for number, event in enumerate(sorted(webhooks.EVENTS)):
        needed = webhooks.needed_scope(event)
        holder, _token = make_client(congress, [needed], name=f"holder {number}")
        others, _token = make_client(congress, [scope for scope in reads if scope != needed], name=f"others {number}")
        for client in (holder, others):
            WebhookEndpoint.objects.create(client=client, url="https://hooks.example.cn/", events=[event],
                                           secret="s" * 64)  # fmt: skip
        assert webhooks.emit(event, {}, region_code=congress.region.code) == 1, event
        assert WebhookDelivery.objects.filter(event=event).get().endpoint.client == holder


def test_the_api_refuses_a_subscription_outside_the_clients_scopes_naming_it(api_client):
    client, token = make_client(factories.CongressFactory(), ["reference:read", "deputies:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    response = api_client.post("/api/v1/webhooks/", {
        "url": "https://hooks.example.cn/hook", "events": ["mandate.status_changed", "suggestion.published"],
    }, format="json")  # fmt: skip
    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["events"]
    assert "suggestion.published (suggestions:read)" in message and "mandate" not in message
    assert not WebhookEndpoint.objects.exists()


def test_the_api_refuses_changing_a_subscription_to_events_outside_the_scopes(api_client):
    client, token = make_client(factories.CongressFactory(), ["deputies:read"])
    endpoint, _secret = webhooks.add_endpoint(actor=None, client=client, url="https://hooks.example.cn/hook",
                                              events=["mandate.status_changed"])  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.put(f"/api/v1/webhooks/{endpoint.pk}/", {
        "url": "https://hooks.example.cn/hook", "events": ["opinion.closed"], "is_active": True,
    }, format="json")  # fmt: skip
    assert response.status_code == 400
    endpoint.refresh_from_db()
    assert endpoint.events == ["mandate.status_changed"]


def test_the_console_form_refuses_events_outside_the_clients_scopes():
    client, _token = make_client(factories.CongressFactory(), ["reference:read"])
    with override("en"):
        form = WebhookEndpointForm(data={"client": client.pk, "url": "https://hooks.example.cn/hook",
                                         "events": ["suggestion.replied"], "is_active": "on"})  # fmt: skip
        assert not form.is_valid()
        assert "suggestion.replied (suggestions:read)" in form.errors["events"][0]


def test_the_service_refuses_events_outside_the_clients_scopes():
    client, _token = make_client(factories.CongressFactory(), [])
    with pytest.raises(RuleViolation) as error:
        webhooks.add_endpoint(actor=None, client=client, url="https://hooks.example.cn/hook",
                              events=["opinion.closed"])  # fmt: skip
    assert set(error.value.fields) == {"events"}


def test_a_delivery_is_dropped_when_the_client_loses_the_scope(api_client, receiver):
    client, token = make_client(factories.CongressFactory(), ["suggestions:read"])
    webhooks.add_endpoint(actor=None, client=client, url=receiver.url, events=["suggestion.published"])
    webhooks.emit("suggestion.published", {"suggestion": 7}, region_code="44")  # stored; sent after commit
    ApiClient.objects.filter(pk=client.pk).update(scopes=["reference:read"])  # narrowed meanwhile
    delivery = WebhookDelivery.objects.get()
    assert webhooks.deliver(delivery.pk) == "dropped"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == ("failed", "scope withdrawn")
    assert receiver.requests == []
    # Nor can the client read the payload back, or have it sent again.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/webhook-deliveries/").json()["results"] == []
    assert api_client.post(f"/api/v1/webhook-deliveries/{delivery.pk}/replay/").status_code == 404
    # A replay from the console is dropped again.
    webhooks.replay(actor=None, delivery_id=delivery.pk)
    assert webhooks.deliver(delivery.pk) == "dropped"
    assert receiver.requests == []


def test_a_revoked_client_receives_nothing_more(receiver):
    client, _token = make_client(factories.CongressFactory(), ["suggestions:read"])
    webhooks.add_endpoint(actor=None, client=client, url=receiver.url, events=["suggestion.published"])
    webhooks.emit("suggestion.published", {"suggestion": 7}, region_code="44")
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    assert webhooks.deliver(WebhookDelivery.objects.get().pk) == "dropped"
    assert receiver.requests == []


def test_a_client_holding_the_scope_still_receives(receiver):
    client, _token = make_client(factories.CongressFactory(), ["suggestions:read"])
    webhooks.add_endpoint(actor=None, client=client, url=receiver.url, events=["suggestion.published"])
    webhooks.emit("suggestion.published", {"suggestion": 7}, region_code="44")
    assert webhooks.deliver(WebhookDelivery.objects.get().pk) == "delivered"
    assert json.loads(receiver.requests[0][1])["data"] == {"suggestion": 7}


def test_the_event_list_names_the_scope_each_event_needs(api_client):
    _client, token = make_client(factories.CongressFactory(), ["reference:read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    rows = {row["name"]: row["scope"] for row in api_client.get("/api/v1/webhook-events/").json()}
    assert rows["suggestion.published"] == "suggestions:read"
    assert rows["mandate.status_changed"] == "deputies:read"
    assert rows["opinion.closed"] == "stations:read"

"""Webhooks: signed deliveries stored with the change, retried with backoff, never sent twice after success."""

import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from congress import services, webhooks
from congress.models import WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    webhooks.register_event("test.happened", "something happened", scope="suggestions")
    yield "test.happened"
    webhooks.EVENTS.pop("test.happened", None)


@pytest.fixture
def province_client():
    congress = factories.CongressFactory()
    # Reads suggestions and the roster: it may receive suggestion.* and mandate.* events.
    client, _token = services.create_api_client(actor=None, name="省平台", congress=congress,
                                                scopes=["suggestions:read", "deputies:read"],
                                                owner=factories.UserFactory())  # fmt: skip
    return client


def subscribe(client, url, events):
    endpoint, secret = webhooks.add_endpoint(actor=None, client=client, url=url, events=events)
    return endpoint, secret


def test_emit_stores_a_delivery_for_each_subscribed_endpoint_in_the_clients_region(province_client, event):
    subscribe(province_client, "https://example.cn/a", [event])
    subscribe(province_client, "https://example.cn/b", ["suggestion.published"])
    assert webhooks.emit(event, {"n": 1}, region_code="440106") == 1
    assert webhooks.emit(event, {"n": 2}, region_code="5101") == 0  # another province: not the client's to see
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint.url == "https://example.cn/a" and delivery.payload["data"] == {"n": 1}


def test_delivery_is_signed_over_timestamp_and_body(
    province_client, event, receiver, django_capture_on_commit_callbacks
):
    _endpoint, secret = subscribe(province_client, receiver.url, [event])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, {"suggestion": 7}, region_code="44")
    headers, body = receiver.requests[0]
    expected = hmac.new(secret.encode(), headers["X-Congress-Timestamp"].encode() + b"." + body, "sha256").hexdigest()
    assert headers["X-Congress-Signature"] == f"sha256={expected}"
    assert json.loads(body)["data"] == {"suggestion": 7}
    assert WebhookDelivery.objects.get().status == "delivered"


def test_failed_delivery_waits_for_its_backoff_then_is_sent(province_client, event, receiver,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    subscribe(province_client, receiver.url, [event])
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, {}, region_code="44")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert webhooks.requeue() == 0  # not due yet
    receiver.status = 200
    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert webhooks.requeue() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2


def test_delivered_event_is_never_sent_again(province_client, event, receiver, django_capture_on_commit_callbacks):
    subscribe(province_client, receiver.url, [event])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, {}, region_code="44")
    delivery = WebhookDelivery.objects.get()
    assert webhooks.deliver(delivery.pk) == "skipped"
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        assert webhooks.requeue() == 0
    assert len(receiver.requests) == 1


def test_gives_up_after_the_last_attempt(province_client, event, settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    endpoint, _secret = subscribe(province_client, "http://127.0.0.1:9/unreachable", [event])
    webhooks.emit(event, {}, region_code="44")
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=webhooks.MAX_ATTEMPTS - 1)
    assert webhooks.deliver(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.next_attempt_at is None and delivery.last_error


def test_lost_message_is_requeued_once_stale(province_client, event, receiver):
    subscribe(province_client, receiver.url, [event])
    webhooks.emit(event, {}, region_code="44")  # the on-commit enqueue never runs: as if the broker were down
    assert webhooks.requeue() == 0
    with time_machine.travel(timezone.now() + webhooks.STALE_CLAIM + timedelta(seconds=5)):
        assert webhooks.requeue() == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_broker_down_does_not_fail_the_users_request(province_client, event, monkeypatch,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    from congress import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_webhook, "delay", down)
    subscribe(province_client, "https://example.cn/a", [event])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, {}, region_code="44")
    assert WebhookDelivery.objects.get().status == "pending"


def test_replay_sends_the_same_event_id_again(province_client, event, receiver, django_capture_on_commit_callbacks):
    subscribe(province_client, receiver.url, [event])
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.emit(event, {}, region_code="44")
    delivery = WebhookDelivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.replay(actor=province_client.user, delivery_id=delivery.pk)
    first, second = (headers["X-Congress-Event-Id"] for headers, _body in receiver.requests)
    assert first == second == str(delivery.event_id)


def test_unknown_event_or_bad_url_is_refused(province_client):
    from congress.errors import RuleViolation

    with pytest.raises(RuleViolation) as error:
        webhooks.add_endpoint(actor=None, client=province_client, url="ftp://x", events=["nope"])
    assert set(error.value.fields) == {"url", "events"}


def test_client_registers_a_webhook_through_the_api_and_sees_the_secret_once(api_client, province_client, event):
    token = services.rotate_api_token(actor=None, client=province_client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    created = api_client.post("/api/v1/webhooks/", {"url": "https://example.cn/hook", "events": [event]},
                              format="json")  # fmt: skip
    assert created.status_code == 201 and len(created.json()["secret"]) == 64
    listed = api_client.get("/api/v1/webhooks/").json()["results"]
    assert listed[0]["url"] == "https://example.cn/hook" and "secret" not in listed[0]


def test_staff_session_cannot_use_the_client_webhook_api(api_client):
    staff = factories.staff_of(factories.CongressFactory())
    api_client.force_authenticate(staff)
    assert api_client.get("/api/v1/webhooks/").status_code == 403


def test_a_suggestion_changing_state_reaches_a_subscribed_client(province_client, receiver,
                                                                  django_capture_on_commit_callbacks):  # fmt: skip
    from suggestions import services as suggestion_services
    from suggestions.models import Suggestion
    from tests.deputies.factories import current_term
    from tests.suggestions import factories as suggestion_factories

    congress = province_client.congress
    current_term(congress)
    suggestion = suggestion_factories.submitted(suggestion_factories.deputy(congress))
    subscribe(province_client, receiver.url, ["suggestion.status_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        suggestion_services.accept(actor=factories.staff_of(congress), suggestion_id=suggestion.pk)
    payload = json.loads(receiver.requests[-1][1])
    assert payload["event"] == "suggestion.status_changed"
    assert (payload["data"]["status"], payload["data"]["previous"]) == ("accepted", "submitted")
    assert payload["data"]["number"] == Suggestion.objects.get(pk=suggestion.pk).number_label


def test_delivery_list_queries_do_not_grow_with_page_size(api_client, province_client, event):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subscribe(province_client, "https://example.cn/a", [event])
    for n in range(60):
        webhooks.emit(event, {"n": n}, region_code="44")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.rotate_api_token(actor=None, client=province_client)}")
    counts = []  # after a first call: the client's last-use stamp is written at most once a minute
    for size in (1, 1, 50):
        with CaptureQueriesContext(connection) as captured:
            assert api_client.get(f"/api/v1/webhook-deliveries/?page_size={size}").status_code == 200
        counts.append(len(captured))
    assert counts[1] == counts[2]


def test_a_units_reply_reaches_a_subscribed_client(province_client, receiver, django_capture_on_commit_callbacks):
    from tests.deputies.factories import current_term
    from tests.suggestions import factories as suggestion_factories

    congress = province_client.congress
    current_term(congress)
    unit, officer = suggestion_factories.unit_with_officer(congress)
    suggestion = suggestion_factories.assigned(
        suggestion_factories.deputy(congress), factories.staff_of(congress), unit
    )
    subscribe(province_client, receiver.url, ["suggestion.replied"])
    with django_capture_on_commit_callbacks(execute=True):
        answer = suggestion_factories.reply_to(suggestion.assignments.get(), officer, result="B")
    payload = json.loads(receiver.requests[-1][1])
    assert payload["event"] == "suggestion.replied"
    assert (payload["data"]["reply"], payload["data"]["unit"], payload["data"]["result"]) == (answer.pk, unit.pk, "B")


def test_an_ended_mandate_reaches_a_subscribed_client(province_client, receiver, django_capture_on_commit_callbacks):
    from datetime import date

    from deputies import services as roster
    from tests.deputies.factories import MandateFactory, current_term

    congress = province_client.congress
    current_term(congress)
    mandate = MandateFactory(congress=congress)
    subscribe(province_client, receiver.url, ["mandate.status_changed"])
    with django_capture_on_commit_callbacks(execute=True):
        roster.end_mandate(actor=factories.staff_of(congress), mandate_id=mandate.pk, on=date(2024, 1, 1),
                           reason="resigned")  # fmt: skip
    data = json.loads(receiver.requests[-1][1])["data"]
    assert (data["mandate"], data["status"], data["previous"], data["reason"]) == (mandate.pk, "ended", "active",
                                                                                    "resigned")  # fmt: skip

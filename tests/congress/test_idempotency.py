"""Idempotency-Key on API POSTs: a repeat returns the first answer and acts once."""

from datetime import timedelta

import pytest
from django.test.client import encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from congress import idempotency, services
from congress.idempotency import IdempotentMixin
from congress.models import IdempotencyRecord, Term
from tests import factories

pytestmark = pytest.mark.django_db

TERMS = "/api/v1/terms/"


@pytest.fixture
def staff(tianhe, api_client):
    user = factories.staff_of(tianhe)
    api_client.force_authenticate(user)
    return user


def new_term(congress, number=18):
    return {"congress": congress.pk, "number": number, "start_date": "2021-12-01", "end_date": "2026-11-30"}


def post(client, data, key="k-1", path=TERMS):
    return client.post(path, data, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_repeat_with_same_key_and_body_returns_first_response_and_acts_once(api_client, staff, tianhe):
    first = post(api_client, new_term(tianhe))
    again = post(api_client, new_term(tianhe))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Term.objects.count() == 1


def test_same_key_with_different_body_is_422(api_client, staff, tianhe):
    post(api_client, new_term(tianhe))
    response = post(api_client, new_term(tianhe, number=19))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Term.objects.count() == 1


def test_same_key_on_another_path_is_422(api_client, staff, tianhe):
    post(api_client, new_term(tianhe))
    assert post(api_client, new_term(tianhe), path="/api/v1/sessions/").status_code == 422


def test_repeat_while_the_first_is_in_progress_is_409(api_client, staff, tianhe):
    request = APIRequestFactory().post(TERMS, new_term(tianhe), format="json")
    request_hash = idempotency.fingerprint(Request(request, parsers=[JSONParser()]))
    IdempotencyRecord.objects.create(user=staff, key="k-1", request_hash=request_hash)
    response = post(api_client, new_term(tianhe))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_in_progress"
    assert Term.objects.count() == 0


def test_keys_are_per_user(api_client, staff, tianhe):
    post(api_client, new_term(tianhe))
    api_client.force_authenticate(factories.staff_of(tianhe))
    response = post(api_client, new_term(tianhe))
    assert response.status_code == 400  # acted: the second term overlaps the first
    assert "start_date" in response.json()["error"]["fields"]


def test_without_a_key_every_post_acts(api_client, staff, tianhe):
    api_client.post(TERMS, new_term(tianhe), format="json")
    assert api_client.post(TERMS, new_term(tianhe), format="json").status_code == 400


def test_refused_request_is_replayed_too(api_client, staff, tianhe):
    bad = {**new_term(tianhe), "end_date": "2020-01-01"}
    first = post(api_client, bad)
    assert first.status_code == 400
    assert post(api_client, bad).content == first.content


def test_server_error_frees_the_key(api_client, staff, tianhe, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "save_reference", boom)
    with pytest.raises(RuntimeError):
        post(api_client, new_term(tianhe))
    assert not IdempotencyRecord.objects.exists()
    monkeypatch.undo()
    assert post(api_client, new_term(tianhe)).status_code == 201


def test_request_refused_before_the_view_claims_no_key(api_client, tianhe):
    _, token = services.create_api_client(
        actor=None, name="省平台", congress=tianhe, scopes=["reference:read"], owner=factories.UserFactory()
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post(api_client, new_term(tianhe)).status_code == 403
    assert not IdempotencyRecord.objects.exists()


def test_token_requests_are_keyed_by_the_client_user(api_client, tianhe):
    client, token = services.create_api_client(actor=None, name="省平台", congress=tianhe,
                                               scopes=["reference:read", "reference:write"],
                                               owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    first = post(api_client, new_term(tianhe))  # clients may not change terms: the refusal is the first answer
    assert post(api_client, new_term(tianhe)).content == first.content
    assert post(api_client, new_term(tianhe, number=19)).status_code == 422
    assert IdempotencyRecord.objects.get().user == client.user


def test_key_older_than_a_day_is_forgotten(api_client, staff, tianhe):
    post(api_client, new_term(tianhe))
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=25))
    response = post(api_client, new_term(tianhe, number=19))
    assert response.status_code == 400  # handled as a new request (the term overlaps), not 422


def test_overlong_key_is_400(api_client, staff, tianhe):
    response = post(api_client, new_term(tianhe), key="x" * 201)
    assert response.status_code == 400
    assert Term.objects.count() == 0


def test_purge_deletes_only_expired_keys(staff):
    old = IdempotencyRecord.objects.create(user=staff, key="old", request_hash="h", status_code=201)
    IdempotencyRecord.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyRecord.objects.create(user=staff, key="new", request_hash="h", status_code=201)
    assert idempotency.purge_expired() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


def test_multipart_fingerprint_ignores_the_boundary():
    def parsed(boundary):
        body = encode_multipart(boundary, {"text": "答复", "letter": _pdf()})
        request = APIRequestFactory().generic(
            "POST", "/api/v1/x/", body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return Request(request, parsers=[MultiPartParser()])

    assert idempotency.fingerprint(parsed("AaB03x")) == idempotency.fingerprint(parsed("ZzY98w"))


def test_fingerprint_changes_with_the_uploaded_file():
    def parsed(content):
        body = encode_multipart("AaB03x", {"letter": _pdf(content)})
        request = APIRequestFactory().generic(
            "POST", "/api/v1/x/", body, content_type="multipart/form-data; boundary=AaB03x"
        )
        return Request(request, parsers=[MultiPartParser()])

    assert idempotency.fingerprint(parsed(b"%PDF-1.4 one")) != idempotency.fingerprint(parsed(b"%PDF-1.4 two"))


def _pdf(content=b"%PDF-1.4\n%signed\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("letter.pdf", content, content_type="application/pdf")


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def test_every_api_post_endpoint_honours_the_key():
    missing = set()
    for callback in _views(get_resolver().url_patterns):
        view = getattr(callback, "cls", None)
        if view is None or not issubclass(view, APIView):
            continue
        actions = getattr(callback, "actions", None)
        posts = "post" in actions if actions is not None else hasattr(view, "post")
        if posts and not issubclass(view, IdempotentMixin):
            missing.add(view.__name__)
    assert missing == set()


def test_schema_documents_the_header_on_post_operations():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    posts = [(path, item["post"]) for path, item in schema["paths"].items() if "post" in item]
    assert posts
    undocumented = [
        path for path, operation in posts
        if not any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", []))
    ]  # fmt: skip
    assert undocumented == []


# Stored answers are personal data too: encrypted at rest, rotated with the keys, and a replay is a read


PHONE = "13912345678"


@pytest.fixture
def triage(api_client):
    """A station manager (who sees citizens' phones) and the request triaging an opinion of their station, whose
    answer shows the citizen's phone unmasked."""
    from liaison_stations import services as station_services
    from tests.liaison_stations.factories import managed_station

    station, manager = managed_station()
    opinion = station_services.submit_opinion(station=station, phone=PHONE, category="urban", content="路灯坏了。")
    api_client.force_authenticate(manager)
    path = f"/api/v1/opinions/{opinion.pk}/triage/"
    return lambda: post(api_client, {"route": "answered", "answer": "已解答"}, key="triage-1", path=path)


def _stored_body() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT response_body FROM congress_idempotencyrecord")
        (body,) = cursor.fetchone()
    return body


def _accesses():
    from auditlog.models import LogEntry

    from congress import personal_data

    return list(LogEntry.objects.filter(additional_data__action=personal_data.ACTION).order_by("pk"))


def test_stored_answer_column_holds_ciphertext_that_decrypts_back(triage):
    import json

    from congress import crypto

    first = triage()
    assert PHONE in first.content.decode()
    stored = _stored_body()
    assert stored.startswith(crypto.TOKEN_PREFIX) and PHONE not in stored
    assert json.loads(crypto.decrypt(stored)) == first.json()


def test_key_rotation_reencrypts_stored_answers(settings, triage):
    import io

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    from congress import crypto

    first = triage()
    old = _stored_body()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    crypto.reset_keys()
    try:
        call_command("reencrypt_personal_data", stdout=io.StringIO())
        settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key is gone
        crypto.reset_keys()
        assert _stored_body() != old
        assert triage().content == first.content
    finally:
        crypto.reset_keys()


def test_replayed_personal_data_answer_writes_an_access_record(triage):
    first = triage()
    (fresh,) = _accesses()
    again = triage()
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    fresh_again, replayed = _accesses()
    assert fresh_again == fresh
    assert (replayed.actor, replayed.content_type, replayed.object_pk) == (fresh.actor, fresh.content_type,
                                                                           fresh.object_pk)  # fmt: skip
    assert replayed.additional_data["ids"] == fresh.additional_data["ids"]
    assert replayed.additional_data["channel"] == "api" and replayed.additional_data["replayed"] is True


def test_replayed_answer_without_personal_data_writes_no_access_record(api_client, staff, tianhe):
    post(api_client, new_term(tianhe))
    assert post(api_client, new_term(tianhe))["Idempotent-Replayed"] == "true"
    assert _accesses() == []

from datetime import date

import pytest
from django.core.management import call_command

from congress import services
from congress.models import ApiClient, Region, Session, Term
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tianhe, api_client):
    user = factories.staff_of(tianhe)
    api_client.force_authenticate(user)
    return user


def token_for(congress, scopes=("reference:read",)):
    client, token = services.create_api_client(
        actor=None, name=f"client-{congress.pk}", congress=congress, scopes=list(scopes), owner=factories.UserFactory()
    )
    return client, token


def test_list_shows_only_scoped_congresses(api_client, staff, tianhe, nanshan):
    response = api_client.get("/api/v1/congresses/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [tianhe.pk]


def test_other_county_detail_is_not_found(api_client, staff, nanshan):
    response = api_client.get(f"/api/v1/congresses/{nanshan.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_bad_division_code_is_400_with_field_error_and_nothing_saved(api_client, staff):
    parent = Region.objects.get(code="440106")
    response = api_client.post(
        "/api/v1/regions/",
        {"code": "440305001", "name": "南头街道", "level": "township", "parent": parent.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]
    assert not Region.objects.filter(code="440305001").exists()


def test_non_digit_division_code_is_rejected(api_client, staff):
    parent = Region.objects.get(code="440106")
    response = api_client.post(
        "/api/v1/regions/", {"code": "44010A001", "name": "x", "level": "township", "parent": parent.pk}, format="json"
    )
    assert response.status_code == 400


def test_staff_creates_township_under_own_county(api_client, staff):
    parent = Region.objects.get(code="440106")
    response = api_client.post(
        "/api/v1/regions/",
        {"code": "440106003", "name": "沙河街道", "level": "township", "parent": parent.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Region.objects.filter(code="440106003", parent=parent).exists()


def test_staff_cannot_create_region_in_other_county(api_client, staff, nanshan):
    parent = Region.objects.get(code="440305")
    response = api_client.post(
        "/api/v1/regions/",
        {"code": "440305001", "name": "南头街道", "level": "township", "parent": parent.pk},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_overlapping_term_is_400(api_client, staff, tianhe):
    factories.TermFactory(congress=tianhe, number=18, start_date=date(2021, 12, 1), end_date=date(2026, 11, 30))
    response = api_client.post(
        "/api/v1/terms/",
        {"congress": tianhe.pk, "number": 19, "start_date": "2026-11-01", "end_date": "2031-10-31"},
        format="json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()["error"]["fields"]
    assert Term.objects.count() == 1


def test_session_outside_term_is_400(api_client, staff, tianhe):
    term = factories.TermFactory(congress=tianhe, start_date=date(2021, 12, 1), end_date=date(2026, 11, 30))
    response = api_client.post(
        "/api/v1/sessions/",
        {"term": term.pk, "number": 6, "start_date": "2026-12-05", "end_date": "2026-12-08"},
        format="json",
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_negative_policy_is_400(api_client, staff, tianhe):
    response = api_client.post(
        "/api/v1/policies/", {"congress": tianhe.pk, "key": "suggestion.assign_period", "value": "-3"}, format="json"
    )
    assert response.status_code == 400
    assert "value" in response.json()["error"]["fields"]


def test_unknown_policy_is_400(api_client, staff, tianhe):
    response = api_client.post("/api/v1/policies/", {"congress": tianhe.pk, "key": "nope", "value": "3"}, format="json")
    assert response.status_code == 400
    assert "key" in response.json()["error"]["fields"]


def test_policy_override_shows_in_effective_values(api_client, staff, tianhe):
    assert (
        api_client.post(
            "/api/v1/policies/",
            {"congress": tianhe.pk, "key": "suggestion.reassign_window", "value": "7"},
            format="json",
        ).status_code
        == 201
    )
    rows = {row["key"]: row for row in api_client.get(f"/api/v1/congresses/{tianhe.pk}/policies/").json()}
    assert rows["suggestion.reassign_window"]["value"] == "7.00"
    assert rows["suggestion.reassign_window"]["overridden"] is True
    assert rows["suggestion.assign_period"]["value"] == "5.00"


def test_township_motion_threshold_defaults_to_five():
    from congress.policies import policy

    township = factories.CongressFactory(region=factories.township())
    assert policy(township, "motion.cosigner_threshold") == 5
    assert policy(factories.CongressFactory(), "motion.cosigner_threshold") == 10


def test_anonymous_gets_401_in_error_shape(api_client):
    response = api_client.get("/api/v1/regions/")
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401


def test_bearer_token_reads_within_client_congress(api_client, tianhe, nanshan):
    _, token = token_for(tianhe)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.get("/api/v1/congresses/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [tianhe.pk]


def test_invalid_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer cdw_wrong")
    assert api_client.get("/api/v1/regions/").status_code == 401


def test_revoked_token_is_401(api_client, tianhe):
    client, token = token_for(tianhe)
    services.revoke_api_client(actor=None, client=client)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/regions/").status_code == 401


def test_token_without_write_scope_cannot_write(api_client, tianhe):
    _, token = token_for(tianhe)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.post(
        "/api/v1/terms/",
        {"congress": tianhe.pk, "number": 1, "start_date": "2031-01-01", "end_date": "2035-12-31"},
        format="json",
    )
    assert response.status_code == 403


def test_token_is_stored_hashed(tianhe):
    client, token = token_for(tianhe)
    stored = ApiClient.objects.get(pk=client.pk)
    assert token not in (stored.token_hash, stored.token_prefix)
    assert token.startswith(stored.token_prefix)


def test_create_api_client_command_prints_a_working_token(api_client, capsys):
    factories.CongressFactory()
    factories.UserFactory(username="platform_keeper")
    call_command("create_api_client", "省级平台", "--congress", "440000", "--owner", "platform_keeper")
    token = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Token")][0].split()[-1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/regions/").status_code == 200


def test_cursor_pagination_pages_without_repeats(api_client, staff, tianhe):
    for number in range(1, 6):
        factories.TermFactory(
            congress=tianhe,
            number=number,
            start_date=date(2000 + number * 5, 1, 1),
            end_date=date(2004 + number * 5, 12, 31),
        )
    seen, url = [], "/api/v1/terms/?cursor=&page_size=2"
    while url:
        body = api_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(Term.objects.values_list("id", flat=True))
    assert len(seen) == len(set(seen)) == 5


def test_updated_since_filters(api_client, staff, tianhe):
    response = api_client.get("/api/v1/congresses/", {"updated_since": "2999-01-01T00:00:00Z"})
    assert response.json()["results"] == []


def test_list_query_count_does_not_grow_with_rows(api_client, staff, tianhe, django_assert_max_num_queries):
    for index in range(20):
        factories.OrganisationFactory(region=tianhe.region, name=f"单位{index}")
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/organisations/").status_code == 200


def test_openapi_schema_validates():
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_speaks_chinese_by_default_and_english_on_request(client):
    def title(response):
        return response.json()["components"]["schemas"]["MandateSeatIn"]["properties"]["start_date"]["title"]

    assert title(client.get("/api/schema/?format=json")) == "当选日期"
    assert title(client.get("/api/schema/?format=json&lang=en")) == "Elected on"


def test_schema_shows_a_worked_example_for_batches_and_errors(client):
    schema = client.get("/api/schema/?format=json").json()
    batch = schema["paths"]["/api/v1/suggestions/batch/"]["post"]
    assert batch["requestBody"]["content"]["application/json"]["examples"]
    conflict = batch["responses"]["409"]["content"]["application/json"]["example"]["error"]
    assert conflict["code"] == "invalid_transition"


def test_swagger_ui_serves_without_cdn(client):
    body = client.get("/api/docs/").content.decode()
    assert "cdn" not in body.lower()


def test_staff_remove_a_policy_override_and_the_default_returns(api_client, staff, tianhe):
    from congress.models import PolicyValue, Tombstone

    policy = PolicyValue.objects.create(congress=tianhe, key="suggestion.reassign_window", value=7)
    response = api_client.delete(f"/api/v1/policies/{policy.pk}/")
    assert response.status_code == 204
    rows = {row["key"]: row for row in api_client.get(f"/api/v1/congresses/{tianhe.pk}/policies/").json()}
    assert rows["suggestion.reassign_window"]["overridden"] is False
    assert Tombstone.objects.filter(resource="policies", object_id=policy.pk).exists()


def test_staff_of_another_congress_cannot_remove_a_policy_override(api_client, tianhe):
    from congress.models import PolicyValue

    other = factories.CongressFactory(region=factories.county("440305", "南山区"))
    policy = PolicyValue.objects.create(congress=other, key="suggestion.reassign_window", value=7)
    api_client.force_authenticate(factories.staff_of(tianhe))
    assert api_client.delete(f"/api/v1/policies/{policy.pk}/").status_code == 404
    assert PolicyValue.objects.filter(pk=policy.pk).exists()


def test_a_paginated_list_opens_in_the_browsable_api(client, tianhe):
    client.force_login(factories.staff_of(tianhe))
    response = client.get("/api/v1/terms/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"drf-float-right" in response.content

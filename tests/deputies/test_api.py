import pytest
from django.contrib.auth.models import Permission

from congress import services as core_services
from deputies.models import Mandate, Person
from tests import factories as core

from .factories import MandateFactory, PersonFactory, current_term

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianhe():
    return core.CongressFactory(region=core.county("440106", "天河区"))


@pytest.fixture
def nanshan():
    return core.CongressFactory(region=core.county("440305", "南山区"))


@pytest.fixture
def mine(tianhe):
    return MandateFactory(congress=tianhe, person__name="林晓东")


@pytest.fixture
def staff(tianhe):
    return core.staff_of(tianhe)


def test_county_staff_list_only_their_deputies(api_client, staff, mine, nanshan):
    MandateFactory(congress=nanshan, person__name="周敏")
    api_client.force_authenticate(staff)
    names = [row["name"] for row in api_client.get("/api/v1/deputies/").json()["results"]]
    assert names == ["林晓东"]


def test_id_number_and_phone_are_masked_without_permission(api_client, staff, mine):
    api_client.force_authenticate(staff)
    row = api_client.get(f"/api/v1/deputies/{mine.person_id}/").json()
    assert row["id_number"] == mine.person.id_number[:4] + "*" * 10 + mine.person.id_number[-4:]
    assert row["phone"] == "139****5678"


def test_staff_with_personal_data_permission_see_them(api_client, staff, mine):
    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    api_client.force_authenticate(Person._meta.apps.get_model("congress", "User").objects.get(pk=staff.pk))
    assert api_client.get(f"/api/v1/deputies/{mine.person_id}/").json()["id_number"] == mine.person.id_number


def test_client_scope_personal_data_unmasks(api_client, tianhe, mine):
    _, token = core_services.create_api_client(
        actor=None,
        name="sync",
        congress=tianhe,
        scopes=["deputies:read", "personal-data:read"],
        owner=core.UserFactory(),
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/deputies/").json()["results"][0]["id_number"] == mine.person.id_number


def test_client_without_deputies_scope_is_refused(api_client, tianhe, mine):
    _, token = core_services.create_api_client(
        actor=None, name="ref", congress=tianhe, scopes=["reference:read"], owner=core.UserFactory()
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/deputies/").status_code == 403


def test_directory_filters_apply_to_the_api(api_client, staff, tianhe, mine):
    MandateFactory(congress=tianhe, person=PersonFactory(name="陈红", gender="F", occupation="worker_farmer"))
    api_client.force_authenticate(staff)
    rows = api_client.get("/api/v1/deputies/", {"gender": "F", "occupation": "worker_farmer"}).json()["results"]
    assert [row["name"] for row in rows] == ["陈红"]


def test_create_with_bad_id_number_is_400_and_saves_nothing(api_client, staff, tianhe):
    api_client.force_authenticate(staff)
    term = current_term(tianhe)
    response = api_client.post("/api/v1/deputies/", {
        "name": "新代表", "gender": "M", "ethnic_group": "01", "birth_date": "1980-01-01",
        "id_number": "440106198001010011", "party": "01", "education": "college", "occupation": "other",
        "mandate": {"congress": tianhe.pk, "term": term.pk, "start_date": str(term.start_date)},
    }, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "id_number" in response.json()["error"]["fields"]
    assert not Person.objects.exists()


def test_create_deputy_with_first_mandate(api_client, staff, tianhe):
    from datetime import date

    from deputies import idnumbers

    api_client.force_authenticate(staff)
    term = current_term(tianhe)
    response = api_client.post("/api/v1/deputies/", {
        "name": "新代表", "gender": "M", "ethnic_group": "01", "birth_date": "1980-01-01",
        "id_number": idnumbers.make("440106", date(1980, 1, 1), 11), "party": "01", "education": "college",
        "occupation": "other", "mandate": {"congress": tianhe.pk, "term": term.pk, "start_date": str(term.start_date)},
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert Mandate.objects.get().person.name == "新代表"


def test_end_action_through_the_api(api_client, staff, mine):
    api_client.force_authenticate(staff)
    response = api_client.post(f"/api/v1/mandates/{mine.pk}/end/", {"date": "2025-06-01", "reason": "resigned"})
    assert response.status_code == 200
    assert response.json()["status"] == "ended"
    again = api_client.post(f"/api/v1/mandates/{mine.pk}/end/", {"date": "2025-06-02", "reason": "resigned"})
    assert again.status_code == 409


def test_deputy_list_query_count_is_constant(api_client, staff, tianhe, django_assert_max_num_queries):
    for _ in range(25):
        MandateFactory(congress=tianhe)
    api_client.force_authenticate(staff)
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/deputies/?page_size=25").status_code == 200


def test_deputy_sees_only_their_own_record(api_client, tianhe, mine):
    other = MandateFactory(congress=tianhe)
    user = core.UserFactory()
    from deputies import services

    services.link_account(actor=core.staff_of(tianhe), person=mine.person, user=user)
    api_client.force_authenticate(user)
    ids = [row["id"] for row in api_client.get("/api/v1/deputies/").json()["results"]]
    assert ids == [mine.person_id]
    assert other.person_id not in ids
    assert api_client.get(f"/api/v1/deputies/{mine.person_id}/").json()["id_number"] == mine.person.id_number


def test_schema_still_validates():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_api_applies_the_import_phone_rule(api_client, staff, mine):
    api_client.force_authenticate(staff)
    response = api_client.patch(f"/api/v1/deputies/{mine.person_id}/", {"phone": "12345"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["error"]["fields"]


def test_create_without_first_mandate_is_400(api_client, staff):
    api_client.force_authenticate(staff)
    response = api_client.post("/api/v1/deputies/", {"name": "x"}, format="json")
    assert response.status_code == 400

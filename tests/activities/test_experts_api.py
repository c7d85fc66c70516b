"""The expert pools through the API: the congress's staff and clients read its experts with their contact masked
(unmasked, and recorded, for a client holding the personal-data scope); its staff add, change, archive and invite
them and record their answers; another congress reads nothing and invites nobody."""

import pytest
from auditlog.models import LogEntry

from activities.models import Expert, Participant
from tests import factories as core
from tests.deputies.factories import current_term

from . import factories as f

pytestmark = pytest.mark.django_db

EXPERTS = "/api/v1/activities/experts/"
INVITATIONS = "/api/v1/activities/expert-invitations/"
PHONE = "13912345678"


@pytest.fixture
def lawyer(staff, congress):
    return f.expert(staff, congress, phone=PHONE, email="zhangmy@lzu.edu.cn")


@pytest.fixture
def elsewhere(db):
    congress = core.CongressFactory(region=core.province("63", "青海省"))
    current_term(congress)
    return congress


def test_a_client_reads_the_experts_with_their_contact_masked(api_client, congress, lawyer):
    client = f.token(api_client, congress, "activities:read")
    (row,) = client.get(EXPERTS).json()["results"]
    assert (row["name"], row["phone"], row["email"]) == ("张明远", "139****5678", "zh***@lzu.edu.cn")
    assert row["fields_of_expertise"] == ["行政法", "环境资源法"]
    assert not LogEntry.objects.filter(additional_data__action="view_personal_data").exists()


def test_a_client_with_the_personal_data_scope_reads_the_contact_and_is_recorded(api_client, congress, lawyer):
    client = f.token(api_client, congress, "activities:read", "personal-data:read")
    (row,) = client.get(EXPERTS).json()["results"]
    assert row["phone"] == PHONE
    assert LogEntry.objects.filter(additional_data__action="view_personal_data", object_pk=str(lawyer.pk)).exists()


def test_another_congresss_client_reads_no_expert(api_client, elsewhere, lawyer):
    client = f.token(api_client, elsewhere, "activities:read", "personal-data:read")
    assert client.get(EXPERTS).json()["results"] == []
    assert client.get(f"{EXPERTS}{lawyer.pk}/").status_code == 404


def test_the_list_filters_by_field_of_expertise(api_client, staff, congress, lawyer):
    f.expert(staff, congress, name="陈静", expertise="财税法")
    api_client.force_authenticate(staff)
    names = [row["name"] for row in api_client.get(EXPERTS, {"field": "财税"}).json()["results"]]
    assert names == ["陈静"]


def test_staff_add_an_expert_through_the_api(api_client, staff, congress):
    pool = f.expert_pool(staff, congress)
    api_client.force_authenticate(staff)
    answer = api_client.post(EXPERTS, {"congress": congress.pk, "pools": [pool.pk], "name": "周正",
                                       "expertise": "财政学", "phone": "13911112222"}, format="json")  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert answer.json()["phone"] == "139****2222"
    assert Expert.objects.get().phone == "13911112222"


def test_a_client_may_read_but_not_archive(api_client, congress, lawyer):
    client = f.token(api_client, congress, "activities:read", "activities:write")
    assert client.post(f"{EXPERTS}{lawyer.pk}/archive/").status_code == 403
    assert not Expert.objects.get().archived


def test_staff_invite_an_expert_and_record_the_answer(api_client, staff, activity, lawyer):
    api_client.force_authenticate(staff)
    answer = api_client.post(INVITATIONS, {"activity": activity.pk, "experts": [lawyer.pk]}, format="json")
    assert answer.status_code == 201, answer.json()
    (row,) = answer.json()
    assert (row["expert"], row["answer"]) == (lawyer.pk, "invited")
    answered = api_client.post(f"{INVITATIONS}{row['id']}/answer/", {"answer": "accepted"}, format="json")
    assert answered.json()["answer"] == "accepted"


def test_inviting_another_congresss_expert_stores_nothing(api_client, staff, activity, elsewhere):
    foreign = f.expert(core.staff_of(elsewhere), elsewhere, name="王青")
    api_client.force_authenticate(staff)
    answer = api_client.post(INVITATIONS, {"activity": activity.pk, "experts": [foreign.pk]}, format="json")
    assert answer.status_code == 400 and "experts" in answer.json()["error"]["fields"]
    assert not Participant.objects.exists()

from datetime import timedelta

import pytest
from django.utils import timezone

from congress import services as core_services
from liaison_stations import services
from liaison_stations.models import CitizenOpinion
from tests import factories

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db


def opinion_for(station):
    return services.submit_opinion(station=station, phone="13912345678", category="urban", content="路灯坏了。")


def test_manager_triages_and_closes_through_the_api(api_client, station, manager):
    opinion = opinion_for(station)
    api_client.force_authenticate(manager)
    response = api_client.post(f"/api/v1/opinions/{opinion.pk}/triage/", {"route": "answered", "answer": "已解答"})
    assert response.status_code == 200, response.json()
    response = api_client.post(f"/api/v1/opinions/{opinion.pk}/feedback/", {"feedback": "已告知"})
    assert response.json()["status"] == "closed"


def test_closing_without_an_answer_is_a_conflict(api_client, station, manager):
    opinion = opinion_for(station)
    api_client.force_authenticate(manager)
    response = api_client.post(f"/api/v1/opinions/{opinion.pk}/feedback/", {"feedback": "已告知"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_referral_without_unit_is_a_400_naming_the_field(api_client, station, manager):
    opinion = opinion_for(station)
    api_client.force_authenticate(manager)
    response = api_client.post(f"/api/v1/opinions/{opinion.pk}/triage/", {"route": "referred"})
    assert response.status_code == 400
    assert "unit" in response.json()["error"]["fields"]


def test_phone_is_masked_without_the_personal_data_scope(api_client, station):
    opinion_for(station)
    client, token = core_services.create_api_client(actor=None, name="省平台", congress=station.congress,
                                                     scopes=["stations:read"],
                                                     owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/opinions/").json()["results"][0]["phone"] == "139****5678"


def test_phone_is_shown_with_the_personal_data_scope(api_client, station):
    opinion_for(station)
    client, token = core_services.create_api_client(actor=None, name="省平台", congress=station.congress,
                                                     scopes=["stations:read", "personal-data:read"],
                                                     owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/opinions/").json()["results"][0]["phone"] == "13912345678"


def test_client_without_the_stations_scope_is_refused(api_client, station):
    client, token = core_services.create_api_client(actor=None, name="省平台", congress=station.congress,
                                                     scopes=["deputies:read"],
                                                     owner=factories.UserFactory())  # fmt: skip
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/stations/").status_code == 403


def test_opinions_filter_by_region_and_status_and_sync(api_client, station, staff):
    opinion_for(station)
    api_client.force_authenticate(staff)
    since = (timezone.now() - timedelta(minutes=1)).isoformat()
    response = api_client.get("/api/v1/opinions/", {"under": station.region_code[:4], "status": "received",
                                                    "updated_since": since, "cursor": ""})  # fmt: skip
    assert len(response.json()["results"]) == 1
    assert api_client.get("/api/v1/opinions/", {"status": "closed"}).json()["count"] == 0


def test_deputy_checks_in_through_the_api_once_per_key(api_client, station):
    mandate, user = stationed_deputy(station)
    api_client.force_authenticate(user)
    body = {"mandate": mandate.pk, "station": station.pk, "activity": "research",
            "visited_at": (timezone.now() - timedelta(hours=2)).isoformat(), "submission_key": "x1"}  # fmt: skip
    first = api_client.post("/api/v1/visits/", body, format="json")
    second = api_client.post("/api/v1/visits/", body, format="json")
    assert first.status_code == 201, first.json()
    assert first.json()["id"] == second.json()["id"]


def test_reception_is_planned_and_published_through_the_api(api_client, station, manager):
    mandate, _ = stationed_deputy(station)
    api_client.force_authenticate(manager)
    body = {"station": station.pk, "date": (timezone.localdate() + timedelta(days=4)).isoformat(),
            "start_time": "09:00", "end_time": "11:30", "topic": "教育", "deputies": [mandate.pk]}  # fmt: skip
    created = api_client.post("/api/v1/receptions/", body, format="json")
    assert created.status_code == 201, created.json()
    published = api_client.post(f"/api/v1/receptions/{created.json()['id']}/publish/")
    assert published.json()["status"] == "published"


def test_opinion_recorded_through_the_api_keeps_the_station(api_client, station, manager):
    api_client.force_authenticate(manager)
    response = api_client.post(
        "/api/v1/opinions/",
        {"station": station.pk, "phone": "13912345678", "category": "health", "content": "看病难"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert CitizenOpinion.objects.get().channel == "reception"

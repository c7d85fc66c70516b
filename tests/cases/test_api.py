"""The case-selection API: campaigns, cases and rounds for authorised clients, with the voting actions."""

import pytest

from cases import services
from cases.models import Campaign, RoundKind
from congress.services import create_api_client
from tests import factories

from . import factories as f

pytestmark = pytest.mark.django_db


def test_staff_create_a_campaign_and_add_rounds(api_client, congress, staff, unit):
    api_client.force_authenticate(staff)
    response = api_client.post("/api/v1/cases/campaigns/", {
        "congress": congress.pk, "kind": "duty", "year": 2024, "title": "2024年度代表履职优秀案例",
        "submissions_open": "2024-09-01", "submissions_close": "2024-09-30",
        "units": [{"unit": unit[0].pk, "quota": 4}],
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["units"] == [{"unit": unit[0].pk, "unit_name": unit[0].name, "quota": 4}]
    [voter] = f.voters(1)
    response = api_client.post("/api/v1/cases/rounds/", {
        "campaign": body["id"], "kind": "ballot", "name": "机关投票", "opens_at": "2024-10-09T09:00:00+08:00",
        "closes_at": "2024-10-13T17:00:00+08:00", "approvals_per_voter": 30, "advance": 30,
        "voters": [{"user": voter.pk}],
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == 1 and response.json()["voters"][0]["user"] == voter.pk


def test_a_bad_round_answers_400_naming_the_field(api_client, congress, staff, unit):
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit[0]])
    api_client.force_authenticate(staff)
    response = api_client.post("/api/v1/cases/rounds/", {
        "campaign": campaign.pk, "kind": "ballot", "name": "机关投票", "opens_at": "2024-10-09T09:00:00+08:00",
        "closes_at": "2024-10-13T17:00:00+08:00",
    }, format="json")  # fmt: skip
    assert response.status_code == 400
    assert "approvals_per_voter" in str(response.json())


def test_a_unit_creates_and_submits_a_case(api_client, congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        api_client.force_authenticate(officer)
        response = api_client.post("/api/v1/cases/submissions/", {
            "campaign": campaign.pk, "title": "聚焦课后服务", "level": mandate.level, "mandate_ids": [mandate.pk],
            "narrative": "代表提出的课后服务建议推动全市中小学实现延时托管全覆盖。",
        }, format="json")  # fmt: skip
        assert response.status_code == 201, response.json()
        case = response.json()
        submitted = api_client.post(f"/api/v1/cases/submissions/{case['id']}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert submitted.json()["deputies"] == [{"mandate": mandate.pk, "name": mandate.person.name}]


def test_a_voter_casts_a_ballot_and_a_second_one_is_409(api_client, congress, staff, unit, mandate):
    unit_org, officer = unit
    [voter] = f.voters(1)
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        cases = [f.submission(officer, campaign, title=t, level=mandate.level, mandates=[mandate]) for t in "AB"]
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = f.round_(staff, campaign, RoundKind.BALLOT, voters=[(voter, None)], approvals_per_voter=1, advance=1)
        services.open_round(actor=staff, round_id=round_.pk)
    api_client.force_authenticate(voter)
    with f.travel("2023-10-10 10:00"):
        first = api_client.post(
            f"/api/v1/cases/rounds/{round_.pk}/ballot/", {"submissions": [cases[0].pk]}, format="json"
        )
        again = api_client.post(
            f"/api/v1/cases/rounds/{round_.pk}/ballot/", {"submissions": [cases[1].pk]}, format="json"
        )
    assert first.status_code == 200 and again.status_code == 409
    api_client.force_authenticate(staff)
    with f.travel("2023-10-10 11:00"):
        closed = api_client.post(f"/api/v1/cases/rounds/{round_.pk}/close/")
        decided = api_client.post(f"/api/v1/cases/rounds/{round_.pk}/decide/", {}, format="json")
    assert closed.status_code == 200 and decided.json()["status"] == "decided"
    results = api_client.get(f"/api/v1/cases/campaigns/{campaign.pk}/results/").json()
    assert [(row["title"], row["selected"], row["rank"]) for row in results["rows"]] == [
        ("A", True, 1),
        ("B", False, 2),
    ]


def test_a_client_needs_the_cases_scope(api_client, congress):
    _client, token = create_api_client(
        actor=None, name="省平台", congress=congress, scopes=["reference:read"], owner=factories.UserFactory()
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/cases/campaigns/").status_code == 403
    _client, token = create_api_client(
        actor=None, name="评选平台", congress=congress, scopes=["cases:read"], owner=factories.UserFactory()
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/cases/campaigns/").status_code == 200


def test_a_unit_sees_only_its_own_cases(api_client, congress, staff, unit, mandate):
    unit_org, officer = unit
    other_org, other_officer = f.unit_with_officer(congress, "深圳市人大常委会")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org, other_org])
        f.submission(officer, campaign, title="我们的", level=mandate.level, mandates=[mandate])
        f.submission(other_officer, campaign, title="他们的", level=mandate.level, mandates=[mandate])
    api_client.force_authenticate(officer)
    titles = [row["title"] for row in api_client.get("/api/v1/cases/submissions/").json()["results"]]
    assert titles == ["我们的"]
    assert Campaign.objects.count() == 1

"""The pages: staff set up and run a campaign, a unit writes and submits a case, voters and judges vote,
results print and export; lists keep their query count whatever their length."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from cases import services
from cases.models import Ballot, Campaign, CampaignKind, RoundKind, Score, Submission, SubmissionStatus
from tests.liaison_stations.factories import StationFactory

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(congress, staff, unit, mandate):
    """A duty campaign closed to submissions with three cases and an open ballot round (voter: voter00)."""
    unit_org, officer = unit
    [voter] = f.voters(1)
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        cases = [f.submission(officer, campaign, title=t, level=mandate.level, mandates=[mandate]) for t in "ABC"]
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = f.round_(staff, campaign, RoundKind.BALLOT, voters=[(voter, None)], approvals_per_voter=2, advance=2)
        services.open_round(actor=staff, round_id=round_.pk)
    return campaign, round_, cases, voter


def test_staff_create_a_campaign_on_the_page(client, congress, staff, unit):
    client.force_login(staff)
    response = client.post(reverse("cases:campaign_new"), {
        "congress": congress.pk, "kind": "duty", "year": 2024, "title": "2024年度代表履职优秀案例",
        "submissions_open": "2024-09-01", "submissions_close": "2024-09-30", "units": [unit[0].pk], "quota": 5,
    })  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert (campaign.units.get().quota, campaign.created_by) == (5, staff)


def test_staff_add_a_round_with_voters_and_criteria_on_the_page(client, congress, staff, unit):
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit[0]])
    f.voters(2, "judge")
    client.force_login(staff)
    response = client.post(reverse("cases:round_new", args=[campaign.pk]), {
        "kind": "weighted", "name": "专家评分", "opens_at": "2023-11-01T09:00", "closes_at": "2023-11-04T09:00",
        "advance": 15, "public_vote": "on", "voters": "judge00\njudge01", "criteria": "成效, 60\n示范, 40",
    })  # fmt: skip
    assert response.status_code == 302
    round_ = campaign.rounds.get()
    assert (round_.online_weight, round_.panel_weight, round_.public_vote) == (20, 80, True)
    assert [c.max_points for c in round_.criteria.all()] == [60, 40]
    assert round_.voters.count() == 2


def test_an_unknown_voter_name_is_a_form_error(client, congress, staff, unit):
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit[0]])
    client.force_login(staff)
    response = client.post(reverse("cases:round_new", args=[campaign.pk]), {
        "kind": "ballot", "name": "投票", "opens_at": "2023-11-01T09:00", "closes_at": "2023-11-04T09:00",
        "advance": 3, "approvals_per_voter": 3, "voters": "nobody",
    })  # fmt: skip
    assert response.status_code == 200 and "voters" in response.context["form"].errors


def test_a_unit_writes_and_submits_a_case_on_its_portal(client, congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        client.force_login(officer)
        assert client.get(reverse("cases:unit")).status_code == 200
        response = client.post(reverse("cases:submission_new", args=[campaign.pk]), {
            "title": "老旧小区加装电梯", "narrative": "代表牵头协商，化解加装电梯邻里分歧，形成可推广经验。",
            "level": mandate.level, "mandates": [mandate.pk],
        })  # fmt: skip
        case = Submission.objects.get()
        assert response.status_code == 302
        client.post(reverse("cases:submission_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == SubmissionStatus.SUBMITTED and list(case.mandates.all()) == [mandate]


def test_staff_return_a_case_on_its_page(client, running, staff):
    _campaign, _round, _cases, _voter = running
    with f.travel("2023-09-12 10:00"):
        campaign = f.campaign(staff, _campaign.congress, [_campaign.units.get().unit], title="另一次评选")
        officer = _cases[0].submitted_by
        named = list(_cases[0].mandates.all())
        case = f.submission(officer, campaign, title="D", level=_cases[0].level, mandates=named)
    client.force_login(staff)
    client.post(reverse("cases:review", args=[case.pk, "return"]), {"reason": "请补充照片"})
    case.refresh_from_db()
    assert (case.status, case.review_note) == (SubmissionStatus.RETURNED, "请补充照片")


def test_a_voter_casts_a_ballot_on_the_page(client, running):
    _campaign, round_, cases, voter = running
    client.force_login(voter)
    with f.travel("2023-10-10 10:00"):
        page = client.get(reverse("cases:ballot", args=[round_.pk]))
        assert page.status_code == 200 and page.context["window"]
        client.post(reverse("cases:ballot", args=[round_.pk]), {"submissions": [cases[0].pk, cases[2].pk]})
    assert set(Ballot.objects.values_list("submission_id", flat=True)) == {cases[0].pk, cases[2].pk}


def test_a_judge_scores_a_case_on_the_page(client, congress, staff, unit):
    unit_org, officer = unit
    [judge] = f.voters(1, "judge")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org], kind=CampaignKind.STATION)
        case = f.submission(
            officer, campaign, title="站", station=StationFactory(congress=congress, region=congress.region)
        )
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = f.round_(staff, campaign, RoundKind.WEIGHTED, voters=[(judge, None)], advance=1,
                          criteria=[("成效", 60), ("示范", 40)])  # fmt: skip
        services.open_round(actor=staff, round_id=round_.pk)
    first, second = round_.criteria.all()
    client.force_login(judge)
    with f.travel("2023-10-10 10:00"):
        assert client.get(reverse("cases:ballot", args=[round_.pk])).status_code == 200
        client.post(reverse("cases:ballot", args=[round_.pk]),
                    {"submission": case.pk, f"c{first.pk}": "55", f"c{second.pk}": "30.5"})  # fmt: skip
    assert sorted(Score.objects.values_list("points", flat=True)) == [30.5, 55]


def test_staff_open_close_and_decide_on_the_round_page(client, running, staff):
    _campaign, round_, cases, voter = running
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[cases[0].pk, cases[1].pk])
    client.force_login(staff)
    with f.travel("2023-10-14 10:00"):
        client.post(reverse("cases:round_act", args=[round_.pk, "close"]))
        client.post(reverse("cases:round_act", args=[round_.pk, "decide"]))
        page = client.get(reverse("cases:round", args=[round_.pk]))
    assert page.status_code == 200
    round_.refresh_from_db()
    assert round_.status == "decided"
    assert len(page.context["ballots"]) == 2


def test_staff_break_a_tie_on_the_round_page(client, running, staff):
    _campaign, round_, cases, voter = running
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[cases[0].pk])
    client.force_login(staff)
    with f.travel("2023-10-14 10:00"):
        client.post(reverse("cases:round_act", args=[round_.pk, "close"]))
        page = client.get(reverse("cases:round", args=[round_.pk]))
        assert len(page.context["ties"]) == 1
        client.post(reverse("cases:break_tie", args=[round_.pk]),
                    {"group": "", "chosen": [cases[2].pk], "reason": "主任会议决定"})  # fmt: skip
    round_.refresh_from_db()
    assert round_.tie_slots == {} and round_.decisions.get().reason == "主任会议决定"


def test_results_page_print_and_xlsx(client, running, staff):
    campaign, round_, cases, voter = running
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[cases[0].pk, cases[1].pk])
    with f.travel("2023-10-14 10:00"):
        services.close_round(actor=staff, round_id=round_.pk)
        services.decide_round(actor=staff, round_id=round_.pk)
    client.force_login(staff)
    assert client.get(reverse("cases:results", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("cases:results_print", args=[campaign.pk])).status_code == 200
    response = client.get(reverse("cases:results_xlsx", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[2][:3] == (1, "是", "A") or rows[2][:3] == (1, "yes", "A")
    assert rows[2][-1] == 1  # one vote in the ballot


def test_the_campaign_page_lists_cases_in_a_fixed_number_of_queries(client, running, staff, unit, mandate):
    campaign, _round, _cases, _voter = running
    client.force_login(staff)
    url = reverse("cases:campaign", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    Submission.objects.bulk_create([
        Submission(campaign=campaign, unit=unit[0], title=f"多{n}", status="submitted") for n in range(30)
    ])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_another_units_officer_cannot_edit_a_case(client, running, congress):
    _campaign, _round, cases, _voter = running
    _other, stranger = f.unit_with_officer(congress, "深圳市人大常委会")
    client.force_login(stranger)
    assert client.get(reverse("cases:submission_edit", args=[cases[0].pk])).status_code == 404

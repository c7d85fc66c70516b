"""Campaign set-up and units' submissions: the window, the quota, completeness, return and rejection."""

from datetime import date

import pytest

from cases import services
from cases.models import CampaignKind, CampaignStatus, SubmissionStatus
from congress.errors import Forbidden, InvalidTransition, RuleViolation
from congress.models import Notification
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db


def test_staff_open_a_campaign_and_the_invited_units_are_told(
    congress, staff, unit, django_capture_on_commit_callbacks
):
    unit_org, officer = unit
    with f.travel("2023-08-20 10:00"), django_capture_on_commit_callbacks(execute=True):
        campaign = f.campaign(staff, congress, [unit_org], quota=3)
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.units.get().quota == 3
    assert Notification.objects.filter(recipient=officer, key=f"cases:announced:{campaign.pk}").exists()


def test_a_unit_of_another_region_cannot_be_invited(congress, staff):
    outsider = core.OrganisationFactory(region=core.province("62", "甘肃省"))
    with pytest.raises(RuleViolation) as refused:
        f.campaign(staff, congress, [outsider])
    assert "units" in refused.value.fields


def test_an_officer_of_an_uninvited_unit_cannot_write_a_case(congress, staff, unit):
    unit_org, _officer = unit
    _other, stranger = f.unit_with_officer(congress, "深圳市人大常委会")
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        with pytest.raises(Forbidden):
            f.submission(stranger, campaign, title="案例", level="county")


def test_a_case_is_submitted_only_inside_the_window(congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        draft = f.submission(officer, campaign, title="案例", level=mandate.level, mandates=[mandate], submit=False)
    with f.travel("2023-10-01 10:00"), pytest.raises(RuleViolation, match="2023-09-30"):
        services.submit(actor=officer, submission_id=draft.pk)


def test_the_last_day_of_the_window_still_counts(congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        draft = f.submission(officer, campaign, title="案例", level=mandate.level, mandates=[mandate], submit=False)
    with f.travel("2023-09-30 23:30"):
        assert services.submit(actor=officer, submission_id=draft.pk).status == SubmissionStatus.SUBMITTED


def test_a_unit_submits_no_more_than_its_quota(congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org], quota=2)
        f.submission(officer, campaign, title="一", level=mandate.level, mandates=[mandate])
        f.submission(officer, campaign, title="二", level=mandate.level, mandates=[mandate])
        third = f.submission(officer, campaign, title="三", level=mandate.level, mandates=[mandate], submit=False)
        with pytest.raises(RuleViolation, match="quota"):
            services.submit(actor=officer, submission_id=third.pk)


def test_a_duty_case_names_its_deputies_and_level(congress, staff, unit):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        draft = f.submission(officer, campaign, title="案例", submit=False)
        with pytest.raises(RuleViolation) as refused:
            services.submit(actor=officer, submission_id=draft.pk)
    assert set(refused.value.fields) == {"level", "mandates"}


def test_a_station_case_names_its_station(congress, staff, unit):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org], kind=CampaignKind.STATION)
        draft = f.submission(officer, campaign, title="示范站", submit=False)
        with pytest.raises(RuleViolation) as refused:
            services.submit(actor=officer, submission_id=draft.pk)
    assert set(refused.value.fields) == {"station"}


def test_staff_return_a_case_for_completion_and_the_unit_resubmits(congress, staff, unit, mandate,
                                                                     django_capture_on_commit_callbacks):  # fmt: skip
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        case = f.submission(officer, campaign, title="案例", level=mandate.level, mandates=[mandate])
        with django_capture_on_commit_callbacks(execute=True):
            returned = services.return_submission(actor=staff, submission_id=case.pk, reason="请补充照片")
        assert (returned.status, returned.review_note) == (SubmissionStatus.RETURNED, "请补充照片")
        assert Notification.objects.filter(recipient=officer, title__contains="案例").exists()
        services.save_submission(actor=officer, submission_id=case.pk, fields={"summary": "已补充"})
        assert services.submit(actor=officer, submission_id=case.pk).status == SubmissionStatus.SUBMITTED


def test_a_rejected_case_cannot_be_edited_or_submitted_again(congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        case = f.submission(officer, campaign, title="案例", level=mandate.level, mandates=[mandate])
        services.reject_submission(actor=staff, submission_id=case.pk, reason="不属于本次评选范围")
        with pytest.raises(InvalidTransition):
            services.submit(actor=officer, submission_id=case.pk)
        with pytest.raises(InvalidTransition):
            services.save_submission(actor=officer, submission_id=case.pk, fields={"title": "改"})


def test_returning_needs_a_reason(congress, staff, unit, mandate):
    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        case = f.submission(officer, campaign, title="案例", level=mandate.level, mandates=[mandate])
        with pytest.raises(RuleViolation):
            services.return_submission(actor=staff, submission_id=case.pk, reason="  ")


def test_only_submitted_cases_enter_the_first_round(congress, staff, unit, mandate):
    from cases.models import RoundKind

    unit_org, officer = unit
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        kept = f.submission(officer, campaign, title="入选", level=mandate.level, mandates=[mandate])
        f.submission(officer, campaign, title="草稿", level=mandate.level, mandates=[mandate], submit=False)
        rejected = f.submission(officer, campaign, title="退回", level=mandate.level, mandates=[mandate])
        services.reject_submission(actor=staff, submission_id=rejected.pk, reason="材料不实")
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        council = f.round_(staff, campaign, RoundKind.APPROVAL)
        services.open_round(actor=staff, round_id=council.pk)
    assert list(council.entries.values_list("submission_id", flat=True)) == [kept.pk]


def test_the_campaign_window_must_be_ordered(congress, staff, unit):
    with pytest.raises(RuleViolation) as refused:
        f.campaign(staff, congress, [unit[0]], opens=date(2023, 9, 30), closes=date(2023, 9, 1))
    assert "submissions_close" in refused.value.fields

"""The report's findings and what becomes of each: a suggestion draft in the name of a participating deputy the
staff choose, the other participants (present at a sitting) invited to co-sign, or a referral to a handling unit
with a deadline in working days. A finding is taken up once."""

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities import services
from activities.models import Finding, FindingOutcome
from congress import deadlines
from congress import services as congress_services
from congress.errors import Forbidden, RuleViolation
from congress.models import CalendarDay, Deadline
from suggestions import services as suggestion_services
from suggestions.models import Suggestion
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as suggestion_factories

from . import factories as f

pytestmark = pytest.mark.django_db

FINDINGS = ["农村饮水工程管护责任不落实", "部分乡镇卫生院缺少全科医生"]


@pytest.fixture
def reported(staff, congress, may, mandate, other, third):
    """An activity for three places: `mandate` and `other` present at its sitting, `third` absent without leave;
    its report submitted with two findings."""
    activity = f.activity(staff, congress, capacity=3)
    invitations = [f.invite_and_accept(staff, activity, m) for m in (mandate, other, third)]
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=activity.sittings.get().pk, marks={
            invitations[0].pk: "present", invitations[1].pk: "present", invitations[2].pk: "absent"})  # fmt: skip
        services.start(actor=staff, activity_id=activity.pk)
        services.submit_report(actor=staff, activity_id=activity.pk, report="调研报告正文", findings=FINDINGS)
    activity.refresh_from_db()
    return activity


def finding(activity, number=1) -> Finding:
    return activity.findings.get(number=number)


def test_the_report_is_submitted_with_its_findings_numbered_in_order(reported):
    assert reported.status == "reported"
    assert list(reported.findings.values_list("number", "text")) == [(1, FINDINGS[0]), (2, FINDINGS[1])]


def test_a_finding_becomes_a_draft_of_the_lead_with_the_other_participant_co_signing(staff, reported, mandate,
                                                                                    other):  # fmt: skip
    outcome = services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    suggestion = Suggestion.objects.get()
    assert (suggestion.status, suggestion.lead, suggestion.content) == ("draft", mandate, FINDINGS[0])
    assert list(suggestion.cosigners.values_list("mandate_id", flat=True)) == [other.pk]
    assert FindingOutcome.objects.get(suggestion=suggestion) == outcome
    assert outcome.finding == finding(reported)


def test_a_deputy_who_did_not_attend_is_not_a_co_signer(staff, reported, mandate, third):
    services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    assert not Suggestion.objects.get().cosigners.filter(mandate=third).exists()


def test_a_deputy_who_did_not_attend_cannot_lead_the_draft(staff, reported, third):
    with pytest.raises(RuleViolation) as refused:
        services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=third.pk)
    assert "lead" in refused.value.fields
    assert not Suggestion.objects.exists()


def test_a_finding_cannot_be_turned_into_a_draft_twice(staff, reported, mandate, other):
    services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    with pytest.raises(RuleViolation, match="a finding is taken up once"):
        services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=other.pk)
    assert Suggestion.objects.count() == 1


def test_a_finding_turned_into_a_draft_cannot_also_be_referred(staff, reported, mandate, congress):
    unit = core.OrganisationFactory(region=congress.region)
    services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    with pytest.raises(RuleViolation, match="has already become the suggestion draft"):
        services.finding_to_unit(actor=staff, finding_id=finding(reported).pk, unit_id=unit.pk, workdays=10)
    assert FindingOutcome.objects.count() == 1


def test_the_database_refuses_a_second_outcome_of_a_finding(staff, reported, mandate, congress):
    services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    unit = core.OrganisationFactory(region=congress.region)
    with pytest.raises(IntegrityError), transaction.atomic():
        FindingOutcome.objects.create(finding=finding(reported), kind="referral", unit=unit,
                                      referred_on=date(2026, 7, 1), due_on=date(2026, 7, 8), workdays=5)  # fmt: skip


def test_staff_of_another_congress_are_refused_on_this_activitys_finding(client, reported, mandate):
    elsewhere = core.CongressFactory(region=core.province("63", "青海省"))
    current_term(elsewhere)
    client.force_login(core.staff_of(elsewhere))
    response = client.post(reverse("activities:finding_draft", args=[finding(reported).pk]),
                           {f"f{finding(reported).pk}-lead": mandate.pk})  # fmt: skip
    assert response.status_code == 404
    assert not FindingOutcome.objects.exists()
    assert not Suggestion.objects.exists()


def test_staff_of_another_congress_are_refused_by_the_service(reported, mandate):
    elsewhere = core.CongressFactory(region=core.province("63", "青海省"))
    with pytest.raises(Forbidden):
        services.finding_to_draft(actor=core.staff_of(elsewhere), finding_id=finding(reported).pk, lead_id=mandate.pk)
    assert not FindingOutcome.objects.exists()


def test_a_referral_is_due_the_given_working_days_later_skipping_a_holiday(staff, reported, congress):
    """Referred on Wednesday 2026-07-08 for 5 working days, with Friday 2026-07-10 a holiday: the days counted
    are Thu 9, Mon 13, Tue 14, Wed 15, Thu 16 (the day of referral not counted, the weekend and the holiday
    skipped), so the answer is due 2026-07-16."""
    admin = core.UserFactory(is_superuser=True, is_staff=True)
    congress_services.save_calendar_day(actor=admin, day=CalendarDay(date=date(2026, 7, 10), is_workday=False,
                                                                      name="测试假日"))  # fmt: skip
    unit = core.OrganisationFactory(region=congress.region, name="省水利厅")
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        outcome = services.finding_to_unit(actor=staff, finding_id=finding(reported).pk, unit_id=unit.pk, workdays=5)
    assert (outcome.referred_on, outcome.due_on, outcome.unit) == (date(2026, 7, 8), date(2026, 7, 16), unit)
    deadline = Deadline.objects.get(kind="activity_finding")
    assert (deadline.due_date, deadline.responsible_org) == (date(2026, 7, 16), unit)
    assert deadlines.subject_label(deadline) == "乡村振兴专题视察, finding 1"


def test_a_unit_outside_the_congresss_region_is_refused(staff, reported):
    far = core.OrganisationFactory(region=core.province("63", "青海省"))
    with pytest.raises(RuleViolation) as refused:
        services.finding_to_unit(actor=staff, finding_id=finding(reported).pk, unit_id=far.pk, workdays=5)
    assert "unit" in refused.value.fields


def test_the_units_answer_meets_the_referrals_deadline(staff, reported, congress):
    unit = core.OrganisationFactory(region=congress.region)
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        services.finding_to_unit(actor=staff, finding_id=finding(reported).pk, unit_id=unit.pk, workdays=5)
        outcome = services.record_referral_answer(actor=staff, finding_id=finding(reported).pk, answer="已整改")
    assert outcome.answered
    assert Deadline.objects.get(kind="activity_finding").met_at is not None


def test_the_activity_page_shows_what_became_of_each_finding(client, staff, reported, mandate, congress):
    unit = core.OrganisationFactory(region=congress.region, name="省卫生健康委")
    services.finding_to_draft(actor=staff, finding_id=finding(reported, 1).pk, lead_id=mandate.pk)
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        services.finding_to_unit(actor=staff, finding_id=finding(reported, 2).pk, unit_id=unit.pk, workdays=1)
    suggestion = Suggestion.objects.get()
    with time_machine.travel("2026-08-03 10:00 +0800", tick=False):
        client.force_login(staff)
        page = client.get(reverse("activities:activity", args=[reported.pk])).content.decode()
    # The draft is the deputies' own until submitted: its title and state, not a link, for staff.
    assert suggestion.title in page
    assert "草稿" in page
    assert reverse("suggestions:detail", args=[suggestion.pk]) not in page
    # The console speaks Chinese: referred, with its due date (1 working day after Wed 2026-07-08), and overdue.
    assert "已转交省卫生健康委，须于2026-07-09前答复" in page
    assert "已逾期" in page


def test_staff_refer_a_finding_on_the_page(client, staff, reported, congress):
    unit = core.OrganisationFactory(region=congress.region, name="省水利厅")
    number = finding(reported).pk
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        client.force_login(staff)
        client.post(reverse("activities:finding_refer", args=[number]),
                    {f"r{number}-unit": unit.pk, f"r{number}-workdays": 3})  # fmt: skip
    outcome = FindingOutcome.objects.get()
    assert (outcome.kind, outcome.unit, outcome.workdays) == ("referral", unit, 3)


def test_once_accepted_the_suggestion_is_linked_with_its_number(client, staff, reported, mandate, congress):
    outcome = services.finding_to_draft(actor=staff, finding_id=finding(reported).pk, lead_id=mandate.pk)
    deputy = mandate.person.user
    fields = {"category": suggestion_factories.CategoryFactory(congress=congress),
              "content": suggestion_factories.CONTENT}  # fmt: skip
    suggestion_services.save_draft(actor=deputy, suggestion_id=outcome.suggestion_id, fields=fields)
    suggestion_services.submit(actor=deputy, suggestion_id=outcome.suggestion_id)
    suggestion = suggestion_services.accept(actor=staff, suggestion_id=outcome.suggestion_id)
    client.force_login(staff)
    page = client.get(reverse("activities:activity", args=[reported.pk])).content.decode()
    assert suggestion.number_label
    assert f'<a href="{reverse("suggestions:detail", args=[suggestion.pk])}">{suggestion.number_label} ' in page

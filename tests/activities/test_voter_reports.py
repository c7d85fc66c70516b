"""Reports to voters (代表向选民述职): at a report-to-voters activity staff record each deputy's report and the
voters' appraisal as counted (满意 / 基本满意 / 不满意); the coverage page counts the term's sitting deputies
against the policy (1 report a term by default), and in the term's last year (365 days by default) those who have
not reported are reminded once a month."""

from datetime import date

import pytest
import time_machine
from auditlog.models import LogEntry
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities import services
from activities.models import ActivityKind, VoterReport
from congress.errors import Forbidden, RuleViolation
from congress.models import Notification, PolicyValue
from deputies.models import EndReason, MandateStatus
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(staff, congress, may, mandate, other):
    """A report-to-voters meeting in June 2026 (term 14: 2023-01-12 to 2028-01-11) where `mandate` and `other`
    accepted to report; it is under way."""
    activity = f.activity(staff, congress, title="向选民述职会", kind=ActivityKind.objects.get(pk="report_to_voters"),
                          capacity=5)  # fmt: skip
    for deputy in (mandate, other):
        f.invite_and_accept(staff, activity, deputy)
    services.start(actor=staff, activity_id=activity.pk)
    return activity


def record(staff, meeting, mandate, **counts):
    values = {"voters": 60, "satisfied": 48, "basically_satisfied": 9, "dissatisfied": 3, **counts}
    return services.record_voter_report(actor=staff, activity_id=meeting.pk, mandate_id=mandate.pk,
                                        text="一年来，我围绕乡村振兴提出建议3件……", **values)  # fmt: skip


def test_a_report_keeps_the_voters_appraisal_and_its_approval(staff, meeting, mandate):
    report = record(staff, meeting, mandate)
    # 48 satisfied + 9 basically satisfied of 60 appraisals = 95.0%
    assert (report.voters, report.satisfied, report.basically_satisfied, report.dissatisfied) == (60, 48, 9, 3)
    assert report.approval == 95.0
    assert LogEntry.objects.filter(additional_data__action="voter_report_recorded").count() == 1


def test_recording_again_corrects_the_same_report(staff, meeting, mandate):
    record(staff, meeting, mandate)
    record(staff, meeting, mandate, satisfied=50, basically_satisfied=8, dissatisfied=2)
    (report,) = VoterReport.objects.all()
    assert (report.satisfied, report.basically_satisfied, report.dissatisfied) == (50, 8, 2)
    assert LogEntry.objects.filter(additional_data__action="voter_report_corrected").count() == 1


def test_more_appraisals_than_voters_are_refused(staff, meeting, mandate):
    with pytest.raises(RuleViolation) as refused:
        record(staff, meeting, mandate, voters=10, satisfied=8, basically_satisfied=2, dissatisfied=1)
    assert "voters" in refused.value.fields
    assert not VoterReport.objects.exists()


def test_the_database_refuses_more_appraisals_than_voters(staff, meeting, mandate):
    record(staff, meeting, mandate)
    with pytest.raises(IntegrityError), transaction.atomic():
        VoterReport.objects.update(dissatisfied=100)


def test_a_deputy_who_did_not_accept_cannot_report(staff, meeting, third):
    with pytest.raises(RuleViolation) as refused:
        record(staff, meeting, third)
    assert "mandate" in refused.value.fields


def test_only_a_report_to_voters_activity_takes_reports(staff, congress, may, mandate):
    inspection = f.activity(staff, congress)
    f.invite_and_accept(staff, inspection, mandate)
    services.start(actor=staff, activity_id=inspection.pk)
    with pytest.raises(RuleViolation):
        record(staff, inspection, mandate)


def test_staff_of_another_congress_cannot_record(meeting, mandate):
    outsider = core.staff_of(core.CongressFactory(region=core.province("44", "广东省")))
    with pytest.raises((Forbidden, RuleViolation)):
        record(outsider, meeting, mandate)
    assert not VoterReport.objects.exists()


def test_a_closed_meeting_takes_no_more_reports(staff, meeting, mandate):
    services.submit_report(actor=staff, activity_id=meeting.pk, report="述职会情况")
    services.close(actor=staff, activity_id=meeting.pk)
    with pytest.raises(RuleViolation):
        record(staff, meeting, mandate)


def test_coverage_counts_the_terms_sitting_deputies_against_the_policy(staff, congress, meeting, mandate, other,
                                                                         third):  # fmt: skip
    ended = f.deputy(congress)
    ended.status, ended.end_date, ended.end_reason = MandateStatus.ENDED, date(2026, 3, 1), EndReason.RESIGNED
    ended.save()
    record(staff, meeting, mandate)
    coverage = services.report_coverage(congress, mandate.term)
    # sitting: mandate, other, third (the ended mandate is not counted); one report each is required
    assert (coverage.required, coverage.deputies, coverage.covered) == (1, 3, 1)
    assert coverage.rate == 33.3
    assert sorted(m.pk for m in coverage.missing) == sorted([other.pk, third.pk])


def test_a_congress_asking_two_reports_a_term_counts_one_as_not_enough(staff, congress, meeting, mandate):
    PolicyValue.objects.create(congress=congress, key="activities.reports_per_term", value=2)
    record(staff, meeting, mandate)
    coverage = services.report_coverage(congress, mandate.term)
    assert coverage.covered == 0 and mandate.pk in [m.pk for m in coverage.missing]


def test_reminders_start_in_the_terms_last_365_days_once_a_month(staff, meeting, mandate, other):
    record(staff, meeting, mandate)
    # The term ends on 2028-01-11: 2027-01-10 is 366 days before, 2027-01-11 is 365.
    assert services.remind_reports_to_voters(today=date(2027, 1, 10)) == 0
    assert services.remind_reports_to_voters(today=date(2027, 1, 11)) >= 1
    reminded = set(Notification.objects.filter(key__startswith="report-to-voters:").values_list("recipient", flat=True))
    assert other.person.user_id in reminded and mandate.person.user_id not in reminded
    assert services.remind_reports_to_voters(today=date(2027, 1, 20)) == 0  # the same month: already told
    assert services.remind_reports_to_voters(today=date(2027, 2, 1)) >= 1


def test_the_coverage_page_shows_the_figures_and_who_has_not_reported(client, staff, meeting, mandate, other):
    record(staff, meeting, mandate)
    client.force_login(staff)
    page = client.get(reverse("activities:report_coverage")).content.decode()
    assert other.person.name in page and f"<td>{mandate.person.name}</td>" not in page


def test_a_deputy_cannot_open_the_coverage_page(client, mandate):
    client.force_login(mandate.person.user)
    assert client.get(reverse("activities:report_coverage")).status_code in (302, 403, 404)


def test_the_meeting_page_lists_the_reports_with_their_appraisal(client, staff, meeting, mandate):
    record(staff, meeting, mandate)
    client.force_login(staff)
    page = client.get(reverse("activities:activity", args=[meeting.pk])).content.decode()
    assert 'id="voter-reports"' in page and "95.0%" in page


def test_the_form_refuses_more_appraisals_than_voters_and_keeps_the_text(client, staff, meeting, mandate):
    client.force_login(staff)
    response = client.post(reverse("activities:voter_report", args=[meeting.pk]), {
        "mandate": mandate.pk, "text": "我的述职报告", "voters": 5, "satisfied": 5, "basically_satisfied": 1,
        "dissatisfied": 0})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "我的述职报告" in page
    assert "测评票数多于到会选民人数。" in page
    assert not VoterReport.objects.exists()


def test_staff_of_another_congress_cannot_post_a_report(client, meeting, mandate):
    outsider = core.staff_of(core.CongressFactory(region=core.province("44", "广东省")))
    client.force_login(outsider)
    response = client.post(reverse("activities:voter_report", args=[meeting.pk]), {
        "mandate": mandate.pk, "text": "冒充", "voters": 5, "satisfied": 5, "basically_satisfied": 0,
        "dissatisfied": 0})  # fmt: skip
    assert response.status_code in (403, 404)
    assert not VoterReport.objects.exists()


def test_a_deputy_sees_their_own_report_on_the_meeting_page(client, staff, meeting, mandate):
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        record(staff, meeting, mandate)
    client.force_login(mandate.person.user)
    page = client.get(reverse("activities:activity", args=[meeting.pk])).content.decode()
    assert "一年来，我围绕乡村振兴提出建议3件" in page

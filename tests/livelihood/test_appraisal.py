"""The year-end appraisal: each deputy of the congress rates each chosen project once during the window; closing it
counts the ratings and sends a project with more than the policy's share 不满意 back to its department with a
correction deadline; the department reports, staff close."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from congress.errors import Conflict, Forbidden, InvalidTransition, RuleViolation
from congress.models import Deadline, PolicyValue
from livelihood import appraisal, corrections
from livelihood.models import Appraisal, AppraisalStatus, Rating, Verdict

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core
DAY = f.APPRAISE_FROM


@pytest.fixture
def appraising(staff, congress):
    return f.appraising(staff, congress)


def rate(mandate, prog, verdicts, today=DAY):
    return appraisal.rate(actor=mandate.person.user, programme_id=prog.pk, today=today,
                          verdicts={c.pk: v for c, v in verdicts.items()})  # fmt: skip


def test_a_deputy_rates_each_chosen_project(appraising):
    prog, c, voters = appraising
    rate(voters[0], prog, {c[0]: Verdict.SATISFIED, c[1]: Verdict.DISSATISFIED})
    assert Rating.objects.filter(mandate=voters[0]).count() == 2


def test_a_deputy_rating_twice_is_refused(appraising):
    prog, c, voters = appraising
    rate(voters[0], prog, {c[0]: Verdict.SATISFIED})
    with pytest.raises(Conflict):
        rate(voters[0], prog, {c[0]: Verdict.DISSATISFIED})
    assert Rating.objects.get(mandate=voters[0]).verdict == Verdict.SATISFIED


def test_the_database_holds_one_rating_per_deputy_and_project(appraising):
    _prog, c, voters = appraising
    Rating.objects.create(candidate=c[0], mandate=voters[0], verdict=Verdict.SATISFIED)
    with pytest.raises(IntegrityError):
        Rating.objects.create(candidate=c[0], mandate=voters[0], verdict=Verdict.DISSATISFIED)


def test_a_deputy_of_another_congress_is_refused(appraising):
    prog, c, _voters = appraising
    (stranger,) = f.deputies(core.CongressFactory(region=core.county("440105", "海珠区")), 1)
    with pytest.raises(Forbidden):
        rate(stranger, prog, {c[0]: Verdict.SATISFIED})


def test_only_chosen_projects_are_rated(appraising):
    prog, c, voters = appraising
    assert c[3].outcome == "not_chosen"
    with pytest.raises(RuleViolation):
        rate(voters[0], prog, {c[3]: Verdict.SATISFIED})


def test_no_rating_outside_the_window(appraising):
    prog, c, voters = appraising
    with pytest.raises(RuleViolation):
        rate(voters[0], prog, {c[0]: Verdict.SATISFIED}, today=f.APPRAISE_UNTIL.replace(year=2027, month=1, day=1))


def test_no_rating_before_the_appraisal_opens(staff, congress):
    prog, c, voters = f.published(staff, congress)
    with pytest.raises(InvalidTransition):
        rate(voters[0], prog, {c[0]: Verdict.SATISFIED})


@pytest.mark.parametrize(("dissatisfied", "fails"), [(30, False), (31, True)])
def test_the_threshold_comes_from_the_policy(dissatisfied, fails):
    # 60 ratings at the default 50 %: 30 不满意 is exactly half, not more than half; 31 is.
    assert appraisal.fails(dissatisfied, 60, 50) is fails


def test_closing_sends_an_unsatisfactory_project_back_with_a_deadline(appraising, staff, congress):
    prog, c, voters = appraising
    # 4 ratings of project 1: 3 不满意 (75 %); project 2: 2 of 4 (50 %, not more than half).
    for mandate, (v1, v2) in zip(voters, [("dissatisfied", "dissatisfied"), ("dissatisfied", "dissatisfied"),
                                          ("dissatisfied", "satisfied"), ("satisfied", "basically_satisfied")],
                                 strict=True):  # fmt: skip
        rate(mandate, prog, {c[0]: v1, c[1]: v2})
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    first, second, third = (Appraisal.objects.get(candidate=x) for x in c[:3])
    assert (first.satisfied, first.basically_satisfied, first.dissatisfied) == (1, 0, 3)
    assert first.status == AppraisalStatus.CORRECTING and first.correct_by
    assert second.status == AppraisalStatus.PASSED and second.correct_by is None
    assert third.status == AppraisalStatus.PASSED  # nobody rated it
    deadline = Deadline.objects.get(kind=appraisal.CORRECTION_DEADLINE)
    assert deadline.responsible_org_id == c[0].department_id and deadline.due_date == first.correct_by
    assert deadline.period_value == 60


def test_the_policy_of_the_congress_moves_the_threshold(appraising, staff, congress):
    prog, c, voters = appraising
    PolicyValue.objects.create(congress=congress, key="livelihood.unsatisfied_percent", value=40)
    for mandate, verdict in zip(voters, ["dissatisfied", "dissatisfied", "satisfied", "satisfied"], strict=True):
        rate(mandate, prog, {c[0]: verdict})
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    assert Appraisal.objects.get(candidate=c[0]).status == AppraisalStatus.CORRECTING  # 50 % > 40 %


@pytest.fixture
def correcting(appraising, staff):
    prog, c, voters = appraising
    for mandate in voters:
        rate(mandate, prog, {c[0]: Verdict.DISSATISFIED})
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=DAY)
    return Appraisal.objects.get(candidate=c[0]), c


def test_the_department_reports_and_staff_close(correcting, staff):
    found, c = correcting
    officer = core.officer_of(c[0].department)
    appraisal.report_correction(actor=officer, appraisal_id=found.pk, report="已增设路灯并修复路面")
    found.refresh_from_db()
    assert found.status == AppraisalStatus.REPORTED and found.reported_by == officer
    assert not Deadline.objects.open().filter(kind=appraisal.CORRECTION_DEADLINE).exists()
    appraisal.close_correction(actor=staff, appraisal_id=found.pk, note="经核查已整改")
    found.refresh_from_db()
    assert found.status == AppraisalStatus.CLOSED and found.closed_by == staff


def test_a_department_of_another_unit_cannot_report(correcting, congress):
    found, _c = correcting
    other = f.department(congress, name="区交通运输局")
    with pytest.raises(Forbidden):
        appraisal.report_correction(actor=core.officer_of(other), appraisal_id=found.pk, report="已整改")


def test_staff_close_only_a_reported_correction(correcting, staff):
    found, _c = correcting
    with pytest.raises(Conflict):
        appraisal.close_correction(actor=staff, appraisal_id=found.pk)


def test_corrections_remain_possible_during_the_appraisal(appraising, staff):
    _prog, c, _voters = appraising
    corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=1, outcome="not_chosen", reason="复核")


def test_the_counts_are_published_once_closed(correcting, client):
    found, c = correcting
    page = client.get(reverse("livelihood:results", args=[c[0].programme_id])).content.decode()
    assert "满意0，基本满意0，不满意4" in page
    assert found.dissatisfied == 4


def test_the_deputy_home_page_leads_to_the_rating(appraising, client):
    prog, _c, voters = appraising
    client.force_login(voters[0].person.user)
    page = client.get(reverse("home")).content.decode()
    assert reverse("livelihood:rate", args=[prog.pk]) in page


def test_the_department_home_page_leads_to_its_corrections(correcting, client):
    _found, c = correcting
    client.force_login(core.officer_of(c[0].department))
    page = client.get(reverse("home")).content.decode()
    assert reverse("livelihood:corrections_due") in page

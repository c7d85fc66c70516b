"""N+1 guard: every API list and every console list makes as many queries for a page of 50 rows as for a
page of 1. A new endpoint or admin is covered automatically; the demo data gives each list rows to show."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.routers import SimpleRouter

from activities.api.urls import router as activities_router
from cases.api.urls import router as cases_router
from congress.api.urls import router as core_router
from deputies.api.urls import router as deputies_router
from liaison_stations.api.urls import router as stations_router
from livelihood.api.urls import router as livelihood_router
from suggestions.api.urls import router as suggestions_router
from tests import factories
from training.api.urls import router as training_router

pytestmark = pytest.mark.django_db

ROUTERS: list[SimpleRouter] = [
    core_router, deputies_router, stations_router, suggestions_router, training_router, activities_router,
    cases_router, livelihood_router,
]  # fmt: skip
# Lists that staff sessions do not read here: the integration clients' own webhooks and their feed of changes
# (their query counts are checked in tests/congress with a client), and the fixed list of event names.
CLIENT_ONLY = {"webhooks", "webhook-deliveries", "webhook-events", "changes"}
LIST_URLS = [
    f"/api/v1/{prefix}/" for router in ROUTERS for prefix, _, _ in router.registry if prefix not in CLIENT_ONLY
]


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    from congress.models import Role, RoleMembership
    from deputies import services
    from deputies.models import ContactAssignment, GuestInvitation, Mandate

    staff = factories.UserFactory(is_superuser=True, is_staff=True)
    mandates = list(Mandate.objects.all()[:60])
    # Contact pairs go to a member of each deputy's congress (a supervisor there).
    for congress_id in {m.congress_id for m in mandates}:
        RoleMembership.objects.get_or_create(user=staff, role=Role.SUPERVISOR, congress_id=congress_id)
    services.assign_contacts(actor=staff, member=staff, mandates=mandates)
    for pair in ContactAssignment.objects.all():
        services.record_contact(actor=staff, assignment_id=pair.pk, on=pair.mandate.start_date, mode="visit",
                                topic="调研")  # fmt: skip
        services.record_duty(mandate=pair.mandate, kind_code="inspection", on=pair.mandate.start_date, title="视察")
        GuestInvitation.objects.create(mandate=pair.mandate, meeting="常委会会议", meeting_date=pair.mandate.start_date)
    _report_to_voters_with_findings(staff, mandates)
    _livelihood_ties()
    return staff


def _livelihood_ties():
    """Two counties' programmes counted with a tie decided on record (the demo's programme is still collecting),
    then published and carried out: a milestone, a progress report, a supervision group and its visit each, and the
    appraisal closed."""
    from livelihood import services as livelihood
    from tests.livelihood import factories as lv

    for code, name in (("449901", "甲区"), ("449902", "乙区")):
        congress = factories.CongressFactory(region=factories.county(code, name))
        staff = factories.staff_of(congress)
        prog, candidates = lv.with_candidates(staff, congress, n_candidates=4, projects=3)
        voters = lv.deputies(congress, 3)
        livelihood.open_vote(actor=staff, programme_id=prog.pk, present=3)
        for voter, picks in zip(voters, [[0, 1, 2], [0, 1, 3], [0, 2, 3]], strict=True):
            livelihood.cast_vote(actor=voter.person.user, programme_id=prog.pk,
                                 candidate_ids=[candidates[i].pk for i in picks])  # fmt: skip
        livelihood.close_vote(actor=staff, programme_id=prog.pk)
        livelihood.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[candidates[1].pk, candidates[2].pk],
                             reason="主任会议决定")  # fmt: skip
        livelihood.publish(actor=staff, programme_id=prog.pk)
        _livelihood_carried(staff, prog, voters)


def _livelihood_carried(staff, prog, voters):
    from django.utils import timezone

    from livelihood import appraisal, carrying
    from tests.livelihood import factories as lv

    today = timezone.localdate()
    project = prog.candidates.filter(outcome="chosen").order_by("number").first()
    lv.milestone(staff, project)
    year, quarter = carrying.quarter_of(today)
    carrying.file_progress_report(actor=factories.officer_of(project.department), project_id=project.pk, year=year,
                                  quarter=quarter, text="完成主体施工", spent=10, today=today)  # fmt: skip
    lv.supervision_group(staff, project, voters[:1])
    carrying.record_site_visit(actor=voters[0].person.user, project_id=project.pk, visited_on=today, place="现场",
                               seen="已开工", today=today)  # fmt: skip
    appraisal.open_appraisal(actor=staff, programme_id=prog.pk, appraise_from=today, appraise_until=today)
    appraisal.rate(actor=voters[0].person.user, programme_id=prog.pk, verdicts={project.pk: "satisfied"}, today=today)
    appraisal.close_appraisal(actor=staff, programme_id=prog.pk, today=today)


def _report_to_voters_with_findings(staff, mandates):
    """Two deputies' reports to voters and a report with two findings, for those lists (the demo has neither)."""
    from datetime import timedelta

    from django.utils import timezone

    from activities import services as activities
    from activities.models import Activity, ActivityKind, Sitting

    congress_id = mandates[0].congress_id
    two = [m for m in mandates if m.congress_id == congress_id][:2]
    today, now = timezone.localdate(), timezone.now()
    meeting = activities.save_activity(actor=staff, activity=Activity(
        congress_id=congress_id, kind=ActivityKind.objects.get(pk="report_to_voters"), title="代表向选民述职会",
        starts_on=today, ends_on=today, capacity=5))  # fmt: skip
    activities.save_sitting(actor=staff, sitting=Sitting(activity=meeting, starts_at=now + timedelta(hours=1),
                                                         ends_at=now + timedelta(hours=3)))  # fmt: skip
    activities.send_invitations(actor=staff, activity_id=meeting.pk)
    for invitation in activities.invite(actor=staff, activity_id=meeting.pk, mandate_ids=[m.pk for m in two]).invited:
        activities.accept(actor=staff, invitation_id=invitation.pk)
    activities.start(actor=staff, activity_id=meeting.pk)
    for mandate in two:
        activities.record_voter_report(actor=staff, activity_id=meeting.pk, mandate_id=mandate.pk, text="述职报告",
                                       voters=40, satisfied=30, basically_satisfied=8)  # fmt: skip
    activities.submit_report(actor=staff, activity_id=meeting.pk, report="述职会情况报告",
                             findings=["选民反映社区停车难", "选民建议增设托育机构"])  # fmt: skip


def count(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response


def _subject_models(response) -> int:
    rows = response.context["cl"].result_list
    return len({row.content_type_id for row in rows}) if rows.model._meta.label == "congress.Deadline" else 0


def test_api_list_queries_do_not_grow_with_page_size(api_client, demo):
    api_client.force_authenticate(demo)
    problems = []
    for url in LIST_URLS:
        one, response = count(api_client, f"{url}?page_size=1")
        if response.json()["count"] < 2:
            problems.append(f"{url}: give the demo data at least two rows to list")
            continue
        fifty, _ = count(api_client, f"{url}?page_size=50")
        if fifty != one:
            problems.append(f"{url}: {one} queries for 1 row, {fifty} for 50")
    assert problems == []


def test_console_list_queries_do_not_grow_with_page_size(client, demo):
    client.force_login(demo)
    problems = []
    for model, model_admin in admin.site._registry.items():
        if model._default_manager.count() < 2:
            continue  # nothing to compare (e.g. tables the demo leaves empty)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        original = model_admin.list_per_page
        try:
            model_admin.list_per_page = 1
            count(client, url)  # warm the process's caches (content types), which another test may have filled
            one, first = count(client, url)
            model_admin.list_per_page = 50
            fifty, page = count(client, url)
        finally:
            model_admin.list_per_page = original
        # A list of generic subjects (deadlines) prefetches them with one query per subject model on the page.
        if fifty - _subject_models(page) != one - _subject_models(first):
            problems.append(f"{model._meta.label}: {one} queries for 1 row, {fifty} for 50")
    assert problems == []

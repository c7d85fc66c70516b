"""The livelihood API of carrying out: milestones, progress reports, supervision groups and site visits read within
the caller's region tree; milestones set and completed and progress filed through the carrying services with their
errors on the fields; the progress webhook and the changes feed."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from congress import services as core_services
from congress.models import Tombstone, WebhookDelivery, WebhookEndpoint
from livelihood import carrying
from livelihood.models import Milestone, ProgressReport
from tests.activities.factories import token

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core
URL = "/api/v1/livelihood/"
RESOURCES = ("milestones", "progress-reports", "supervision-groups", "site-visits")
# Monday 2 March 2026, a working week with no holiday: 20 working days later is Monday 30 March.
MONDAY = "2026-03-02 10:00 +0800"
# Within the second quarter of 2026, whose report is open from 1 April.
MAY = "2026-05-20 10:00 +0800"


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def theirs(db):
    """Another county's carried project with a milestone, a report, a supervision group and a site visit."""
    other = f.core.CongressFactory(region=f.core.county("440104", "越秀区"))
    other_staff = f.core.staff_of(other)
    _prog, (their_project, _), _not = f.carried(other_staff, other, projects=2)
    members = f.deputies(other, 1)
    f.supervision_group(other_staff, their_project, members)
    with time_machine.travel(MAY, tick=False):
        milestone = f.milestone(other_staff, their_project)
        report = file(core.officer_of(their_project.department), their_project)
        visit = carrying.record_site_visit(actor=members[0].person.user, project_id=their_project.pk,
                                           visited_on=date(2026, 5, 19), place="越秀公园", seen="已开工")  # fmt: skip
    return other_staff, milestone, report, visit


def _hook(congress, *events):
    client, _token = core_services.create_api_client(actor=None, name="省平台", congress=congress,
                                                     scopes=["livelihood:read"], owner=core.UserFactory())  # fmt: skip
    WebhookEndpoint.objects.create(client=client, url="https://example.cn/hook", events=list(events), secret="s" * 32)


def file(officer, project, **values):
    fields = {"year": 2026, "quarter": 2, "text": "完成主体施工", "spent": "35.5", **values}
    return carrying.file_progress_report(actor=officer, project_id=project.pk, **fields)


# Scopes and regions


def test_a_client_without_the_livelihood_scope_gets_403(api_client, congress, carried):
    client = token(api_client, congress, "activities:read")
    for resource in RESOURCES:
        assert client.get(f"{URL}{resource}/").status_code == 403, resource


def test_a_client_with_read_scope_cannot_set_a_milestone(api_client, congress, project):
    client = token(api_client, congress, "livelihood:read")
    response = client.post(f"{URL}candidates/{project.pk}/set-milestone/", {"title": "招标", "workdays": 20},
                           format="json")  # fmt: skip
    assert response.status_code == 403
    assert not Milestone.objects.exists()


def test_a_client_reads_nothing_of_another_county(api_client, congress, carried, theirs):
    client = token(api_client, congress, "livelihood:read")
    for resource in RESOURCES:
        assert ids(client.get(f"{URL}{resource}/")) == [], resource


def test_another_county_records_are_404(api_client, congress, carried, theirs):
    _other_staff, milestone, report, visit = theirs
    client = token(api_client, congress, "livelihood:read", "livelihood:write")
    assert client.get(f"{URL}milestones/{milestone.pk}/").status_code == 404
    assert client.get(f"{URL}progress-reports/{report.pk}/").status_code == 404
    assert client.get(f"{URL}site-visits/{visit.pk}/").status_code == 404
    response = client.post(f"{URL}milestones/{milestone.pk}/complete/", {"note": "已完成"}, format="json")
    assert response.status_code == 404


def test_staff_of_another_county_see_nothing_of_the_project(as_user, staff, project, theirs):
    f.milestone(staff, project)
    other_staff = theirs[0]
    assert ids(as_user(other_staff).get(f"{URL}milestones/")) == [theirs[1].pk]


def test_the_department_reads_the_milestones_of_its_project(as_user, staff, project, officer):
    milestone = f.milestone(staff, project)
    assert ids(as_user(officer).get(f"{URL}milestones/")) == [milestone.pk]


# Milestones


def test_staff_set_a_milestone_due_in_working_days(as_user, staff, project):
    with time_machine.travel(MONDAY, tick=False):
        response = as_user(staff).post(f"{URL}candidates/{project.pk}/set-milestone/",
                                       {"title": "完成施工招标", "workdays": 20}, format="json")  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["project"], body["title"], body["due_on"], body["state"]) == (
        project.pk, "完成施工招标", "2026-03-30", "open")  # fmt: skip
    assert Milestone.objects.get().due_on == date(2026, 3, 30)


def test_a_milestone_with_both_workdays_and_a_date_is_refused_on_the_field(as_user, staff, project):
    with time_machine.travel(MONDAY, tick=False):
        body = {"title": "招标", "workdays": 5, "due_on": "2026-04-01"}
        response = as_user(staff).post(f"{URL}candidates/{project.pk}/set-milestone/", body, format="json")
    assert response.status_code == 400
    assert "workdays" in response.json()["error"]["fields"]
    assert not Milestone.objects.exists()


def test_a_milestone_of_a_project_not_chosen_is_refused(as_user, staff, carried):
    not_chosen = carried[2][0]
    response = as_user(staff).post(f"{URL}candidates/{not_chosen.pk}/set-milestone/",
                                   {"title": "招标", "workdays": 5}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert not Milestone.objects.exists()


def test_the_department_completes_a_milestone(as_user, staff, project, officer):
    milestone = f.milestone(staff, project)
    response = as_user(officer).post(f"{URL}milestones/{milestone.pk}/complete/", {"note": "已发布招标公告"},
                                     format="json")  # fmt: skip
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["note"]) == ("done", "已发布招标公告")
    assert Milestone.objects.get().done_by == officer


def test_completing_a_milestone_without_saying_what_was_done_is_refused(as_user, staff, project, officer):
    milestone = f.milestone(staff, project)
    response = as_user(officer).post(f"{URL}milestones/{milestone.pk}/complete/", {"note": "  "}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert Milestone.objects.get().done_at is None


def test_staff_may_not_complete_the_department_milestone(as_user, staff, project):
    milestone = f.milestone(staff, project)
    response = as_user(staff).post(f"{URL}milestones/{milestone.pk}/complete/", {"note": "完成"}, format="json")
    assert response.status_code == 403


def test_the_overdue_filter_finds_the_milestones_past_due_and_not_done(as_user, staff, project, officer):
    with time_machine.travel(MONDAY, tick=False):
        late = f.milestone(staff, project, title="拆迁", workdays=5)  # due Monday 9 March
        done = f.milestone(staff, project, title="设计", workdays=5)
        f.milestone(staff, project, title="竣工", workdays=60)
        carrying.complete_milestone(actor=officer, milestone_id=done.pk, note="设计完成")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        client = as_user(staff)
        assert ids(client.get(f"{URL}milestones/", {"overdue": "true"})) == [late.pk]
        assert client.get(f"{URL}milestones/{late.pk}/").json()["state"] == "overdue"
        assert len(ids(client.get(f"{URL}milestones/", {"overdue": "false"}))) == 2


# Progress reports


def test_the_department_files_a_progress_report(as_user, project, officer):
    body = {"year": 2026, "quarter": 2, "text": "完成主体施工", "spent": "35.5"}
    with time_machine.travel(MAY, tick=False):
        response = as_user(officer).post(f"{URL}candidates/{project.pk}/report-progress/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["quarter"], response.json()["spent"], response.json()["photos"]) == (2, "35.50", 0)
    report = ProgressReport.objects.get()
    assert (report.project_id, report.text) == (project.pk, "完成主体施工")


def test_a_report_for_a_quarter_not_open_is_refused_on_the_quarter(as_user, project, officer):
    body = {"year": 2026, "quarter": 4, "text": "提前报告", "spent": "1"}
    with time_machine.travel(MAY, tick=False):
        response = as_user(officer).post(f"{URL}candidates/{project.pk}/report-progress/", body, format="json")
    assert response.status_code == 400
    assert "quarter" in response.json()["error"]["fields"]
    assert not ProgressReport.objects.exists()


def test_a_negative_spending_is_refused_on_the_field(as_user, project, officer):
    body = {"year": 2026, "quarter": 2, "text": "完成", "spent": "-1"}
    with time_machine.travel(MAY, tick=False):
        response = as_user(officer).post(f"{URL}candidates/{project.pk}/report-progress/", body, format="json")
    assert response.status_code == 400
    assert "spent" in response.json()["error"]["fields"]


def test_staff_may_not_file_the_department_report(as_user, staff, project):
    body = {"year": 2026, "quarter": 2, "text": "完成", "spent": "1"}
    with time_machine.travel(MAY, tick=False):
        response = as_user(staff).post(f"{URL}candidates/{project.pk}/report-progress/", body, format="json")
    assert response.status_code == 403


def test_a_report_counts_its_photos_and_links_none(as_user, staff, project, officer):
    photo = SimpleUploadedFile("site.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    with time_machine.travel(MAY, tick=False):
        report = file(officer, project, photos=[photo])
    response = as_user(staff).get(f"{URL}progress-reports/{report.pk}/")
    assert response.json()["photos"] == 1
    stored = report.photos.get().file.name
    assert stored not in response.content.decode() and "site.png" not in response.content.decode()


# The supervision group and its visits


def test_staff_read_the_supervision_group(as_user, staff, congress, project):
    supervision = f.supervision_group(staff, project, f.deputies(congress, 2))
    [row] = as_user(staff).get(f"{URL}supervision-groups/").json()["results"]
    assert (row["project"], row["committee"], row["group"]) == (project.pk, supervision.committee_id,
                                                               supervision.group_id)  # fmt: skip
    assert row["group_name"] == f"{project.title}监督组"


def test_a_site_visit_names_its_deputy_by_mandate_only(as_user, staff, congress, project):
    members = f.deputies(congress, 1)
    f.supervision_group(staff, project, members)
    with time_machine.travel(MAY, tick=False):
        visit = carrying.record_site_visit(actor=members[0].person.user, project_id=project.pk,
                                           visited_on=date(2026, 5, 19), place="石牌街道", seen="路面已硬化",
                                           opinions="希望增设路灯")  # fmt: skip
    body = as_user(staff).get(f"{URL}site-visits/{visit.pk}/").json()
    assert (body["mandate"], body["place"], body["opinions"]) == (members[0].pk, "石牌街道", "希望增设路灯")
    assert members[0].person.name not in str(body)


# The webhook and the changes feed


def test_a_progress_report_is_announced_and_so_is_its_correction(staff, congress, project, officer):
    _hook(congress, "livelihood.progress_reported")
    with time_machine.travel(MAY, tick=False):
        report = file(officer, project)
        file(officer, project, spent="40")
    first, second = WebhookDelivery.objects.order_by("id")
    assert first.payload["data"] == {
        "report": report.pk, "project": project.pk, "programme": project.programme_id, "year": 2026, "quarter": 2,
        "spent": "35.50", "photos": 0, "corrected": False, "updated_at": first.payload["data"]["updated_at"],
    }  # fmt: skip
    assert (second.payload["data"]["spent"], second.payload["data"]["corrected"]) == ("40.00", True)


def test_another_county_client_is_not_told_of_the_progress(staff, congress, project, officer):
    other = f.core.CongressFactory(region=f.core.county("440104", "越秀区"))
    _hook(other, "livelihood.progress_reported")
    with time_machine.travel(MAY, tick=False):
        file(officer, project)
    assert not WebhookDelivery.objects.exists()


def test_a_deleted_milestone_reaches_the_changes_feed(api_client, staff, congress, project):
    milestone = f.milestone(staff, project)
    pk = milestone.pk
    Milestone.objects.filter(pk=pk).delete()
    assert Tombstone.objects.filter(resource="livelihood/milestones", object_id=pk).exists()
    rows = token(api_client, congress, "livelihood:read").get("/api/v1/changes/").json()["results"]
    assert [(r["resource"], r["object_id"], r["action"]) for r in rows] == [("livelihood/milestones", pk, "deleted")]

"""Carrying out and supervision of the chosen projects: milestones on the working calendar reminded and escalated by
the deadline sweep, the department's quarterly reports, the supervision group and its site visits, the public
progress page; and who may do each, asked from the outside."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from congress import deadlines
from congress import services as congress_services
from congress.errors import Forbidden, RuleViolation
from congress.models import CalendarDay, Deadline, Notification
from livelihood import carrying
from livelihood.models import Milestone, ProgressPhoto, ProgressReport, SiteVisit
from tests import factories as core
from tests.activities import factories as af
from tests.livelihood import factories as f

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def png(name="site.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def congress():
    return f.congress()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def members(congress):
    return f.deputies(congress, 2)


@pytest.fixture
def supervision(staff, project, members):
    return f.supervision_group(staff, project, members)


# Milestones


def test_a_milestone_is_due_the_given_working_days_later_across_a_holiday(staff, project):
    """Set on Monday 2026-03-02 for 20 working days, with Monday to Wednesday 2026-03-09..11 made holidays: the
    days counted are 3-6 March (4), 12-13 (2), 16-20 (5), 23-27 (5) and 30 March to 2 April (4), so it is due
    Thursday 2026-04-02 (without the holidays it would be 2026-03-30)."""
    admin = core.UserFactory(is_superuser=True, is_staff=True)
    for day in (9, 10, 11):
        congress_services.save_calendar_day(actor=admin, day=CalendarDay(date=date(2026, 3, day), is_workday=False,
                                                                          name="测试假日"))  # fmt: skip
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        milestone = f.milestone(staff, project, workdays=20)
    deadline = Deadline.objects.get(kind=carrying.MILESTONE_DEADLINE)
    assert milestone.due_on == deadline.due_date == date(2026, 4, 2)
    assert deadline.responsible_org == project.department
    assert deadlines.subject_label(deadline) == f"{project.title}: 完成施工招标"


def test_a_milestone_due_on_a_rest_day_moves_to_the_next_working_day(staff, project):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        milestone = f.milestone(staff, project, workdays=None, due_on=date(2026, 3, 14))  # a Saturday
    assert milestone.due_on == date(2026, 3, 16)


def test_a_candidate_not_chosen_gets_no_milestones(staff, carried):
    _prog, _chosen, (not_chosen,) = carried
    with pytest.raises(RuleViolation):
        f.milestone(staff, not_chosen)
    assert not Milestone.objects.exists() and not Deadline.objects.filter(kind=carrying.MILESTONE_DEADLINE).exists()


def test_the_department_may_set_a_milestone_but_another_unit_may_not(project, officer, congress):
    f.milestone(officer, project, title="开工")
    other = core.officer_of(f.department(congress, "区教育局"))
    with pytest.raises(Forbidden):
        f.milestone(other, project, title="验收")
    assert list(Milestone.objects.values_list("title", flat=True)) == ["开工"]


def test_the_department_marks_a_milestone_done_and_its_deadline_is_met(staff, project, officer):
    milestone = f.milestone(staff, project)
    carrying.complete_milestone(actor=officer, milestone_id=milestone.pk, note="已完成招标，中标单位已进场")
    milestone.refresh_from_db()
    assert milestone.is_done and milestone.done_by == officer
    assert Deadline.objects.get(kind=carrying.MILESTONE_DEADLINE).met_at is not None
    with pytest.raises(RuleViolation):
        carrying.complete_milestone(actor=officer, milestone_id=milestone.pk, note="再次")


def test_staff_cannot_mark_a_milestone_done(staff, project):
    milestone = f.milestone(staff, project)
    with pytest.raises(Forbidden):
        carrying.complete_milestone(actor=staff, milestone_id=milestone.pk, note="完成")


def test_a_late_milestone_is_reminded_once_and_escalated_even_when_the_sweep_runs_twice(
    staff, project, officer, supervision, members
):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        milestone = f.milestone(staff, project, workdays=5)  # due Monday 2026-03-09
    assert milestone.due_on == date(2026, 3, 9)
    with time_machine.travel("2026-03-10 09:00 +0800", tick=False):
        assert deadlines.sweep() == 1
        assert deadlines.sweep() == 0
    overdue = Notification.objects.filter(title__contains=milestone.title, key__endswith=f":{Deadline.Stage.OVERDUE}")
    told = sorted(overdue.values_list("recipient_id", flat=True))
    leader = members[0].person.user
    # The department's officer, the congress's staff and the supervision group's leader, each once; not the
    # group's plain member.
    assert told == sorted([officer.pk, staff.pk, leader.pk])
    assert not Notification.objects.filter(recipient=members[1].person.user).exists()


# Progress reports


def test_one_report_a_quarter_filed_again_is_corrected(project, officer):
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        carrying.file_progress_report(actor=officer, project_id=project.pk, year=2026, quarter=2, text="完成选址",
                                      spent="120.5", photos=[png()])  # fmt: skip
        report = carrying.file_progress_report(actor=officer, project_id=project.pk, year=2026, quarter=2,
                                               text="完成选址和设计", spent=200, photos=[png("b.png")])  # fmt: skip
    assert ProgressReport.objects.count() == 1
    assert (report.text, report.spent) == ("完成选址和设计", Decimal("200.00"))
    assert ProgressPhoto.objects.filter(report=report).count() == 2


def test_the_database_holds_one_report_per_project_and_quarter(project, officer):
    ProgressReport.objects.create(project=project, year=2026, quarter=2, text="一", spent=1)
    with pytest.raises(IntegrityError):
        ProgressReport.objects.create(project=project, year=2026, quarter=2, text="二", spent=2)


def test_a_quarter_is_reported_until_the_grace_working_days_after_it_end(project, officer):
    """Q1 2026 ends Tuesday 31 March; 10 working days later (the policy's default) is Wednesday 15 April: 1-3, 7-10
    and 13-15 April, Qingming's Monday 6 April being a holiday. Filed on the 15th, refused on the 16th."""
    if not CalendarDay.objects.filter(date=date(2026, 4, 6), is_workday=False).exists():  # the package's, else ours
        admin = core.UserFactory(is_superuser=True, is_staff=True)
        congress_services.save_calendar_day(actor=admin, day=CalendarDay(date=date(2026, 4, 6), is_workday=False,
                                                                          name="清明节"))  # fmt: skip
    args = {"actor": officer, "project_id": project.pk, "year": 2026, "quarter": 1, "text": "完成立项", "spent": 0}
    with time_machine.travel("2026-04-15 17:00 +0800", tick=False):
        carrying.file_progress_report(**args)
    with time_machine.travel("2026-04-16 09:00 +0800", tick=False), pytest.raises(RuleViolation) as refused:
        carrying.file_progress_report(**{**args, "text": "补充"})
    assert "quarter" in refused.value.fields
    assert ProgressReport.objects.get().text == "完成立项"


def test_a_future_quarter_cannot_be_reported(project, officer):
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False), pytest.raises(RuleViolation):
        carrying.file_progress_report(actor=officer, project_id=project.pk, year=2026, quarter=3, text="预计",
                                      spent=0)  # fmt: skip


def test_a_photo_that_is_no_image_is_refused(project, officer):
    fake = SimpleUploadedFile("site.png", b"%PDF-1.4\n", content_type="image/png")
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False), pytest.raises(RuleViolation) as refused:
        carrying.file_progress_report(actor=officer, project_id=project.pk, year=2026, quarter=2, text="施工中",
                                      spent=10, photos=[fake])  # fmt: skip
    assert "photos" in refused.value.fields
    assert not ProgressReport.objects.exists()


def test_an_officer_of_another_unit_is_refused_the_report_form(client, project, congress):
    client.force_login(core.officer_of(f.department(congress, "区教育局")))
    url = reverse("livelihood:progress_report", args=[project.pk])
    assert client.get(url).status_code in (403, 404)
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        response = client.post(url, {"quarter": "2026-2", "text": "冒名报告", "spent": "1"})
    assert response.status_code in (403, 404)
    assert not ProgressReport.objects.exists()


def test_the_department_files_its_report_through_the_form(client, project, officer):
    client.force_login(officer)
    url = reverse("livelihood:progress_report", args=[project.pk])
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        response = client.post(url, {"quarter": "2026-2", "text": "主体完工", "spent": "88", "photos": [png()]})
    assert response.status_code == 302
    assert ProgressReport.objects.get().photos.count() == 1


# The supervision group and its visits


def test_staff_assign_a_committee_and_a_new_working_group(supervision, project, members):
    assert supervision.group.kind == "working" and supervision.group.congress_id == project.programme.congress_id
    assert supervision.committee.kind == "special_committee"
    assert supervision.group.memberships.count() == 2


def test_a_committee_of_another_congress_is_refused(staff, project):
    elsewhere = core.CongressFactory(region=core.county("440104", "越秀区"))
    with pytest.raises(RuleViolation) as refused:
        carrying.assign_supervision(actor=staff, project_id=project.pk, committee_id=f.committee(elsewhere).pk,
                                    group_name="监督组")  # fmt: skip
    assert "committee" in refused.value.fields


def test_a_deputy_of_the_group_records_a_visit_linked_to_an_activity_they_were_invited_to(project, supervision,
                                                                                           members, staff):  # fmt: skip
    from activities import services as activities

    congress = project.programme.congress
    activity = af.activity(staff, congress, title="民生实事项目视察", send=False)
    activities.invite(actor=staff, activity_id=activity.pk, mandate_ids=[members[1].pk])
    unseen = af.activity(staff, congress, title="其他视察", send=False)
    deputy = members[1].person.user
    visit_of = {"actor": deputy, "project_id": project.pk, "visited_on": date(2026, 6, 9), "place": "石牌街道长者饭堂",
                "seen": "主体已封顶", "opinions": "居民希望增加助餐点"}  # fmt: skip
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        with pytest.raises(RuleViolation) as refused:
            carrying.record_site_visit(**visit_of, activity_id=unseen.pk)
        assert "activity" in refused.value.fields
        visit = carrying.record_site_visit(**visit_of, activity_id=activity.pk)
    assert (visit.mandate, visit.activity) == (members[1], activity)


def test_a_visit_cannot_be_in_the_future(project, supervision, members):
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False), pytest.raises(RuleViolation):
        carrying.record_site_visit(actor=members[0].person.user, project_id=project.pk, visited_on=date(2026, 6, 11),
                                   place="现场", seen="未到")  # fmt: skip


def test_a_deputy_not_in_the_group_cannot_record_a_visit(client, project, supervision, congress):
    (outsider,) = f.deputies(congress, 1)
    client.force_login(outsider.person.user)
    url = reverse("livelihood:site_visit", args=[project.pk])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"visited_on": "2026-06-09", "place": "现场", "seen": "看到"})
    assert response.status_code in (403, 404)
    assert not SiteVisit.objects.exists()
    with pytest.raises(Forbidden):
        carrying.record_site_visit(actor=outsider.person.user, project_id=project.pk, visited_on=date(2026, 6, 9),
                                   place="现场", seen="看到")  # fmt: skip


def test_my_supervision_lists_the_deputys_groups(client, project, supervision, members):
    client.force_login(members[1].person.user)
    page = client.get(reverse("livelihood:my_supervision")).content.decode()
    assert project.title in page and supervision.committee.name in page


# Public


def test_the_public_progress_page_shows_progress_and_no_personal_data(client, staff, project, officer,
                                                                       supervision, members):  # fmt: skip
    milestone = f.milestone(staff, project, title="完成主体施工")
    carrying.complete_milestone(actor=officer, milestone_id=milestone.pk, note="经办人张三确认")
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False):
        report = carrying.file_progress_report(actor=officer, project_id=project.pk, year=2026, quarter=2,
                                               text="主体施工完成", spent="350.25", photos=[png()])  # fmt: skip
    with time_machine.travel("2026-06-10 10:00 +0800", tick=False):
        carrying.record_site_visit(actor=members[0].person.user, project_id=project.pk, visited_on=date(2026, 6, 9),
                                   place="长者饭堂", seen="已投入使用", opinions="居民满意")  # fmt: skip
    page = client.get(reverse("livelihood:progress", args=[project.pk])).content.decode()
    for text in ("完成主体施工", "主体施工完成", "350.25", "长者饭堂", "居民满意", supervision.committee.name):
        assert text in page
    for private in ("经办人张三确认", members[0].person.name, officer.username):
        assert private not in page
    photo = report.photos.get()
    assert reverse("livelihood:photo", args=[photo.pk]) in page
    response = client.get(reverse("livelihood:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_project_not_chosen_has_no_public_progress_page(client, carried):
    _prog, _chosen, (not_chosen,) = carried
    assert client.get(reverse("livelihood:progress", args=[not_chosen.pk])).status_code == 404


def test_the_project_page_shows_the_history(client, staff, project, officer):
    milestone = f.milestone(staff, project, title="开工")
    carrying.complete_milestone(actor=officer, milestone_id=milestone.pk, note="已开工")
    client.force_login(staff)
    page = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert "开工" in page and "设定节点" in page and "节点完成" in page  # the history names each action

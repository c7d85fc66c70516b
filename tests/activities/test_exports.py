"""The .xlsx exports of activities, opened as staff would open them: the list under the page's filters (in the
background when long), one activity's roster with attendance per sitting, its findings with what became of each,
and a term's report-to-voters coverage. Phones masked unless the reader may see personal data; another congress's
staff refused; every export in the audit trail."""

import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.models import Activity, ActivityKind, Participant
from congress import exports, personal_data
from congress.models import ConsoleJob
from suggestions.models import Suggestion
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db

SITTINGS = (("2026-06-01 09:00", "2026-06-01 12:00"), ("2026-06-02 09:00", "2026-06-02 12:00"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def phoned(congress):
    return f.deputy(congress, name="林晓东", phone="13912345678")


@pytest.fixture
def held(staff, congress, may, phoned, other, third):
    """Two sittings: 林晓东 present at both; `other` on leave at the first and absent at the second; `third`
    declined. An expert took part; the report has two findings, one a suggestion draft, one referred."""
    activity = f.activity(staff, congress, sittings=SITTINGS, capacity=3)
    first, second = (f.invite_and_accept(staff, activity, m) for m in (phoned, other))
    refusal = services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[third.pk]).invited[0]
    services.decline(actor=third.person.user, invitation_id=refusal.pk, reason="同期出差")
    one, two = activity.sittings.order_by("number")
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=one.pk, marks={first.pk: "present", second.pk: "leave"})
    with time_machine.travel("2026-06-02 10:00 +0800", tick=False):
        services.record_attendance(actor=staff, sitting_id=two.pk, marks={first.pk: "present", second.pk: "absent"})
        services.start(actor=staff, activity_id=activity.pk)
        services.submit_report(actor=staff, activity_id=activity.pk, report="调研报告正文",
                               findings=["农村饮水工程管护责任不落实", "部分乡镇卫生院缺少全科医生"])  # fmt: skip
    services.save_participant(actor=staff, participant=Participant(activity=activity, kind="expert", name="陈志远",
                                                                    affiliation="兰州大学"))  # fmt: skip
    unit = core.OrganisationFactory(region=congress.region, name="省卫生健康委")
    services.finding_to_draft(actor=staff, finding_id=activity.findings.get(number=1).pk, lead_id=phoned.pk)
    with time_machine.travel("2026-07-08 10:00 +0800", tick=False):
        services.finding_to_unit(actor=staff, finding_id=activity.findings.get(number=2).pk, unit_id=unit.pk,
                                 workdays=5)  # fmt: skip
    activity.refresh_from_db()
    return activity


def _book(response):
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _get(client, user, name, *args, **query):
    client.force_login(user)
    return client.get(reverse(f"activities:{name}", args=args), query)


def test_the_roster_lists_each_answer_and_the_attendance_at_each_sitting(client, staff, held, phoned, other, third):
    book = _book(_get(client, staff, "roster_export", held.pk))
    deputies, others = book.worksheets
    rows = _rows(deputies)
    assert rows[1] == ["代表", "人民代表大会", "手机号码", "状态", "答复时间", "谢绝理由", "第1次活动，2026-06-01",
                       "第2次活动，2026-06-02", "出席次数"]  # fmt: skip
    by_name = {row[0]: row for row in rows[2:]}
    assert len(by_name) == 3
    assert by_name["林晓东"][2:4] == ["139****5678", "已接受"]
    assert by_name["林晓东"][6:] == ["出席", "出席", 2]
    assert by_name[other.person.name][6:] == ["请假", "缺席", 0]
    assert by_name[third.person.name][3] == "已谢绝"
    assert by_name[third.person.name][5] == "同期出差"
    assert _rows(others) == [["类型", "名称", "工作单位或专业领域", "备注"], ["专家", "陈志远", "兰州大学", None]]
    entry = LogEntry.objects.get(additional_data__action="export_activity_roster")
    assert (entry.actor, entry.object_pk, entry.additional_data["unmasked"]) == (staff, str(held.pk), False)
    assert not LogEntry.objects.filter(additional_data__action=personal_data.ACTION).exists()


def test_staff_who_may_see_personal_data_get_the_phone_and_it_is_recorded(client, staff, held, phoned):
    staff.user_permissions.add(Permission.objects.get(codename="view_personal_data"))
    rows = _rows(_book(_get(client, staff, "roster_export", held.pk)).worksheets[0])
    assert next(row for row in rows if row[0] == "林晓东")[2] == "13912345678"
    seen = LogEntry.objects.get(additional_data__action=personal_data.ACTION)
    assert phoned.person_id in seen.additional_data["ids"]


def test_a_co_organisers_staff_export_only_their_own_deputies(client, staff, congress, may, partner):
    partner_staff, theirs, ours = core.staff_of(partner), f.deputy(partner), f.deputy(congress)
    joint = f.activity(staff, congress, co_congresses=[partner], capacity=4)
    services.invite(actor=staff, activity_id=joint.pk, mandate_ids=[ours.pk])
    services.invite(actor=partner_staff, activity_id=joint.pk, mandate_ids=[theirs.pk])
    rows = _rows(_book(_get(client, partner_staff, "roster_export", joint.pk)).worksheets[0])
    assert [row[0] for row in rows[2:]] == [theirs.person.name]


def test_another_congresss_staff_are_refused_every_export_of_the_activity(client, held, partner):
    outsider = core.staff_of(partner)
    for name in ("roster_export", "findings_export"):
        assert _get(client, outsider, name, held.pk).status_code in (403, 404)
    assert not LogEntry.objects.filter(additional_data__action__startswith="export_activity").exists()


def test_the_findings_say_what_became_of_each(client, staff, held):
    with time_machine.travel("2026-08-03 10:00 +0800", tick=False):
        rows = _rows(_book(_get(client, staff, "findings_export", held.pk)).worksheets[0])
    suggestion = Suggestion.objects.get()
    assert rows[1] == ["编号", "发现的问题", "结果", "建议编号", "建议", "建议状态", "承办单位", "转交日期",
                       "答复期限", "答复时间", "单位答复", "已逾期"]  # fmt: skip
    draft, referral = rows[2], rows[3]
    assert draft[:6] == [1, "农村饮水工程管护责任不落实", "转为参加代表的建议草稿", None, suggestion.title, "草稿"]
    # Referred on Wednesday 2026-07-08 for 5 working days: due Wednesday 2026-07-15, unanswered and overdue in August.
    assert referral[:3] == [2, "部分乡镇卫生院缺少全科医生", "转交单位"]
    assert referral[6:] == ["省卫生健康委", "2026-07-08", "2026-07-15", None, None, "是"]
    assert LogEntry.objects.filter(additional_data__action="export_activity_findings").count() == 1


def test_the_list_export_follows_the_pages_filters(client, staff, congress, held, may):
    planned = f.activity(staff, congress, title="“一老一小”专题调研", send=False,
                         kind=ActivityKind.objects.get(pk="research"))  # fmt: skip
    header, *rows = _rows(_book(_get(client, staff, "manage_export", status="planned")).worksheets[0])
    assert header[:3] == ["活动", "类型", "主办人大"]
    assert [row[0] for row in rows] == [planned.title]
    rows = _rows(_book(_get(client, staff, "manage_export", kind="inspection")).worksheets[0])[1:]
    assert len(rows) == 1
    # 3 places, 2 taken; 3 invited: 2 accepted, none waiting, 1 declined.
    assert rows[0][0] == held.title and rows[0][9:15] == [3, 2, 3, 2, 0, 1]
    assert LogEntry.objects.filter(additional_data__action="export_activities").count() == 2


def test_the_list_export_leaves_out_another_congresss_activities(client, held, partner):
    outsider = core.staff_of(partner)
    assert _rows(_book(_get(client, outsider, "manage_export")).worksheets[0])[1:] == []


def test_a_long_list_is_written_in_the_background(client, staff, held, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(exports, "INLINE_ROWS", 0)
    with django_capture_on_commit_callbacks(execute=True):
        response = _get(client, staff, "manage_export")
    job = ConsoleJob.objects.get()
    assert response.url == reverse("admin:congress_consolejob_change", args=[job.pk])
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        rows = _rows(load_workbook(io.BytesIO(handle.read())).active)
    assert rows[0][0] == "活动" and [row[0] for row in rows[1:]] == [held.title]
    assert Activity.objects.count() == 1


def test_the_coverage_export_lists_every_sitting_deputy_those_not_reported_first(client, staff, congress, may):
    done, behind = f.deputy(congress, name="张报告"), f.deputy(congress, name="王未报")
    meeting = f.activity(staff, congress, title="向选民述职会", kind=ActivityKind.objects.get(pk="report_to_voters"),
                         capacity=5)  # fmt: skip
    f.invite_and_accept(staff, meeting, done)
    services.start(actor=staff, activity_id=meeting.pk)
    services.record_voter_report(actor=staff, activity_id=meeting.pk, mandate_id=done.pk, text="述职", voters=30,
                                 satisfied=20, basically_satisfied=5, dissatisfied=1)  # fmt: skip
    term = done.term
    rows = _rows(_book(_get(client, staff, "report_coverage_export", term=term.pk)).worksheets[0])
    assert rows[0][1] == "在任代表 2 名，已述职 1 名"
    assert rows[1] == ["代表", "选区", "已述职次数", "应述职次数", "是否已述职"]
    assert [row[0] for row in rows[2:]] == ["王未报", "张报告"]
    assert [row[2:] for row in rows[2:]] == [[0, 1, "否"], [1, 1, "是"]]
    assert behind.term == term


def test_the_coverage_export_refuses_another_congresss_term(client, staff, congress, partner):
    foreign = partner.terms.get()
    assert _get(client, staff, "report_coverage_export", term=foreign.pk).status_code == 404


def test_the_pages_offer_the_exports(client, staff, held):
    page = _get(client, staff, "activity", held.pk).content.decode()
    assert reverse("activities:roster_export", args=[held.pk]) in page
    assert reverse("activities:findings_export", args=[held.pk]) in page
    assert reverse("activities:manage_export") in _get(client, staff, "manage").content.decode()
    assert reverse("activities:report_coverage_export") in _get(client, staff, "report_coverage").content.decode()

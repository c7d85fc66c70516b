"""Notices as official documents: a key item's supervision notice (督办通知) to its lead units, downloaded from the
item's page; and the reminder letters (催办函) to the units with overdue replies, one numbered letter per unit,
as a zip of .docx or one PDF through a background job."""

import io
import shutil
import subprocess
import zipfile

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from docx import Document

from congress.models import ConsoleJob, IssuedDocument
from suggestions.models import Assignment, KeySupervision
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db
NOTICE = "suggestions:supervision_notice"
REMINDERS = "suggestions:reminder_letters"
needs_pdf = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="PDF needs LibreOffice and poppler-utils (apt-get install libreoffice-writer-nogui poppler-utils)",
)


def text_of(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_check(content: bytes, tmp_path, name: str) -> tuple[int, str]:
    """The PDF's page count and text (spaces removed), and its first page drawn as PNG in the test's tmp dir."""
    assert content.startswith(b"%PDF")
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / name)], check=True)  # fmt: skip
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    return pages, "".join(text.split())


@pytest.fixture
def suggestions(congress, staff, mandate, lead_unit, co_unit):
    """Assigned on 10 March 2026: 课后服务 led by 省教育厅 and co-handled by 省财政厅 (reply due 10 June, the
    co-handling opinion 10 April), 道路交通 led by 省教育厅 too."""
    mandate.person.name = "王建国"
    mandate.person.save()
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        first = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]], title="加强中小学课后服务")
        second = f.assigned(mandate, staff, lead_unit[0], title="改善农村道路交通安全")
    return first, second


@pytest.fixture
def item(congress, staff, suggestions):
    key = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务延时", leader=staff,
                                        plan="按月报送进展")  # fmt: skip
    key.suggestions.add(suggestions[0])
    return key


def write_notice(client, user, item, fmt="docx", report_by="2026-04-30"):
    client.force_login(user)
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        return client.post(reverse(NOTICE, args=[item.pk]), {
            "requirements": "主要负责同志要亲自研究部署。\n与代表当面沟通办理方案。",
            "report_by": report_by, "format": fmt,
        })  # fmt: skip


# Supervision notice


def test_the_notice_goes_to_the_lead_unit_with_the_supervised_suggestion_and_the_requirements(
    client, staff, item, congress
):
    response = write_notice(client, staff, item)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=utf-8''%E3%80%942026%E3%80%951" in response["Content-Disposition"]  # 〔2026〕1号
    text = text_of(response.content)
    assert "省教育厅：" in text and "省财政厅：" not in text  # the co-handling unit is no recipient
    assert "“课后服务延时”列为2026年度重点督办事项" in text and "督办的代表建议共1件" in text
    assert "加强中小学课后服务" in text and "改善农村道路交通安全" not in text
    assert "王建国" in text and "2026年6月10日" in text  # its reply deadline, 3 months from 10 March
    assert "主要负责同志要亲自研究部署。" in text and "与代表当面沟通办理方案。" in text
    assert "请于2026年4月30日前将办理情况书面报送本机关。" in text
    assert "〔2026〕1号" in text and congress.name in text


def test_the_notice_written_again_keeps_its_number_and_a_new_report_date_takes_the_next(client, staff, item):
    write_notice(client, staff, item)
    write_notice(client, staff, item)
    write_notice(client, staff, item, report_by="2026-05-29")
    assert list(IssuedDocument.objects.order_by("sequence").values_list("kind", "number")) == [
        ("supervision_notice", "〔2026〕1号"), ("supervision_notice", "〔2026〕2号"),
    ]  # fmt: skip
    assert LogEntry.objects.filter(additional_data__action="supervision_notice_written").count() == 3


def test_the_items_leader_writes_the_notice(client, congress, item):
    leader = core.supervisor_of(congress)
    item.leader = leader
    item.save()
    assert write_notice(client, leader, item).status_code == 200


@needs_pdf
def test_the_notice_as_pdf_is_one_page_in_chinese(client, staff, item, tmp_path):
    response = write_notice(client, staff, item, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_check(response.content, tmp_path, "supervision-notice")
    assert pages == 1
    assert "省教育厅" in text and "加强中小学课后服务" in text and "〔2026〕1号" in text and "督办" in text


def test_staff_of_another_congress_are_refused_the_notice(client, item):
    other = core.CongressFactory(region=core.county())
    response = write_notice(client, core.staff_of(other), item)
    assert response.status_code in (403, 404)
    assert not IssuedDocument.objects.exists()


def test_a_unit_officer_of_the_item_is_refused_the_notice(client, item, lead_unit):
    response = write_notice(client, lead_unit[1], item)
    assert response.status_code in (403, 404)
    assert not IssuedDocument.objects.exists()


def test_an_item_without_assigned_suggestions_gets_a_message_and_no_number(client, congress, staff):
    empty = KeySupervision.objects.create(congress=congress, year=2026, title="养老服务", leader=staff)
    response = write_notice(client, staff, empty)
    assert response.status_code == 200
    assert "督办事项的建议都还没有主办单位。" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_a_report_date_in_the_past_is_refused(client, staff, item):
    response = write_notice(client, staff, item, report_by="2026-03-31")
    assert "请选择今天或以后的日期。" in response.content.decode()
    assert not IssuedDocument.objects.exists()


# Reminder letters


def start_reminders(client, user, congress, fmt, capture, day="2026-06-20"):
    client.force_login(user)
    with time_machine.travel(f"{day} 10:00 +0800", tick=False), capture(execute=True):
        return client.post(reverse(REMINDERS), {"congress": congress.pk, "format": fmt})


def downloaded(response):
    assert response.status_code == 302
    job = ConsoleJob.objects.get()
    assert response["Location"] == reverse("admin:congress_consolejob_change", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ConsoleJob.Status.DONE, job.message
    with job.file.open("rb") as stored:
        return job, stored.read()


def test_the_page_lists_the_overdue_units_with_their_counts(client, congress, staff, suggestions):
    client.force_login(staff)
    with time_machine.travel("2026-06-20 10:00 +0800", tick=False):
        page = client.get(reverse(REMINDERS)).content.decode()
    assert "<td>省教育厅</td><td>2</td>" in page and "<td>省财政厅</td><td>1</td>" in page


def test_each_overdue_unit_gets_one_letter_with_its_overdue_suggestions_and_days(
    client, congress, staff, suggestions, lead_unit, django_capture_on_commit_callbacks
):
    first, second = suggestions
    # 道路交通 answered in time: not overdue
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        f.reply_to(Assignment.objects.get(suggestion=second), lead_unit[1])
    response = start_reminders(client, staff, congress, "docx", django_capture_on_commit_callbacks)
    job, content = downloaded(response)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        letters = {name: text_of(archive.read(name)) for name in archive.namelist()}
    assert sorted(letters) == ["〔2026〕1号 省教育厅.docx", "〔2026〕2号 省财政厅.docx"]
    education, finance = letters["〔2026〕1号 省教育厅.docx"], letters["〔2026〕2号 省财政厅.docx"]
    assert "省教育厅：" in education and "截至2026年6月20日" in education and "有1件已超过办理期限" in education
    assert "加强中小学课后服务" in education and "改善农村道路交通安全" not in education
    # due 10 June, 20 June is 10 days later; the co-handling opinion was due 10 April: 20 + 31 + 20 = 71 days
    assert "2026年6月10日" in education and "10天" in education and "主办单位" in education
    assert "2026年4月10日" in finance and "71天" in finance and "会办单位" in finance
    assert job.processed == 2
    assert LogEntry.objects.filter(additional_data__action="reminder_letters").count() == 1


def test_a_letter_written_again_the_same_day_keeps_its_number(
    client, congress, staff, suggestions, django_capture_on_commit_callbacks
):
    downloaded(start_reminders(client, staff, congress, "docx", django_capture_on_commit_callbacks))
    ConsoleJob.objects.all().delete()
    downloaded(start_reminders(client, staff, congress, "docx", django_capture_on_commit_callbacks))
    ConsoleJob.objects.all().delete()
    downloaded(start_reminders(client, staff, congress, "docx", django_capture_on_commit_callbacks, day="2026-06-22"))
    assert IssuedDocument.objects.filter(kind="reminder_letter").count() == 4  # two units, two days


def test_nothing_overdue_is_refused_with_a_message(client, congress, staff, suggestions):
    client.force_login(staff)
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        response = client.post(reverse(REMINDERS), {"congress": congress.pk, "format": "docx"}, follow=True)
    assert "没有逾期的单位。" in response.content.decode()
    assert not ConsoleJob.objects.exists()


@needs_pdf
def test_the_reminders_as_one_pdf_hold_a_page_per_unit(
    client, congress, staff, suggestions, django_capture_on_commit_callbacks, tmp_path
):
    _job, content = downloaded(start_reminders(client, staff, congress, "pdf", django_capture_on_commit_callbacks))
    pages, text = pdf_check(content, tmp_path, "reminder-letters")
    assert pages == 2
    assert "省教育厅" in text and "省财政厅" in text and "加强中小学课后服务" in text and "71天" in text


def test_staff_of_another_congress_are_refused_the_reminders(
    client, congress, suggestions, django_capture_on_commit_callbacks
):
    other = core.CongressFactory(region=core.county())
    response = start_reminders(client, core.staff_of(other), congress, "docx", django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists() and not IssuedDocument.objects.exists()
    assert client.get(reverse(REMINDERS), {"congress": congress.pk}).status_code == 403


def test_a_unit_officer_is_refused_the_reminders(client, congress, suggestions, lead_unit):
    client.force_login(lead_unit[1])
    response = client.post(reverse(REMINDERS), {"congress": congress.pk, "format": "docx"})
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists()

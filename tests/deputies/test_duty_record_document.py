"""A deputy's duty record (履职档案) as a document to print, for a year or the term: the person, the yearly score
and grade from the default catalogue's numbers, what they did by kind, and each entry; readable by the deputy
and the staff who may see the mandate, and no one else."""

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document

from deputies import services
from tests import factories as core

from .factories import MandateFactory

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HAS_PDF = shutil.which("soffice") is not None and shutil.which("pdftotext") is not None


@pytest.fixture
def congress():
    return core.CongressFactory()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def mandate(congress, staff):
    mandate = MandateFactory(congress=congress, person__name="陈红梅", person__work_unit="广州市第一中学教师")
    services.link_account(actor=staff, person=mandate.person, user=core.UserFactory())
    return mandate


def record(mandate, kind, on, title, quantity=1):
    services.record_duty(mandate=mandate, kind_code=kind, on=on, title=title, quantity=quantity)


@pytest.fixture
def active_year(mandate):
    """2026 as the default catalogue counts it: base 40 + session 5 + 4 visits × 2 + 2 suggestions × 3 + 16
    training hours × 0.5 + one report-back 5 = 72, graded 较好."""
    record(mandate, "session_attendance", date(2026, 1, 20), "出席省人大第三次会议")
    for month in (2, 4, 6, 8):
        record(mandate, "station_visit", date(2026, month, 10), f"{month}月进站接待选民")
    record(mandate, "suggestion", date(2026, 1, 22), "关于加强中小学课后服务的建议")
    record(mandate, "suggestion", date(2026, 1, 23), "关于改善农村道路交通安全的建议")
    record(mandate, "training", date(2026, 5, 12), "代表履职培训班", quantity=16)
    record(mandate, "report_to_voters", date(2026, 11, 5), "向原选区选民述职")
    record(mandate, "station_visit", date(2025, 9, 1), "去年的进站")


def text_of(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = ["|".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def url(mandate, **query):
    return reverse("deputies:duty_record", args=[mandate.pk]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_the_deputy_downloads_the_years_record_with_score_grade_and_entries(client, mandate, active_year):
    client.force_login(mandate.person.user)
    response = client.get(url(mandate, year=2026, period="year", format="docx"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "陈红梅代表履职档案" in text and "2026年度" in text
    assert "广州市第一中学教师" in text
    assert "2026|40|32|0|72|较好" in text
    assert "进站履职|4|8" in text  # four visits at 2 points
    assert "2026-02-10|进站履职|2月进站接待选民|2" in text
    assert "2026-05-12|参加学习培训（每学时）|代表履职培训班|8" in text  # 16 hours at 0.5
    assert "去年的进站" not in text  # another year
    assert "共9项" in text


def test_the_terms_record_holds_every_year_of_the_term_so_far(client, mandate, active_year):
    client.force_login(mandate.person.user)
    text = text_of(client.get(url(mandate, year=2026, period="term", format="docx")).content)
    assert "去年的进站" in text and "2月进站接待选民" in text
    assert f"第{mandate.term.number}届" in text
    assert "2025|40|2|0|42|" in text  # one visit in 2025


def test_the_record_holds_no_id_number_or_phone(client, mandate, active_year):
    client.force_login(mandate.person.user)
    text = text_of(client.get(url(mandate, year=2026, period="year", format="docx")).content)
    assert mandate.person.id_number not in text
    if mandate.person.phone:
        assert mandate.person.phone not in text


def test_staff_of_the_congress_download_a_deputys_record(client, mandate, staff, active_year):
    client.force_login(staff)
    assert client.get(url(mandate, year=2026, period="year", format="docx")).status_code == 200


def test_another_deputy_is_refused(client, congress, mandate, staff, active_year):
    other = MandateFactory(congress=congress)
    services.link_account(actor=staff, person=other.person, user=core.UserFactory())
    client.force_login(other.person.user)
    assert client.get(url(mandate, year=2026, period="year", format="docx")).status_code == 404


def test_staff_of_another_congress_are_refused(client, mandate, active_year):
    other = core.CongressFactory(region=core.county())
    client.force_login(core.staff_of(other))
    assert client.get(url(mandate, year=2026, period="year", format="docx")).status_code == 404


def test_an_unknown_period_is_refused_with_a_message(client, mandate, active_year):
    client.force_login(mandate.person.user)
    response = client.get(url(mandate, year=2026, period="decade", format="docx"), follow=True)
    assert "请选择某一年度或整届" in response.content.decode()


def test_my_record_page_offers_the_download_for_each_mandate(client, mandate):
    client.force_login(mandate.person.user)
    page = client.get(reverse("deputies:my_record") + "?year=2026").content.decode()
    assert reverse("deputies:duty_record", args=[mandate.pk]) in page and "下载履职档案" in page


@pytest.mark.skipif(not HAS_PDF, reason="PDF needs LibreOffice and poppler-utils")
def test_the_pdf_record_is_in_chinese_on_one_page(client, mandate, active_year, tmp_path):
    client.force_login(mandate.person.user)
    response = client.get(url(mandate, year=2026, period="year", format="pdf"))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / "duty-record")], check=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) == 2
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "陈红梅代表履职档案" in text and "较好" in text and "向原选区选民述职" in text
    assert (ARTIFACTS / "duty-record-1.png").stat().st_size > 10_000

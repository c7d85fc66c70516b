"""Assignment letters (交办函): one numbered letter per unit of a day's batch, as .docx (zip) or one PDF, from the
console page, through the background job; numbers per congress and year, kept when a letter is written again."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document

from congress.models import ConsoleJob, DocumentTemplate, IssuedDocument
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PAGE = "suggestions:assignment_letters"


def text_of(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def batch(congress, staff, mandate, lead_unit, co_unit):
    """On 10 March 2026: two suggestions led by 省教育厅, one of them co-handled by 省财政厅."""
    mandate.person.name = "王建国"
    mandate.person.save()
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        first = f.assigned(mandate, staff, lead_unit[0], co=[co_unit[0]], title="加强中小学课后服务")
        second = f.assigned(mandate, staff, lead_unit[0], title="改善农村道路交通安全")
    return first, second


def download(client, staff, congress, fmt, django_capture_on_commit_callbacks, day="2026-03-10"):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(PAGE), {"congress": congress.pk, "assigned_on": day, "format": fmt})
    assert response.status_code == 302
    job = ConsoleJob.objects.get()
    assert response["Location"] == reverse("admin:congress_consolejob_change", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ConsoleJob.Status.DONE, job.message
    with job.file.open("rb") as stored:
        return job, stored.read()


def test_the_page_lists_the_days_batch_with_its_units_and_assignments(client, congress, staff, batch):
    client.force_login(staff)
    page = client.get(reverse(PAGE)).content.decode()
    assert "2026-03-10" in page
    # two units (教育厅, 财政厅) and three assignments (two lead, one co-handling)
    assert "<td>2</td><td>3</td>" in page


def test_each_unit_gets_one_letter_listing_its_suggestions_role_and_deadline(
    client, congress, staff, batch, django_capture_on_commit_callbacks
):
    first, second = batch
    job, content = download(client, staff, congress, "docx", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        letters = {name: text_of(archive.read(name)) for name in archive.namelist()}
    assert sorted(letters) == ["〔2026〕1号 省教育厅.docx", "〔2026〕2号 省财政厅.docx"]
    education, finance = letters["〔2026〕1号 省教育厅.docx"], letters["〔2026〕2号 省财政厅.docx"]
    assert "省教育厅：" in education and "建议2件" in education
    assert "加强中小学课后服务" in education and "改善农村道路交通安全" in education
    assert "王建国" in education and "主办单位" in education
    # 3 months from 10 March 2026 for the lead unit's reply, 1 month for the co-handler's opinion
    assert "2026年6月10日" in education
    assert "建议1件" in finance and "加强中小学课后服务" in finance and "改善农村道路交通安全" not in finance
    assert "会办单位" in finance
    assert "〔2026〕2号" in finance and congress.name in finance
    assert job.processed == 2


def test_a_letter_written_again_keeps_its_number_and_a_later_batch_continues_the_sequence(
    client, congress, staff, batch, mandate, lead_unit, django_capture_on_commit_callbacks
):
    DocumentTemplate.objects.create(congress=congress, kind="assignment_letter", number_prefix="粤人常交",
                                    uploaded_by=staff)  # fmt: skip
    download(client, staff, congress, "docx", django_capture_on_commit_callbacks)
    ConsoleJob.objects.all().delete()
    download(client, staff, congress, "docx", django_capture_on_commit_callbacks)
    with time_machine.travel("2026-04-02 10:00 +0800", tick=False):
        f.assigned(mandate, staff, lead_unit[0])
    ConsoleJob.objects.all().delete()
    download(client, staff, congress, "docx", django_capture_on_commit_callbacks, day="2026-04-02")
    assert list(IssuedDocument.objects.order_by("sequence").values_list("number", flat=True)) == [
        "粤人常交〔2026〕1号", "粤人常交〔2026〕2号", "粤人常交〔2026〕3号",
    ]  # fmt: skip


def test_a_number_is_never_given_twice_in_a_congress_and_year(congress, staff):
    fields = {"congress": congress, "kind": "assignment_letter", "year": 2026, "number": "〔2026〕1号",
              "title": "交办函", "issued_by": staff}  # fmt: skip
    IssuedDocument.objects.create(sequence=1, subject="a", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(sequence=1, subject="b", **fields)


def test_the_congress_own_template_replaces_the_default(
    client, congress, staff, batch, django_capture_on_commit_callbacks
):
    own = Document()
    own.add_paragraph("本会专用交办函 {{ number }} 致 {{ recipient }}")
    data = io.BytesIO()
    own.save(data)
    template = DocumentTemplate(congress=congress, kind="assignment_letter", uploaded_by=staff)
    template.file.save("own.docx", io.BytesIO(data.getvalue()))
    _job, content = download(client, staff, congress, "docx", django_capture_on_commit_callbacks)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert text_of(archive.read("〔2026〕1号 省教育厅.docx")) == "本会专用交办函 〔2026〕1号 致 省教育厅"


def test_staff_of_another_congress_are_refused(client, congress, batch):
    other = core.CongressFactory(region=core.county())
    client.force_login(core.staff_of(other))
    response = client.post(reverse(PAGE), {"congress": congress.pk, "assigned_on": "2026-03-10", "format": "docx"})
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists() and not IssuedDocument.objects.exists()
    assert client.get(reverse(PAGE), {"congress": congress.pk}).status_code == 403


def test_a_unit_officer_is_refused(client, congress, batch, lead_unit):
    client.force_login(lead_unit[1])
    response = client.post(reverse(PAGE), {"congress": congress.pk, "assigned_on": "2026-03-10", "format": "docx"})
    assert response.status_code == 403
    assert not ConsoleJob.objects.exists()


def test_a_day_without_assignments_is_refused_with_a_message(client, congress, staff, batch):
    client.force_login(staff)
    response = client.post(
        reverse(PAGE), {"congress": congress.pk, "assigned_on": "2026-03-11", "format": "docx"}, follow=True
    )
    assert "那天没有交办的建议。" in response.content.decode()
    assert not ConsoleJob.objects.exists()


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="PDF needs LibreOffice and poppler-utils (apt-get install libreoffice-writer-nogui "
                    "poppler-utils fonts-arphic-ukai fonts-arphic-uming)")  # fmt: skip
def test_the_pdf_holds_every_letter_in_chinese_one_page_each(
    client, congress, staff, batch, django_capture_on_commit_callbacks, tmp_path
):
    _job, content = download(client, staff, congress, "pdf", django_capture_on_commit_callbacks)
    assert content.startswith(b"%PDF")
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages == 2
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())  # pdftotext spaces digits from the Chinese around them
    assert "省教育厅" in text and "省财政厅" in text and "加强中小学课后服务" in text and "〔2026〕1号" in text
    # The first page as an image, to look at when the layout is in doubt.
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(ARTIFACTS / "assignment-letter")], check=True)  # fmt: skip
    assert (ARTIFACTS / "assignment-letter.png").stat().st_size > 10_000

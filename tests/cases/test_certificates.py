"""Certificates (荣誉证书) for the winners of a finished case selection, from its results page: one landscape page
per selected case, naming its deputies, the case, the award, the issuing body and the date; a zip of .docx or
one PDF, for the staff and supervisors of the campaign's congress."""

import io
import shutil
import subprocess
import zipfile

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from docx import Document

from cases import services
from cases.models import RoundKind
from tests import factories as core

from . import factories as f

pytestmark = pytest.mark.django_db
PAGE = "cases:certificates"


def text_of(docx: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.fixture
def selection(congress, staff, unit, mandate):
    """A duty campaign whose ballot round keeps two of three cases (社区议事厅 and 民生实事票决), published on
    14 October 2023."""
    mandate.person.name = "陈晓"
    mandate.person.save()
    unit_org, officer = unit
    [voter] = f.voters(1)
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit_org])
        titles = ["社区议事厅", "民生实事票决", "夜间巡河"]
        cases = [f.submission(officer, campaign, title=t, level=mandate.level, mandates=[mandate]) for t in titles]
        services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = f.round_(staff, campaign, RoundKind.BALLOT, voters=[(voter, None)], approvals_per_voter=2, advance=2)
        services.open_round(actor=staff, round_id=round_.pk)
    with f.travel("2023-10-10 10:00"):
        services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[cases[0].pk, cases[1].pk])
    with f.travel("2023-10-14 10:00"):
        services.close_round(actor=staff, round_id=round_.pk)
        services.decide_round(actor=staff, round_id=round_.pk)
        services.finish(actor=staff, campaign_id=campaign.pk)
    return campaign


def download(client, user, campaign, fmt="docx", award="代表履职优秀案例", issued_on="2023-10-14"):
    client.force_login(user)
    return client.post(reverse(PAGE, args=[campaign.pk]), {"award": award, "issued_on": issued_on, "format": fmt})


def test_each_winning_case_gets_a_certificate_naming_its_deputies_the_case_and_the_award(
    client, staff, selection, congress
):
    response = download(client, staff, selection)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        certificates = {name: text_of(archive.read(name)) for name in archive.namelist()}
    assert sorted(certificates) == ["01 社区议事厅.docx", "02 民生实事票决.docx"]  # 夜间巡河 was not selected
    first = certificates["01 社区议事厅.docx"]
    assert "荣 誉 证 书" in first and "陈晓：" in first
    assert "《社区议事厅》在2023年度代表履职优秀案例中，被评为“代表履职优秀案例”。" in first
    assert "特发此证，以资鼓励。" in first and "（推荐单位：广州市人大常委会）" in first
    assert f"{congress.name}常务委员会" in first and "2023年10月14日" in first
    assert "《民生实事票决》" in certificates["02 民生实事票决.docx"]
    assert LogEntry.objects.filter(additional_data__action="certificates_written").count() == 1


def test_the_award_and_date_staff_write_are_printed(client, staff, selection):
    response = download(client, staff, selection, award="十佳履职案例", issued_on="2023-12-01")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = text_of(archive.read(archive.namelist()[0]))
    assert "被评为“十佳履职案例”" in text and "2023年12月1日" in text


def test_the_page_offers_the_kinds_award_and_the_publishing_day(client, staff, selection):
    client.force_login(staff)
    page = client.get(reverse(PAGE, args=[selection.pk])).content.decode()
    assert 'value="代表履职优秀案例"' in page and 'value="2023-10-14"' in page
    assert "社区议事厅" in page and "夜间巡河" not in page


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="PDF needs LibreOffice and poppler-utils")  # fmt: skip
def test_the_certificates_as_one_pdf_are_a_landscape_page_each(client, staff, selection, tmp_path):
    response = download(client, staff, selection, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "certificates.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) == 2
    size = next(line for line in info.splitlines() if line.startswith("Page size")).split()
    assert float(size[2]) > float(size[4])  # landscape
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = "".join(text.split())
    assert "荣誉证书" in text and "陈晓" in text and "社区议事厅" in text and "民生实事票决" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / "certificate")], check=True)  # fmt: skip
    assert (tmp_path / "certificate.png").stat().st_size > 10_000


def test_a_campaign_not_finished_gets_no_certificates(client, congress, staff, unit):
    with f.travel("2023-09-10 10:00"):
        campaign = f.campaign(staff, congress, [unit[0]])
    response = download(client, staff, campaign)
    assert response["Content-Type"].startswith("text/html")
    assert "评选结束后才能发放荣誉证书。" in response.content.decode()
    assert not LogEntry.objects.filter(additional_data__action="certificates_written").exists()


def test_staff_of_another_congress_are_refused(client, selection):
    other = core.CongressFactory(region=core.county())
    response = download(client, core.staff_of(other), selection)
    assert response.status_code in (403, 404)
    assert not LogEntry.objects.filter(additional_data__action="certificates_written").exists()


def test_the_units_officer_is_refused(client, selection, unit):
    response = download(client, unit[1], selection)
    assert response.status_code in (403, 404)

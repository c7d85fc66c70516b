"""A station's ledger (台账) for a period, downloaded as .docx or PDF by its managers and its congress's staff: the
reception days, the deputies' duty visits, the opinions received and how each was handled, without the citizens'
names, phone numbers or ID numbers."""

import io
import shutil
import subprocess
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from docx import Document

from liaison_stations import services
from liaison_stations.models import Visit
from tests import factories as core

from . import factories

pytestmark = pytest.mark.django_db
PAGE = "liaison_stations:station_ledger"
PHONE, ID_NUMBER = "13912345678", "440106199001011234"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def text_of(docx: bytes) -> str:
    document = Document(io.BytesIO(docx))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def records(station, manager):
    """In May 2026: a reception day with 李明 on duty, his research visit, an opinion answered on the spot; and an
    opinion of April, outside the period."""
    station.name = "五山街代表联络站"
    station.save()
    mandate, _user = factories.stationed_deputy(station, person__name="李明")
    factories.held_reception(station, [mandate], day=date(2026, 5, 10), topic="老旧小区加装电梯", citizens_received=6)
    Visit.objects.create(mandate=mandate, station=station, activity="research", channel="portal",
                         visited_at=datetime(2026, 5, 12, 10, tzinfo=SHANGHAI), topics="调研社区养老食堂")  # fmt: skip
    with time_machine.travel("2026-05-11 10:00 +0800", tick=False):
        opinion = services.submit_opinion(
            station=station, phone=PHONE, category="urban", citizen_name="张三丰",
            content=f"五山路路灯坏了，身份证{ID_NUMBER}。\n请回电{PHONE}。",
        )  # fmt: skip
        services.triage(actor=manager, opinion_id=opinion.pk, route="answered",
                        answer=f"已联系供电所维修，已电话告知{PHONE}。")  # fmt: skip
    with time_machine.travel("2026-04-20 10:00 +0800", tick=False):
        services.submit_opinion(station=station, phone="13800001111", category="other", content="四月的意见。")
    return mandate


def download(client, user, station, fmt="docx", start="2026-05-01", end="2026-05-31"):
    client.force_login(user)
    return client.post(reverse(PAGE, args=[station.pk]), {"start": start, "end": end, "format": fmt})


def test_the_ledger_lists_the_periods_receptions_visits_and_opinions_with_their_outcome(
    client, station, manager, records
):
    response = download(client, manager, station)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = text_of(response.content)
    assert "五山街代表联络站工作台账" in text and "（2026年5月1日至2026年5月31日）" in text
    assert "本期共组织接待活动1次，代表进站履职1人次，收到群众意见1件，其中已办结1件。" in text
    assert "2026年5月10日" in text and "老旧小区加装电梯" in text and "李明" in text and "已举行" in text
    assert "2026年5月12日" in text and "调研" in text and "调研社区养老食堂" in text
    assert "五山路路灯坏了" in text and "已联系供电所维修" in text
    assert "四月的意见" not in text
    assert LogEntry.objects.filter(additional_data__action="station_ledger_written").count() == 1


def test_the_ledger_holds_no_citizens_name_phone_or_id_number(client, station, manager, records):
    text = text_of(download(client, manager, station).content)
    assert "五山路路灯坏了" in text  # the opinion is there,
    assert PHONE not in text and ID_NUMBER not in text and "张三丰" not in text  # its citizen is not
    assert "139****5678" in text and "440106********1234" in text


def test_staff_of_the_stations_congress_download_the_ledger(client, station, records):
    assert download(client, core.staff_of(station.congress), station).status_code == 200


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="PDF needs LibreOffice and poppler-utils")  # fmt: skip
def test_the_ledger_as_pdf_is_one_landscape_page_in_chinese(client, station, manager, records, tmp_path):
    response = download(client, manager, station, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "ledger.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1]) == 1
    width, height = (
        float(v) for v in next(line for line in info.splitlines() if line.startswith("Page size")).split()[2:5:2]
    )
    assert width > height  # landscape
    text = "".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "五山街代表联络站工作台账" in text and "老旧小区加装电梯" in text and PHONE not in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path),
                    str(tmp_path / "ledger")], check=True)  # fmt: skip
    assert (tmp_path / "ledger.png").stat().st_size > 10_000


def test_another_stations_manager_is_refused(client, station, records):
    _other, other_manager = factories.managed_station(congress=station.congress)
    response = download(client, other_manager, station)
    assert response.status_code in (403, 404)
    assert not LogEntry.objects.filter(additional_data__action="station_ledger_written").exists()


def test_staff_of_another_congress_are_refused(client, station, records):
    other = core.CongressFactory(region=core.county("440105", "海珠区"))
    response = download(client, core.staff_of(other), station)
    assert response.status_code in (403, 404)
    assert client.get(reverse(PAGE, args=[station.pk])).status_code in (403, 404)


def test_a_period_ending_before_it_starts_is_refused(client, station, manager, records):
    response = download(client, manager, station, start="2026-05-31", end="2026-05-01")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "时段的结束早于开始。" in response.content.decode()

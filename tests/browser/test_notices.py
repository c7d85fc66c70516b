"""Documents downloaded from the pages: the supervisor fills a key item's supervision notice (督办通知) and
downloads it; staff download the reminder letters (催办函) to the units with overdue replies; a station's manager
downloads the station's ledger (台账) for a period; staff download a finished case selection's certificates."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cases import services as case_services
from cases.models import RoundKind
from suggestions.models import KeySupervision
from tests import factories as core
from tests.cases import factories as cf
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import held_reception, managed_station, stationed_deputy
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def text_of(document: Document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.form_view("suggestions:supervision_notice")
def test_the_supervisor_fills_and_downloads_a_key_items_supervision_notice(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    education, _officer = f.unit_with_officer(congress, "省教育厅")
    suggestion = f.assigned(f.deputy(congress), staff, education, title="关于延长课后服务时间的建议")
    item = KeySupervision.objects.create(congress=congress, year=2026, title="课后服务延时", leader=staff,
                                         plan="按季度报送进展。")  # fmt: skip
    item.suggestions.add(suggestion)
    report_by = timezone.localdate() + timedelta(days=30)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:supervision_detail", args=[item.pk]))
    desk.get_by_role("link", name="督办通知（.docx 或 PDF）").click()
    assert desk.get_by_label("督办要求").input_value() == "按季度报送进展。"  # the item's plan to start from
    desk.get_by_label("督办要求").fill("主要负责同志要亲自研究部署。\n与代表当面沟通办理方案。")
    desk.get_by_label("报送办理情况的期限").fill(report_by.isoformat())
    desk.get_by_label("格式").select_option(label=".docx（可编辑）")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="下载通知").click()
    text = text_of(Document(download.value.path()))
    assert download.value.suggested_filename == f"〔{report_by.year}〕1号 督办通知.docx"
    assert "省教育厅：" in text and "关于延长课后服务时间的建议" in text
    assert "主要负责同志要亲自研究部署。" in text and "与代表当面沟通办理方案。" in text
    assert f"请于{report_by.year}年{report_by.month}月{report_by.day}日前" in text


@pytest.mark.form_view("suggestions:reminder_letters")
def test_staff_download_the_reminder_letters_to_overdue_units(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    education, _officer = f.unit_with_officer(congress, "省教育厅")
    # Assigned four months ago: its three-month reply deadline has passed.
    with time_machine.travel(timezone.now() - timedelta(days=125), tick=False):
        f.assigned(f.deputy(congress), staff, education, title="关于延长课后服务时间的建议")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:supervision"))
    desk.get_by_role("link", name="逾期单位催办函").click()
    assert "省教育厅" in desk.locator("table").inner_text()
    press(desk, desk.get_by_role("button", name=".docx（zip）"))
    assert "已生成 1 份催办函" in desk.content()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载文件").click()
    with zipfile.ZipFile(Path(download.value.path())) as archive:
        [name] = archive.namelist()
        letter = text_of(Document(io.BytesIO(archive.read(name))))
    assert name.endswith("1号 省教育厅.docx")
    assert "关于延长课后服务时间的建议" in letter and "关于督促办理代表建议的函" in letter


@pytest.mark.form_view("liaison_stations:station_ledger")
def test_a_station_manager_downloads_the_stations_ledger_for_a_period(live_server, desk):
    station, manager = managed_station(name="五山街代表联络站")
    mandate, _user = stationed_deputy(station, person__name="李明")
    today = timezone.localdate()
    held_reception(station, [mandate], day=today - timedelta(days=2), topic="老旧小区加装电梯")
    held_reception(station, [mandate], day=today - timedelta(days=60), topic="垃圾分类")

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_role("link", name="工作台账（.docx 或 PDF）").click()
    desk.get_by_label("起始日期").fill((today - timedelta(days=7)).isoformat())
    desk.get_by_label("截止日期").fill(today.isoformat())
    desk.get_by_label("格式").select_option(label=".docx（可编辑）")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="下载台账").click()
    text = text_of(Document(download.value.path()))
    assert download.value.suggested_filename.startswith("五山街代表联络站台账")
    assert "老旧小区加装电梯" in text and "李明" in text
    assert "垃圾分类" not in text  # two months ago: outside the period


@pytest.mark.form_view("cases:certificates")
def test_staff_download_the_certificates_of_a_finished_case_selection(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    unit, officer = cf.unit_with_officer(congress, "广州市人大常委会")
    mandate = cf.deputy(congress)
    [voter] = cf.voters(1)
    with cf.travel("2023-09-10 10:00"):
        campaign = cf.campaign(staff, congress, [unit])
        case = cf.submission(officer, campaign, title="社区议事厅", level=mandate.level, mandates=[mandate])
        case_services.close_submissions(actor=staff, campaign_id=campaign.pk)
        round_ = cf.round_(staff, campaign, RoundKind.BALLOT, voters=[(voter, None)], approvals_per_voter=1, advance=1)
        case_services.open_round(actor=staff, round_id=round_.pk)
    with cf.travel("2023-10-10 10:00"):
        case_services.cast_ballot(actor=voter, round_id=round_.pk, submission_ids=[case.pk])
    with cf.travel("2023-10-14 10:00"):
        case_services.close_round(actor=staff, round_id=round_.pk)
        case_services.decide_round(actor=staff, round_id=round_.pk)
        case_services.finish(actor=staff, campaign_id=campaign.pk)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("cases:results", args=[campaign.pk]))
    desk.get_by_role("link", name="获奖案例荣誉证书").click()
    desk.get_by_label("奖项").fill("十佳履职案例")
    desk.get_by_label("证书落款日期").fill("2023-12-01")
    desk.get_by_label("格式").select_option(label=".docx 文件（zip 压缩包）")
    with desk.expect_download() as download:
        desk.get_by_role("button", name="下载荣誉证书").click()
    with zipfile.ZipFile(Path(download.value.path())) as archive:
        [name] = archive.namelist()
        text = text_of(Document(io.BytesIO(archive.read(name))))
    assert name == "01 社区议事厅.docx"
    assert "《社区议事厅》" in text and "被评为“十佳履职案例”" in text and "2023年12月1日" in text

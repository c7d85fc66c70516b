"""Staff write a session's assignment list and a year's compilation of published replies from the page the review
page links to: the form's button writes the document in the background and the job's page hands it over."""

import io

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from suggestions import services
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def text_of(path) -> str:
    document = Document(io.BytesIO(path.read_bytes()))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def congress_with_staff():
    congress = core.CongressFactory()
    current_term(congress)
    return congress, core.staff_of(congress)


@pytest.mark.form_view("suggestions:session_documents")
def test_staff_download_the_assignment_list_of_a_session(live_server, desk):
    congress, staff = congress_with_staff()
    session = f.session_of(current_term(congress))
    education, _officer = f.unit_with_officer(congress, "省教育厅")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        f.assigned(f.deputy(congress), staff, education, title="关于延长课后服务时间的建议", session=session)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:review"))
    desk.get_by_role("link", name="交办清单与汇编").click()
    desk.get_by_label("会议").select_option(label=str(session))
    desk.get_by_label("公文").select_option(label="交办清单")
    press(desk, desk.get_by_role("button", name="生成 .docx").first)
    assert "已生成交办清单，共 1 件建议" in desk.content()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载文件").click()
    text = text_of(download.value.path())
    assert "关于延长课后服务时间的建议" in text and "省教育厅" in text and "〔2026〕1号" in text


@pytest.mark.form_view("suggestions:session_documents")
def test_staff_download_the_years_published_replies_without_the_phone_number(live_server, desk):
    congress, staff = congress_with_staff()
    education, officer = f.unit_with_officer(congress, "省教育厅")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        suggestion = f.assigned(f.deputy(congress), staff, education, title="关于延长课后服务时间的建议")
    with time_machine.travel("2026-05-06 10:00 +0800", tick=False):
        f.reply_to(suggestion.assignments.get(), officer, text="已延长课后服务时间，经办人电话13800001111。")
        services.publish(actor=staff, suggestion_id=suggestion.pk)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:session_documents"))
    desk.get_by_label("公开年度").fill("2026")
    section = desk.locator("section", has_text="答复汇编（公开版）")
    press(desk, section.get_by_role("button", name="生成 .docx"))
    assert "已生成答复汇编，共 1 件建议的答复" in desk.content()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载文件").click()
    text = text_of(download.value.path())
    assert "已延长课后服务时间" in text and "13800001111" not in text

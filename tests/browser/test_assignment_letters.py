"""Staff download a day's assignment letters (交办函) from the review page: the batch's button writes them in the
background and the job's page hands over the zip, one numbered .docx per unit."""

import io
import zipfile

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("suggestions:assignment_letters")
def test_staff_download_the_letters_of_a_days_assignments(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff = core.staff_of(congress)
    education, _officer = f.unit_with_officer(congress, "省教育厅")
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        f.assigned(f.deputy(congress), staff, education, title="关于延长课后服务时间的建议")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("suggestions:review"))
    desk.get_by_role("link", name="交办函").click()
    row = desk.locator("tr", has_text="2026-03-10")
    assert "省" not in row.inner_text()  # the row counts units and assignments, it names none
    press(desk, row.get_by_role("button", name=".docx（zip）"))
    assert "已生成 1 份交办函" in desk.content()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载文件").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        [name] = archive.namelist()
        letter = Document(io.BytesIO(archive.read(name)))
    assert name == "〔2026〕1号 省教育厅.docx"
    text = "\n".join(cell.text for table in letter.tables for row in table.rows for cell in row.cells)
    assert "关于延长课后服务时间的建议" in text

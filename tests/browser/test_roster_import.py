"""Staff upload a roster file, see it checked with its progress, apply it, and find the deputies in the directory."""

from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook

from deputies import importer
from deputies.models import Person
from tests import factories as core
from tests.deputies.factories import current_term, delegation
from tests.deputies.test_import import row

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def roster_file(path):
    book = Workbook()
    sheet = book.active
    sheet.append(importer.HEADERS)
    sheet.append(row())
    sheet.append(row("李红", "女", date(1982, 2, 3), 12))
    sheet.append(row("张伟", "男", date(1975, 6, 30), 13))
    book.save(path)
    return path


@pytest.mark.form_view("deputies:imports", "deputies:import_confirm")
def test_staff_import_a_roster_and_watch_it_applied(live_server, desk, tmp_path):
    congress = core.CongressFactory()
    current_term(congress)
    delegation(congress, "广州代表团")
    log_in(desk, live_server, core.staff_of(congress))

    desk.goto(live_server.url + reverse("deputies:imports"))
    desk.locator("input[type=file]").set_input_files(str(roster_file(tmp_path / "代表名册.xlsx")))
    press(desk, desk.get_by_role("button", name="上传并校验"))

    assert "3 / 3 (100%)" in desk.locator(".progress-label").inner_text()
    press(desk, desk.get_by_role("button", name="导入全部 3 行"))
    assert "新增代表 3 名" in desk.locator("section.card").first.inner_text()
    assert set(Person.objects.values_list("name", flat=True)) == {"王建国", "李红", "张伟"}

    desk.get_by_role("link", name="查看名册").click()
    assert "李红" in desk.content()

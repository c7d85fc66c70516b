"""Documents people print from their own pages: a unit officer fills the reply form and downloads the reply
letter's draft (答复函) without sending anything, then sends the reply with the signed letter; a deputy downloads
their duty record (履职档案) from "my duty record"."""

from datetime import date

import pytest
from django.urls import reverse
from docx import Document

from deputies import services as roster
from suggestions import services
from suggestions.models import Reply
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press
from .test_suggestion_journey import PDF, panel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def paragraphs(path) -> str:
    return "\n".join(p.text for p in Document(path).paragraphs)


@pytest.mark.form_view("suggestions:reply_letter_draft")
def test_a_unit_downloads_the_reply_letter_draft_then_sends_the_reply(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    staff, mandate = core.staff_of(congress), f.deputy(congress, name="李秀英")
    unit, officer = f.unit_with_officer(congress, "省住房城乡建设厅")
    suggestion = f.assigned(mandate, staff, unit, title="关于加快老旧小区加装电梯的建议")
    assignment = suggestion.assignments.get()
    services.confirm_receipt(actor=officer, assignment_id=assignment.pk)

    desk.on("dialog", lambda dialog: dialog.accept())
    log_in(desk, live_server, officer)
    desk.goto(live_server.url + reverse("suggestions:detail", args=[suggestion.pk]))
    form = panel(desk, "答复代表")
    form.get_by_label("答复", exact=True).fill("今年已完成加装电梯120部。")
    form.get_by_label("办理结果").select_option("B")
    form.get_by_label("承诺的后续措施").fill("明年再推进200部。")
    form.get_by_label("联系人").fill("张伟")
    form.get_by_label("联系电话").fill("020-83331234")
    with desk.expect_download() as download:
        form.get_by_role("button", name="下载 Word（.docx）").click()
    text = paragraphs(download.value.path())
    assert "李秀英代表：" in text and "今年已完成加装电梯120部。" in text and "联系人：张伟" in text
    assert not Reply.objects.exists()
    # Nothing was lost: the form still holds what was typed; the signed letter goes with the reply.
    assert form.get_by_label("答复", exact=True).input_value() == "今年已完成加装电梯120部。"
    form.get_by_label("签发的答复函（PDF）").set_input_files(PDF)
    press(desk, form.get_by_role("button", name="提交答复"))
    answer = Reply.objects.get()
    assert (answer.result, answer.contact_person, answer.contact_phone) == ("B", "张伟", "020-83331234")


def test_a_deputy_downloads_their_duty_record(live_server, desk):
    congress = core.CongressFactory()
    current_term(congress)
    mandate = f.deputy(congress, name="陈红梅")
    year = date.today().year
    roster.record_duty(mandate=mandate, kind_code="station_visit", on=date(year, 1, 10), title="进站接待选民")

    log_in(desk, live_server, mandate.person.user)
    desk.goto(live_server.url + reverse("deputies:my_record"))
    form = desk.locator("form.record-download").first
    form.get_by_label("格式").select_option("docx")
    with desk.expect_download() as download:
        form.get_by_role("button", name="下载履职档案").click()
    document = Document(download.value.path())
    text = paragraphs(download.value.path())
    cells = "\n".join("|".join(c.text for c in row.cells) for table in document.tables for row in table.rows)
    assert "陈红梅代表履职档案" in text and f"{year}年度" in text
    assert "进站接待选民" in cells

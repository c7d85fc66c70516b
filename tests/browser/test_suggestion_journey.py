"""A suggestion from a deputy's phone to its close: staff accept and assign it, the unit replies with a signed
PDF, the deputy is dissatisfied, the unit handles it again, the deputy is satisfied and it closes."""

import pytest
from django.urls import reverse

from suggestions.models import Suggestion
from tests import factories as core
from tests.deputies.factories import current_term
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PDF = {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%signed letter\n%%EOF\n"}


def panel(page, title):
    """Open an action panel of the detail page and return it."""
    details = page.locator("details.panel", has=page.locator("summary", has_text=title)).first
    details.locator("summary").click()
    return details


def reply(page, text):
    form = panel(page, "答复代表")
    form.get_by_label("答复", exact=True).fill(text)
    form.get_by_label("办理结果").select_option("A")
    form.get_by_label("签发的答复函（PDF）").set_input_files(PDF)
    press(page, form.get_by_role("button", name="提交答复"))


def feedback(page, verdict, comment=""):
    form = panel(page, "对答复的反馈意见")
    form.locator("fieldset", has_text="对办理结果的满意度").get_by_label(verdict, exact=True).check()
    form.locator("fieldset", has_text="对办理态度的满意度").get_by_label(verdict, exact=True).check()
    if comment:
        form.get_by_label("意见说明").fill(comment)
    press(page, form.get_by_role("button", name="提交反馈"))


@pytest.mark.form_view("suggestions:new", "suggestions:act", "suggestions:act_on_assignment")
def test_a_suggestion_goes_from_a_phone_to_its_close(live_server, chromium, phone, desk):
    congress = core.CongressFactory()
    current_term(congress)
    category = f.CategoryFactory(congress=congress, name="教育")
    mandate = f.deputy(congress)
    staff = core.staff_of(congress)
    unit, officer = f.unit_with_officer(congress, name="省教育厅")

    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    phone.get_by_label("标题").fill("关于延长中小学课后服务时间的建议")
    phone.get_by_label("内容").fill(f.CONTENT)
    phone.get_by_label("类别").select_option(label=category.name)
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    suggestion = Suggestion.objects.get(title="关于延长中小学课后服务时间的建议")
    assert suggestion.status == "submitted"
    detail = live_server.url + reverse("suggestions:detail", args=[suggestion.pk])

    log_in(desk, live_server, staff)
    desk.goto(detail)
    press(desk, desk.get_by_role("button", name="受理并编号"))
    assign = panel(desk, "交办")
    assign.get_by_label("主办单位", exact=True).select_option(label=unit.name)
    press(desk, assign.get_by_role("button", name="交办"))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.number_label != "") == ("assigned", True)

    unit_desk = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    unit_desk.on("dialog", lambda dialog: dialog.accept())
    log_in(unit_desk, live_server, officer)
    unit_desk.goto(detail)
    press(unit_desk, unit_desk.get_by_role("button", name="确认签收"))
    reply(unit_desk, "经研究，我厅将在试点学校把课后服务延长至18时。")

    phone.goto(detail)
    feedback(phone, "不满意", "试点范围太小，请扩大到全省。")
    assert suggestion.assignments.get().status == "rehandling"

    unit_desk.goto(detail)
    reply(unit_desk, "已将课后服务延长扩大到全省所有公办中小学。")
    phone.goto(detail)
    feedback(phone, "满意")
    suggestion.refresh_from_db()
    assert suggestion.status == "closed"
    assert "已办结" in phone.content() or suggestion.get_status_display() in phone.content()
    unit_desk.context.close()

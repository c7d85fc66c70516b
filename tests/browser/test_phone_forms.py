"""Phone-first forms (issue 24), filled and submitted as a person would: co-signers found by name with their
region and unit, categories grouped under their headings, a summary of errors at the top of a refused form, one
way of writing dates with the browser's own date inputs, and confirmations that say what happened in the colour
of what happened."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from deputies.models import ElectoralUnit
from liaison_stations import services as station_services
from suggestions.models import Category, Feedback, Suggestion
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory, current_term
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions import factories as f

from .conftest import log_in, press
from .test_accessibility import AXE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RED = "rgb(253, 232, 232)"


def background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def congress_with_deputy():
    congress = core.CongressFactory()
    current_term(congress)
    return congress, f.deputy(congress)


def axe_violations(page) -> list[str]:
    """Serious or critical axe-core findings on the page as it stands (after the script changed it)."""
    if not AXE.exists():
        return []
    page.evaluate(AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']}: {v['help']}" for v in found if v["impact"] in ("serious", "critical")]


# Co-signers


def colleague(congress, name, region, unit):
    constituency = ElectoralUnit.objects.get_or_create(congress=congress, term=current_term(congress), name=region)[0]
    return MandateFactory(congress=congress, person=PersonFactory(name=name, work_unit=unit),
                          electoral_unit=constituency)  # fmt: skip


@pytest.mark.form_view("suggestions:new", "suggestions:cosigner_search")
def test_a_deputy_finds_co_signers_by_name_and_tells_namesakes_apart(live_server, phone):
    congress, mandate = congress_with_deputy()
    colleague(congress, "罗桂英", "天河区第一选区", "广州市第一中学校长")
    yuexiu = colleague(congress, "罗桂英", "越秀区第三选区", "越秀区人民医院护士长")
    xie = colleague(congress, "谢艳", "海珠区选区", "海珠区环卫站站长")
    for n in range(40):
        colleague(congress, f"同事{n}", "白云区选区", "")
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    assert phone.locator("select[name=cosigners]").is_hidden()  # the long list gives way to the search

    phone.get_by_label("按姓名查找联名代表").fill("桂英")
    results = phone.locator(".cosigner-results button")
    results.first.wait_for()
    assert results.all_inner_texts() == ["罗桂英天河区第一选区 · 广州市第一中学校长",
                                         "罗桂英越秀区第三选区 · 越秀区人民医院护士长"]  # fmt: skip
    assert "2" in phone.get_by_role("status").filter(has_text="位代表").inner_text()
    results.filter(has_text="越秀区").click()
    phone.get_by_label("按姓名查找联名代表").fill("谢艳")
    results.filter(has_text="谢艳").click()
    chips = phone.locator(".cosigner-chips .chip-label")
    assert chips.count() == 2
    assert axe_violations(phone) == []
    phone.get_by_role("button", name="移除 谢艳（海珠区选区 · 海珠区环卫站站长）").click()
    assert chips.all_inner_texts() == ["罗桂英（越秀区第三选区 · 越秀区人民医院护士长）"]

    phone.get_by_label("标题").fill("加强社区养老服务")
    press(phone, phone.get_by_role("button", name="保存草稿"))
    suggestion = Suggestion.objects.get(lead=mandate)
    assert [c.mandate_id for c in suggestion.cosigners.all()] == [yuexiu.pk]
    assert xie.pk not in [c.mandate_id for c in suggestion.cosigners.all()]
    # The edit page shows the chosen colleague again as a chip.
    assert chips.all_inner_texts() == ["罗桂英（越秀区第三选区 · 越秀区人民医院护士长）"]


# The summary of a refused form


PDF = {"name": "调研报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%report\n%%EOF\n"}
TEXT = {"name": "说明.txt", "mimeType": "text/plain", "buffer": "只是文字".encode()}


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] < page.viewport_size["height"]


@pytest.mark.form_view("suggestions:act")
def test_a_dissatisfied_rating_without_a_reason_is_summarised_at_the_top_of_the_screen(live_server, phone):
    congress, mandate = congress_with_deputy()
    staff = core.staff_of(congress)
    unit, officer = f.unit_with_officer(congress, name="省教育厅")
    suggestion = f.assigned(mandate, staff, unit)
    f.reply_to(suggestion.assignments.get(), officer)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:detail", args=[suggestion.pk]))
    form = phone.locator("details.panel", has=phone.locator("summary", has_text="对答复的反馈意见"))
    form.locator("summary").click()
    form.locator("fieldset", has_text="对办理结果的满意度").get_by_label("不满意", exact=True).check()
    form.locator("fieldset", has_text="对办理态度的满意度").get_by_label("基本满意", exact=True).check()
    press(phone, form.get_by_role("button", name="提交反馈"))

    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    assert summary.get_attribute("role") == "alert" and in_view(phone, summary)
    link = summary.get_by_role("link", name="意见说明：请说明不满意的原因，以便承办单位重新办理。")
    # What was chosen is still chosen.
    assert form.locator("fieldset", has_text="对办理结果的满意度").get_by_label("不满意", exact=True).is_checked()
    assert form.locator("fieldset", has_text="对办理态度的满意度").get_by_label("基本满意", exact=True).is_checked()
    link.click()
    expect(phone.locator("textarea[name=comment]")).to_be_focused()
    phone.locator("textarea[name=comment]").fill("课后服务仍未延长。")
    press(phone, form.get_by_role("button", name="提交反馈"))
    assert Feedback.objects.get().on_result == "dissatisfied"
    assert phone.locator(".error-summary").count() == 0


@pytest.mark.form_view("suggestions:new", "suggestions:edit")
def test_a_refused_suggestion_keeps_what_was_typed_and_says_what_becomes_of_the_files(live_server, phone, settings,
                                                                                     tmp_path):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    _congress, mandate = congress_with_deputy()
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    phone.get_by_label("标题").fill("加强中小学课后服务")
    phone.get_by_label("附件").set_input_files(TEXT)
    press(phone, phone.get_by_role("button", name="保存草稿"))
    summary = phone.locator(".error-summary")
    expect(summary).to_be_focused()
    assert in_view(phone, summary)
    assert "请在“附件”中重新选择" in summary.inner_text()
    assert summary.get_by_role("link").first.inner_text().startswith("附件：")
    assert phone.get_by_label("标题").input_value() == "加强中小学课后服务"

    # Submitted without content: refused, and the PDF chosen with it stays with the draft.
    phone.get_by_label("附件").set_input_files(PDF)
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    summary = phone.locator(".error-summary")
    expect(summary).to_contain_text("已上传： 调研报告.pdf")
    assert "重新选择" not in summary.inner_text()
    assert summary.get_by_role("link", name=re.compile("^内容：")).count() == 1
    assert phone.get_by_label("标题").input_value() == "加强中小学课后服务"
    assert [a.name for a in Suggestion.objects.get(lead=mandate).attachments.all()] == ["调研报告.pdf"]


# Categories


@pytest.mark.form_view("suggestions:new")
def test_a_deputy_picks_a_subcategory_under_its_heading(live_server, phone):
    congress, mandate = congress_with_deputy()
    education = Category.objects.create(congress=congress, name="教育", position=1)
    Category.objects.create(congress=congress, name="交通", position=0)
    compulsory = Category.objects.create(congress=congress, name="义务教育", parent=education, position=3)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("suggestions:new"))
    select = phone.get_by_label("类别")
    groups = select.locator("optgroup")
    assert groups.evaluate_all("groups => groups.map(g => g.label)") == ["教育"]
    assert groups.locator("option").all_inner_texts() == ["教育", "义务教育"]
    select.select_option(label="义务教育")
    phone.get_by_label("标题").fill("课后服务延时")
    press(phone, phone.get_by_role("button", name="保存草稿"))
    assert Suggestion.objects.get(lead=mandate).category == compulsory


# Dates


@pytest.mark.form_view("liaison_stations:desk")
def test_a_manager_plans_a_reception_day_with_the_browsers_date_and_time_inputs(live_server, desk):
    station, manager = managed_station()
    deputy, _user = stationed_deputy(station)
    day = timezone.localdate() + timedelta(days=7)
    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    form = desk.locator("form", has=desk.get_by_role("button", name="安排", exact=True))
    assert form.get_by_label("日期").get_attribute("type") == "date"
    assert form.get_by_label("开始时间").get_attribute("type") == "time"
    form.get_by_label("日期").fill(day.isoformat())
    form.get_by_label("开始时间").fill("09:00")
    form.get_by_label("结束时间").fill("08:00")  # before it starts: refused, what was typed stays
    form.get_by_label("值班代表").select_option(str(deputy.pk))
    press(desk, form.get_by_role("button", name="安排", exact=True))
    expect(desk.locator(".error-summary")).to_be_visible()
    assert form.get_by_label("日期").input_value() == day.isoformat()
    assert form.get_by_label("开始时间").input_value() == "09:00"
    form.get_by_label("结束时间").fill("11:30")
    form.get_by_label("值班代表").select_option(str(deputy.pk))
    press(desk, form.get_by_role("button", name="安排", exact=True))
    reception = station.receptions.get()
    assert (reception.date, reception.start_time, reception.end_time) == (day, time(9), time(11, 30))
    # The reception's page writes its date as every page does.
    expect(desk.get_by_role("heading", level=1)).to_contain_text(f"{day.isoformat()} 09:00–11:30")


# Confirmations


def _reception(station, manager, deputy, days_ahead, publish=True):
    reception = station_services.plan_reception(
        actor=manager, station_id=station.pk, day=timezone.localdate() + timedelta(days=days_ahead),
        start=time(9), end=time(12), mandate_ids=[deputy.pk],
    )  # fmt: skip
    if publish:
        station_services.publish_reception(actor=manager, reception_id=reception.pk)
    return reception


@pytest.mark.form_view("liaison_stations:reception")
def test_a_reception_to_come_offers_no_record_as_held_and_a_refusal_shows_red(live_server, desk):
    station, manager = managed_station()
    deputy, _user = stationed_deputy(station)
    coming = _reception(station, manager, deputy, days_ahead=5)
    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:reception", args=[coming.pk]))
    assert desk.get_by_role("heading", name="记录为已举行").count() == 0
    assert desk.get_by_role("button", name="记录", exact=True).count() == 0
    assert coming.date.isoformat() in desk.locator("main").inner_text()

    # Another manager publishes the planned day while this page is open: pressing 发布 is refused.
    planned = _reception(station, manager, deputy, days_ahead=6, publish=False)
    desk.goto(live_server.url + reverse("liaison_stations:reception", args=[planned.pk]))
    station_services.publish_reception(actor=manager, reception_id=planned.pk)
    press(desk, desk.get_by_role("button", name="发布"))
    refusal = desk.locator(".messages li")
    assert refusal.get_attribute("role") == "alert"
    assert "error" in refusal.get_attribute("class")
    assert background(refusal) == RED

"""Phone-first forms (issue 24), filled and submitted as a person would: co-signers found by name with their
region and unit, categories grouped under their headings, a summary of errors at the top of a refused form, one
way of writing dates with the browser's own date inputs, and confirmations that say what happened in the colour
of what happened."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import ElectoralUnit
from liaison_stations import services as station_services
from suggestions.models import Category, Suggestion
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

"""Phone-first forms (issue 24), filled and submitted as a person would: co-signers found by name with their
region and unit, categories grouped under their headings, a summary of errors at the top of a refused form, one
way of writing dates with the browser's own date inputs, and confirmations that say what happened in the colour
of what happened."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison_stations import services as station_services
from suggestions.models import Category, Suggestion
from tests import factories as core
from tests.deputies.factories import current_term
from tests.liaison_stations.factories import managed_station, stationed_deputy
from tests.suggestions import factories as f

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RED = "rgb(253, 232, 232)"


def background(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")


def congress_with_deputy():
    congress = core.CongressFactory()
    current_term(congress)
    return congress, f.deputy(congress)


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

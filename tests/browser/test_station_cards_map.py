"""The public station directory as a citizen sees it: cards on a phone (a station's name on one line, not one
character a line), a table on a desk; a map without tiles that clusters nearby stations, credits no flag and lists
the stations by region; and a filter by the region's name, not its division code."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import factories as core
from tests.liaison_stations.factories import StationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "天河区五山街道人大代表联络站"


@pytest.fixture
def stations():
    tianhe = core.CongressFactory(region=core.county("440106", "天河区"))
    nanshan = core.CongressFactory(region=core.county("440305", "南山区"))
    near = [StationFactory(name=NAME if n == 0 else f"天河区第{n}社区联络站", congress=tianhe,
                           latitude=Decimal("23.15") + Decimal(n) / 1000, longitude=Decimal("113.34"))
            for n in range(5)]  # fmt: skip
    far = StationFactory(name="南山区粤海街道人大代表联络站", congress=nanshan, latitude=Decimal("22.53"),
                         longitude=Decimal("113.93"))  # fmt: skip
    return near, far


def directory(page, live_server):
    page.goto(live_server.url + reverse("liaison_stations:directory"))
    page.wait_for_selector(".station-map .leaflet-marker-icon, .station-map path.leaflet-interactive")


def test_a_phone_shows_each_station_as_a_card(live_server, phone, stations):
    directory(phone, live_server)
    name = phone.locator("table.station-list").get_by_role("link", name=NAME)
    assert name.bounding_box()["width"] > 100  # the name reads along a line
    cells = phone.locator("table.station-list tbody tr").first.locator("td")
    assert cells.nth(1).bounding_box()["y"] > cells.nth(0).bounding_box()["y"]  # stacked, not side by side
    label = cells.nth(2).evaluate("td => getComputedStyle(td, '::before').content")
    assert "地址" in label  # each value says what it is, as the hidden header did


def test_a_desk_shows_the_stations_as_a_table(live_server, desk, stations):
    directory(desk, live_server)
    assert desk.locator("table.station-list thead").is_visible()
    row = desk.locator("table.station-list tbody tr").first.bounding_box()
    assert row["height"] < 80  # one line a station


def test_the_map_clusters_nearby_stations_and_credits_no_flag(live_server, desk, stations):
    directory(desk, live_server)
    cluster = desk.locator(".station-cluster")
    assert cluster.count() == 1 and cluster.inner_text() == "5"
    circle, number = cluster.bounding_box(), cluster.locator("span").bounding_box()
    assert abs((circle["x"] + circle["width"] / 2) - (number["x"] + number["width"] / 2)) < 3  # the number centred
    assert desk.locator(".station-map path.leaflet-interactive").count() == 1  # the far station on its own
    assert "🇺🇦" not in desk.locator(".station-map").inner_text()
    assert desk.get_by_text("未配置底图").is_visible()
    cluster.click()
    desk.wait_for_function("document.querySelectorAll('.station-map path.leaflet-interactive').length > 1")


def test_without_tiles_the_stations_are_listed_by_region(live_server, phone, stations):
    directory(phone, live_server)
    regions = phone.get_by_role("navigation", name="按区域查看联络站")
    assert "天河区" in regions.inner_text() and "南山区" in regions.inner_text()
    with phone.expect_navigation():
        regions.get_by_role("link", name="南山区").click()
    assert phone.locator("table.station-list tbody tr").count() == 1


@pytest.mark.form_view("liaison_stations:directory")
def test_a_citizen_filters_the_stations_by_region_name(live_server, phone, stations):
    directory(phone, live_server)
    form = phone.locator("form.filters")
    form.get_by_label("行政区域").fill("南山区")
    with phone.expect_navigation():
        form.get_by_role("button", name="筛选").click()
    rows = phone.locator("table.station-list tbody tr")
    assert rows.count() == 1 and "南山区粤海街道" in rows.first.inner_text()

    form.get_by_label("行政区域").fill("火星区")
    with phone.expect_navigation():
        form.get_by_role("button", name="筛选").click()
    assert phone.get_by_text("没有位于“火星区”的联络站").is_visible()

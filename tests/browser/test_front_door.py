"""A citizen on a phone starts at the front door: finds the station of their district, and follows an opinion
with its tracking code from the home page's own form."""

import pytest

from liaison_stations import services
from tests.liaison_stations.factories import StationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_citizen_finds_a_station_by_district_and_follows_an_opinion(live_server, phone):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    opinion = services.submit_opinion(station=station, phone="13912345678", category="urban",
                                      content="五山路口的路灯坏了一个月。")  # fmt: skip

    phone.goto(live_server.url + "/")
    finder = phone.locator("section.tile", has_text="找联络站")
    finder.get_by_label("区县、街道或站点名称").fill("天河")
    with phone.expect_navigation():
        finder.get_by_role("button", name="搜索").click()
    phone.get_by_role("link", name=station.name).first.click()
    assert station.name in phone.locator("h1").inner_text()

    phone.goto(live_server.url + "/")
    tracker = phone.locator("section.tile", has_text="查询意见办理进展")
    tracker.get_by_label("查询码").fill(opinion.tracking_code)
    tracker.get_by_label("手机号码后四位").fill("5678")
    with phone.expect_navigation():
        tracker.get_by_role("button", name="查询").click()
    assert opinion.tracking_code in phone.locator("h2").inner_text()

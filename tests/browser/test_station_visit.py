"""A deputy, on a phone, records a station visit: by scanning the station's QR code, and from the portal when
stationed at one station. Both forms carry their only choices in hidden fields that must arrive filled."""

import pytest
from django.urls import reverse

from liaison_stations.models import Visit
from tests.liaison_stations.factories import StationFactory, stationed_deputy

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def record(page, citizens: str, topics: str):
    page.get_by_label("接待群众人数").fill(citizens)
    page.get_by_label("议题").fill(topics)
    press(page, page.get_by_role("button", name="记录"))


@pytest.mark.form_view("liaison_stations:check_in")
def test_a_deputy_scans_the_station_qr_code_and_records_the_visit(live_server, phone):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    mandate, user = stationed_deputy(station)
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:check_in", args=[station.slug]))
    record(phone, "3", "老旧小区加装电梯")
    assert "该字段是必填项" not in phone.content()
    visit = Visit.objects.get()
    assert (visit.station, visit.mandate, visit.channel, visit.citizens_received) == (station, mandate, "qr", 3)
    assert phone.url == live_server.url + reverse("liaison_stations:mine")


@pytest.mark.form_view("liaison_stations:check_in_portal")
def test_a_deputy_stationed_at_one_station_records_a_visit_from_the_portal(live_server, phone):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    mandate, user = stationed_deputy(station)
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:check_in_portal"))
    record(phone, "0", "")
    visit = Visit.objects.get()
    assert (visit.station, visit.mandate, visit.channel) == (station, mandate, "portal")


@pytest.mark.form_view("liaison_stations:check_in_portal")
def test_a_deputy_stationed_at_two_stations_chooses_one_on_the_portal(live_server, phone):
    first = StationFactory(name="天河区五山街道人大代表联络站")
    second = StationFactory(name="天河区石牌街道人大代表联络站", congress=first.congress)
    mandate, user = stationed_deputy(first)
    second.stationings.create(mandate=mandate, start_date=mandate.start_date)
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:check_in_portal"))
    phone.get_by_label("家站点").select_option(label="天河区石牌街道人大代表联络站")
    phone.get_by_label("活动类型").select_option(label="调研")
    record(phone, "5", "社区养老服务")
    visit = Visit.objects.get()
    assert (visit.station, visit.activity, visit.topics) == (second, "research", "社区养老服务")

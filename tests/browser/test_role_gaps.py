"""Gaps in the work of each role (issue 24), as a person fills the forms: a station manager records a deputy present
at a held reception day and the deputy confirms it on a phone; a unit officer reveals a deputy's phone to call
them."""

import pytest
from django.urls import reverse

from liaison_stations import services
from liaison_stations.models import Attendance, Visit
from tests.liaison_stations.factories import held_reception, managed_station, stationed_deputy

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("liaison_stations:mark_present")
def test_a_station_manager_records_a_deputy_present_at_a_held_reception(live_server, desk):
    station, manager = managed_station(name="天河区五山街道人大代表联络站")
    mandate, _user = stationed_deputy(station, person__name="林晓梅")
    reception = held_reception(station)
    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:reception", args=[reception.pk]))
    desk.get_by_role("link", name="登记出席代表").click()
    desk.get_by_label("林晓梅", exact=False).check()
    press(desk, desk.get_by_role("button", name="登记为出席"))
    assert "已登记1名代表出席" in desk.content()
    attendance = Attendance.objects.get()
    assert (attendance.mandate, attendance.status) == (mandate, "pending")
    assert not Visit.objects.exists()


@pytest.mark.form_view("liaison_stations:answer_attendance")
def test_a_deputy_confirms_on_a_phone_the_attendance_a_manager_recorded(live_server, phone):
    station, manager = managed_station(name="天河区五山街道人大代表联络站")
    mandate, user = stationed_deputy(station)
    reception = held_reception(station)
    services.mark_present(actor=manager, reception_id=reception.pk, mandate_ids=[mandate.pk])
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:mine"))
    assert "待确认的接待日出席" in phone.content()
    press(phone, phone.get_by_role("button", name="我已出席"))
    assert "已确认" in phone.content()
    assert Visit.objects.get().mandate == mandate
    assert "待确认的接待日出席" not in phone.content()


@pytest.mark.form_view("liaison_stations:answer_attendance")
def test_a_deputy_says_on_a_phone_they_were_not_present(live_server, phone):
    station, manager = managed_station()
    mandate, user = stationed_deputy(station)
    reception = held_reception(station)
    services.mark_present(actor=manager, reception_id=reception.pk, mandate_ids=[mandate.pk])
    log_in(phone, live_server, user)
    phone.goto(live_server.url + reverse("liaison_stations:mine"))
    press(phone, phone.get_by_role("button", name="我未出席"))
    assert Attendance.objects.get().status == "declined"
    assert not Visit.objects.exists()

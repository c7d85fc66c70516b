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


@pytest.mark.form_view("suggestions:reveal_deputy_phone")
def test_a_unit_officer_reveals_the_deputys_phone_to_call_them(live_server, desk):
    from auditlog.models import LogEntry

    from tests import factories as core
    from tests.deputies.factories import current_term
    from tests.suggestions import factories as f

    congress = core.CongressFactory()
    current_term(congress)
    mandate = f.deputy(congress, phone="13812341234", preferred_contact="phone")
    unit, officer = f.unit_with_officer(congress, "省交通运输厅")
    suggestion = f.assigned(mandate, core.staff_of(congress), unit)
    log_in(desk, live_server, officer)
    desk.goto(live_server.url + reverse("suggestions:detail", args=[suggestion.pk]))
    contact = desk.locator("[data-deputy-contact]")
    assert "138****1234" in contact.inner_text()
    assert "13812341234" not in desk.content()
    press(desk, contact.get_by_role("button", name="显示完整号码"))
    assert desk.get_by_role("link", name="拨打 13812341234").get_attribute("href") == "tel:13812341234"
    assert LogEntry.objects.filter(actor=officer, additional_data__action="view_personal_data").count() == 1

"""The stations console: opinion lists filtered as staff think (station, region, overdue), a reminder to whoever
owes the next step, and the ledger's columns in the export."""

import io
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone
from openpyxl import load_workbook

from congress.models import ConsoleJob, Deadline, Notification
from liaison_stations import services

from .factories import StationFactory

pytestmark = pytest.mark.django_db

OPINIONS = "/console/liaison_stations/citizenopinion/"


def submit(station, content="公交站台没有遮雨棚。"):
    return services.submit_opinion(station=station, phone="13912345678", category="urban", content=content)


def _codes(response):
    return {opinion.tracking_code for opinion in response.context["cl"].result_list}


def test_opinion_list_filters_by_station(client, station, staff):
    here = submit(station)
    submit(StationFactory(congress=station.congress))
    client.force_login(staff)
    assert _codes(client.get(OPINIONS, {"station__id__exact": station.pk})) == {here.tracking_code}


def test_opinion_list_filters_by_region_and_below(client, station, staff):
    opinion = submit(station)
    client.force_login(staff)
    assert _codes(client.get(OPINIONS, {"region": station.region_code[:4]})) == {opinion.tracking_code}
    assert _codes(client.get(OPINIONS, {"region": "440105"})) == set()


def test_opinion_list_filters_overdue(client, station, staff):
    late, fresh = submit(station, "路灯坏了一个月。"), submit(station)
    yesterday = timezone.localdate() - timedelta(days=1)
    Deadline.objects.filter(object_id=late.pk).update(start_date=yesterday - timedelta(days=5), due_date=yesterday)
    client.force_login(staff)
    assert _codes(client.get(OPINIONS, {"overdue": "yes"})) == {late.tracking_code}
    assert _codes(client.get(OPINIONS, {"overdue": "no"})) == {fresh.tracking_code}


def test_remind_action_tells_the_referred_units_officers(client, station, manager, staff, unit, officer):
    opinion = submit(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    client.force_login(staff)
    client.post(OPINIONS, {"action": "remind_selected", "index": 0, ACTION_CHECKBOX_NAME: [opinion.pk]})
    assert Notification.objects.filter(recipient=officer, key__contains=":asked:").count() == 1


def test_export_writes_the_ledger_with_phones_masked(
    client, station, staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    opinion = submit(station)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(OPINIONS, {"action": "export_selected", "index": 0, ACTION_CHECKBOX_NAME: [opinion.pk]})
    with ConsoleJob.objects.get().file.open("rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert (rows[1][0], rows[1][6]) == (opinion.tracking_code, "139****5678")


def test_a_long_ledger_export_goes_to_a_background_job(client, station, staff, monkeypatch):
    from congress import exports

    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    submit(station)
    submit(station, "路灯坏了一个月。")
    client.force_login(staff)
    response = client.get("/stations/ledger.xlsx")
    assert response.url == f"/console/congress/consolejob/{ConsoleJob.objects.get().pk}/change/"


def test_a_station_manager_gets_the_ledger_file_however_long(client, station, manager, monkeypatch):
    from congress import exports

    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    submit(station)
    submit(station, "路灯坏了一个月。")
    client.force_login(manager)
    response = client.get("/stations/ledger.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")

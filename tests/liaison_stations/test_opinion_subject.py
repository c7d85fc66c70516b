"""Every list of citizens' opinions names what each is about, not only its tracking code."""

import pytest
from django.urls import reverse

from liaison_stations import services
from liaison_stations.models import CitizenOpinion

from .factories import stationed_deputy

pytestmark = pytest.mark.django_db

CONTENT = "小区门口路灯坏了两个月，晚上出行很危险。\n希望尽快修复。"
SUBJECT = "小区门口路灯坏了两个月，晚上出行很危险。"


def opinion_at(station, content=CONTENT):
    return services.submit_opinion(station=station, phone="13912345678", category="urban", content=content)


def test_subject_is_the_first_line_of_the_opinion():
    assert CitizenOpinion(content="\n  " + CONTENT).subject == SUBJECT


def test_a_long_first_line_is_cut_to_the_subject_length():
    subject = CitizenOpinion(content="路" * 100).subject
    assert len(subject) == CitizenOpinion.SUBJECT_LENGTH
    assert subject.endswith("…")


def test_ledger_shows_each_opinions_subject(client, station, manager):
    opinion_at(station)
    client.force_login(manager)
    assert SUBJECT in client.get(reverse("liaison_stations:ledger")).content.decode()


def test_station_desk_shows_each_opinions_subject(client, station, manager):
    opinion_at(station)
    client.force_login(manager)
    assert SUBJECT in client.get(reverse("liaison_stations:desk", args=[station.pk])).content.decode()


def test_units_referral_list_shows_each_opinions_subject(client, station, manager, unit, officer):
    opinion = opinion_at(station)
    services.triage(actor=manager, opinion_id=opinion.pk, route="referred", unit_id=unit.pk)
    client.force_login(officer)
    assert SUBJECT in client.get(reverse("liaison_stations:referrals")).content.decode()


def test_deputys_own_page_shows_the_subject_of_opinions_for_them(client, station):
    mandate, user = stationed_deputy(station)
    qr = services.qr_code_for(actor=user, mandate=mandate)
    services.submit_opinion(qr=qr, phone="13912345678", category="urban", content=CONTENT)
    client.force_login(user)
    assert SUBJECT in client.get(reverse("liaison_stations:mine")).content.decode()


def test_console_opinion_list_shows_each_opinions_subject(admin_client, station):
    opinion_at(station)
    response = admin_client.get(reverse("admin:liaison_stations_citizenopinion_changelist"))
    assert SUBJECT in response.content.decode()

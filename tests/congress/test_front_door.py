"""The public front door: an anonymous visitor finds a station by district, follows an opinion, reads the published
suggestions, sees the open votes and finds the deputies of a district; a signed-in user keeps their own page."""

import pytest
from django.urls import reverse

from tests import factories
from tests.deputies.factories import MandateFactory
from tests.liaison_stations.factories import StationFactory

pytestmark = pytest.mark.django_db


def test_the_front_door_offers_each_public_service(client):
    body = client.get(reverse("home")).content.decode()
    for title in ("找联络站", "提出意见", "查询意见办理进展", "建议及答复", "公众投票", "您的代表"):
        assert title in body, title


def test_a_station_is_found_by_the_name_of_its_district(client):
    tianhe = StationFactory(name="五山街道人大代表联络站")  # in 天河区
    nanshan = factories.CongressFactory(region=factories.county("440305", "南山区"))
    StationFactory(name="粤海街道人大代表联络站", congress=nanshan)
    body = client.get(reverse("liaison_stations:directory"), {"q": "天河"}).content.decode()
    assert tianhe.name in body
    assert "粤海街道人大代表联络站" not in body


def test_the_deputies_of_a_district_are_listed_without_personal_data(client):
    mandate = MandateFactory()
    person = mandate.person
    body = client.get(reverse("deputies:public_roster"), {"q": mandate.congress.region.name}).content.decode()
    assert person.name in body
    for private in (person.id_number, person.phone):
        if private:
            assert private not in body


def test_a_signed_in_user_keeps_their_own_landing_page(client):
    client.force_login(factories.staff_of(factories.CongressFactory()))
    assert client.get(reverse("home")).templates[0].name == "congress/home.html"


def test_the_front_door_tiles_list_no_dictionary_keys(client):
    body = client.get("/").content.decode()
    assert ">order</a>" not in body and ">title</a>" not in body

"""Accounts and persons carry no region of their own, so what a congress may name of them is told by where they
act or sit: a station's managers, a round's voters and a course's audience groups belong to the congress's region
tree; a new seat goes to a person seated in that tree or nowhere yet (docs/security.md, foreign references)."""

from datetime import date

import pytest

from congress import scope
from congress.errors import RuleViolation
from congress.models import Role, RoleMembership
from deputies import services as roster
from deputies.models import DeputyGroup, Mandate
from liaison_stations import services as stations
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory, current_term
from tests.liaison_stations.factories import StationFactory
from training import services as training
from training.models import Course

pytestmark = pytest.mark.django_db


@pytest.fixture
def tianhe():
    return core.CongressFactory(region=core.county("440106", "天河区"))


@pytest.fixture
def yuexiu():
    return core.CongressFactory(region=core.county("440104", "越秀区"))


@pytest.fixture
def guangzhou():
    return core.CongressFactory(region=core.city("4401", "广州市"))


def test_people_of_a_county_are_its_own_those_above_and_fresh_accounts(tianhe, yuexiu, guangzhou):
    own, above, fresh = core.staff_of(tianhe), core.staff_of(guangzhou), core.UserFactory()
    assert set(scope.people_of("440106").filter(pk__in=[own.pk, above.pk, fresh.pk])) == {own, above, fresh}


def test_a_sibling_countys_staff_and_an_integration_client_are_not_people_of_a_county(tianhe, yuexiu):
    sibling, client = core.staff_of(yuexiu), core.UserFactory()
    RoleMembership.objects.create(user=client, role=Role.INTEGRATION_CLIENT, congress=tianhe)
    assert not scope.people_of("440106").filter(pk__in=[sibling.pk, client.pk]).exists()


def test_a_station_cannot_be_given_a_sibling_countys_staff_as_manager(tianhe, yuexiu):
    station, sibling = StationFactory(congress=tianhe, region=tianhe.region), core.staff_of(yuexiu)
    with pytest.raises(RuleViolation) as refused:
        stations.save_station(actor=core.staff_of(tianhe), station=station, managers=[sibling])
    assert "managers" in refused.value.fields
    assert not station.managers.exists()
    assert not RoleMembership.objects.filter(user=sibling, congress=tianhe).exists()


def test_a_fresh_account_becomes_a_stations_manager_with_the_role(tianhe):
    station, fresh = StationFactory(congress=tianhe, region=tianhe.region), core.UserFactory()
    stations.save_station(actor=core.staff_of(tianhe), station=station, managers=[fresh])
    assert list(station.managers.all()) == [fresh]
    assert RoleMembership.objects.filter(user=fresh, role=Role.STATION_MANAGER, congress=tianhe).exists()


def test_a_course_cannot_name_another_congresses_deputy_group(tianhe, yuexiu):
    term = current_term(yuexiu)
    group = DeputyGroup.objects.create(congress=yuexiu, term=term, name="越秀区教育代表小组")
    course = Course(
        congress=tianhe, title="履职培训", kind="induction", mode="offline", place="区人大会议室", capacity=20
    )
    with pytest.raises(RuleViolation) as refused:
        training.save_course(actor=core.staff_of(tianhe), course=course, groups=[group])
    assert "audience_groups" in refused.value.fields
    assert not Course.objects.filter(title="履职培训").exists()


def _seat(congress):
    return Mandate(congress=congress, term=current_term(congress), start_date=date(2026, 6, 1))


def test_a_county_cannot_seat_a_person_who_sits_in_a_sibling_county(tianhe, yuexiu):
    theirs = MandateFactory(congress=yuexiu).person
    seat = _seat(tianhe)
    seat.person = theirs
    with pytest.raises(RuleViolation) as refused:
        roster.save_mandate(actor=core.staff_of(tianhe), mandate=seat)
    assert "person" in refused.value.fields
    assert theirs.mandates.count() == 1


def test_a_county_seats_a_deputy_of_the_city_above_it_or_a_new_person(tianhe, guangzhou):
    staff = core.staff_of(tianhe)
    for person in (MandateFactory(congress=guangzhou).person, PersonFactory()):
        seat = _seat(tianhe)
        seat.person = person
        roster.save_mandate(actor=staff, mandate=seat)
        assert person.mandates.filter(congress=tianhe).exists()

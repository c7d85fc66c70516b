from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congress import scope
from congress.errors import Forbidden, RuleViolation
from congress.models import Notification, Role, RoleMembership
from deputies.models import Mandate
from liaison_stations import selectors, services
from liaison_stations.models import CitizenOpinion, Reception, Station, Stationing
from tests import factories
from tests.deputies.factories import MandateFactory

from .factories import StationFactory, managed_station, stationed_deputy

pytestmark = pytest.mark.django_db


def test_staff_add_a_station_and_its_manager_gets_the_role(staff):
    congress = scope.memberships(staff)[0].congress
    manager = factories.UserFactory()
    station = Station(name="石牌联络站", kind="station", tier="central", congress=congress, region=congress.region,
                      address="石牌东路1号")  # fmt: skip
    services.save_station(actor=staff, station=station, managers=[manager])
    assert RoleMembership.objects.filter(user=manager, role=Role.STATION_MANAGER, congress=congress).exists()
    assert station.region_code == congress.region.code


def test_staff_of_another_congress_cannot_change_a_station(station):
    other = factories.staff_of(factories.CongressFactory(region=factories.county("440305", "南山区")))
    station.name = "改名"
    with pytest.raises(Forbidden):
        services.save_station(actor=other, station=station)


def test_offline_station_needs_an_address_named_beside_its_field(station):
    station.address = ""
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert error.value.message_dict == {"address": ["供群众来访的家站点须填写地址。"]}


def test_online_station_needs_its_web_address(station):
    station.kind, station.address = "online", ""
    with pytest.raises(ValidationError) as error:
        station.full_clean()
    assert "online_url" in error.value.message_dict


def test_coverage_lists_live_deputies_stationed_nowhere(station, staff):
    stationed, _ = stationed_deputy(station)
    missing = MandateFactory(congress=station.congress)
    assert list(selectors.unstationed(staff)) == [missing]


def test_region_stationing_stations_only_the_unstationed(station, staff):
    stationed_deputy(station)
    MandateFactory.create_batch(3, congress=station.congress)
    added = services.station_region(actor=staff, station_id=station.pk, region_code=station.region_code)
    assert added == 3
    assert not selectors.unstationed(staff).exists()
    assert services.station_region(actor=staff, station_id=station.pk, region_code=station.region_code) == 0


def test_ended_stationing_is_kept_as_history(station, manager):
    mandate, _ = stationed_deputy(station)
    stationing = Stationing.objects.get(mandate=mandate)
    services.end_stationing(actor=manager, stationing_id=stationing.pk)
    assert Stationing.objects.get(pk=stationing.pk).end_date == timezone.localdate()
    assert selectors.unstationed(factories.staff_of(station.congress)).filter(pk=mandate.pk).exists()


def test_reception_published_too_late_is_refused(station, manager):
    mandate, _ = stationed_deputy(station)
    reception = services.plan_reception(
        actor=manager,
        station_id=station.pk,
        day=timezone.localdate() + timedelta(days=1),
        start=time(9),
        end=time(12),
        mandate_ids=[mandate.pk],
    )
    with pytest.raises(RuleViolation) as error:
        services.publish_reception(actor=manager, reception_id=reception.pk)
    assert "date" in error.value.fields


def test_published_reception_tells_the_deputies_once(station, manager, django_capture_on_commit_callbacks):
    mandate, user = stationed_deputy(station)
    reception = services.plan_reception(
        actor=manager,
        station_id=station.pk,
        day=timezone.localdate() + timedelta(days=3),
        start=time(9),
        end=time(12),
        mandate_ids=[mandate.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_reception(actor=manager, reception_id=reception.pk)
    assert Notification.objects.filter(recipient=user).count() == 1
    assert Reception.objects.get(pk=reception.pk).status == "published"


def test_cancelling_a_published_reception_tells_the_deputies_and_a_planned_one_does_not(
    station, manager, django_capture_on_commit_callbacks
):
    mandate, user = stationed_deputy(station)
    day = timezone.localdate() + timedelta(days=3)
    published, planned = (
        services.plan_reception(actor=manager, station_id=station.pk, day=day, start=time(9), end=time(12),
                                mandate_ids=[mandate.pk])
        for _ in range(2)
    )  # fmt: skip
    services.publish_reception(actor=manager, reception_id=published.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_reception(actor=manager, reception_id=published.pk, reason="台风")
        services.cancel_reception(actor=manager, reception_id=planned.pk)
    assert list(Notification.objects.filter(recipient=user).values_list("key", flat=True)) == [
        f"reception:{published.pk}:cancelled"
    ]
    assert set(Reception.objects.filter(pk__in=[published.pk, planned.pk]).values_list("status", flat=True)) == {
        "cancelled"
    }


def test_reception_needs_a_deputy_on_duty(station, manager):
    with pytest.raises(RuleViolation):
        services.plan_reception(actor=manager, station_id=station.pk, day=timezone.localdate() + timedelta(days=5),
                                start=time(9), end=time(12), mandate_ids=[])  # fmt: skip


def test_manager_sees_only_their_stations_opinions(station, manager):
    other, _ = managed_station()
    services.submit_opinion(station=station, phone="13912345678", category="urban", content="一")
    services.submit_opinion(station=other, phone="13912345679", category="urban", content="二")
    assert list(scope.visible(manager, CitizenOpinion).values_list("content", flat=True)) == ["一"]


def test_unit_officer_sees_only_opinions_referred_to_them(station, manager, unit, officer):
    mine = services.submit_opinion(station=station, phone="13912345678", category="urban", content="一")
    services.submit_opinion(station=station, phone="13912345679", category="urban", content="二")
    services.triage(actor=manager, opinion_id=mine.pk, route="referred", unit_id=unit.pk)
    assert list(scope.visible(officer, CitizenOpinion)) == [mine]


def test_staff_of_another_county_see_no_opinion(station):
    services.submit_opinion(station=station, phone="13912345678", category="urban", content="一")
    other = factories.staff_of(factories.CongressFactory(region=factories.county("440305", "南山区")))
    assert not scope.visible(other, CitizenOpinion).exists()


def test_star_rating_weights_the_checklist(station, staff):
    from liaison_stations.models import RatingCriterion

    big = RatingCriterion.objects.create(congress=station.congress, name="场所", weight=75)
    small = RatingCriterion.objects.create(congress=station.congress, name="台账", weight=25)
    rating = services.evaluate_station(
        actor=staff, station_id=station.pk, year=2025, scores={big.pk: 100, small.pk: 60}
    )
    assert str(rating.score) == "90.00"
    assert rating.stars == 5
    assert Station.objects.get(pk=station.pk).stars == 5


def test_star_rating_needs_every_criterion(station, staff):
    from liaison_stations.models import RatingCriterion

    first = RatingCriterion.objects.create(congress=station.congress, name="场所", weight=50)
    RatingCriterion.objects.create(congress=station.congress, name="台账", weight=50)
    with pytest.raises(RuleViolation):
        services.evaluate_station(actor=staff, station_id=station.pk, year=2025, scores={first.pk: 90})


def test_mandate_is_listed_once_per_station(station):
    mandate, _ = stationed_deputy(station)
    assert list(selectors.stationed(station)) == [mandate]
    assert Mandate.objects.filter(pk=mandate.pk).exists()
    assert StationFactory  # the factory builds stations of a county congress by default

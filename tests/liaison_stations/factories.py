from decimal import Decimal

import factory

from congress.models import Role, RoleMembership
from liaison_stations.models import Station, Stationing
from tests import factories as core
from tests.deputies.factories import MandateFactory


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"第{n}代表联络站")
    kind = "station"
    tier = "central"
    congress = factory.LazyFunction(lambda: core.CongressFactory(region=core.county()))
    region = factory.LazyAttribute(lambda o: o.congress.region)
    address = "五山路371号"
    latitude = Decimal("23.15")
    longitude = Decimal("113.34")


def managed_station(**kwargs):
    """A station with its manager (a user holding the station-manager role)."""
    station = StationFactory(**kwargs)
    manager = core.UserFactory()
    station.managers.add(manager)
    RoleMembership.objects.create(user=manager, role=Role.STATION_MANAGER, congress=station.congress)
    return station, manager


def stationed_deputy(station, **kwargs):
    """A deputy of the station's congress with a login, stationed at the station."""
    user = core.UserFactory()
    mandate = MandateFactory(congress=station.congress, person__user=user, **kwargs)
    RoleMembership.objects.create(user=user, role=Role.DEPUTY, congress=station.congress)
    Stationing.objects.create(station=station, mandate=mandate, start_date=mandate.start_date)
    return mandate, user


def held_reception(station, deputies=(), day=None, **kwargs):
    """A reception day already recorded as held (on a past date, which the planning service refuses)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from liaison_stations.models import Reception, ReceptionStatus

    reception = Reception.objects.create(
        station=station, date=day or timezone.localdate() - timedelta(days=2), start_time=time(9), end_time=time(12),
        topic=kwargs.pop("topic", "老旧小区加装电梯"), status=ReceptionStatus.HELD, published_at=timezone.now(),
        citizens_received=kwargs.pop("citizens_received", 6), **kwargs,
    )  # fmt: skip
    reception.deputies.set(deputies)
    return reception

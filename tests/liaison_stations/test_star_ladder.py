"""The star ladder (星级): 90, 80, 70, 60 and 50 points give five to one stars; under 50 a station gets none."""

from decimal import Decimal

import pytest

from congress import services as core_services
from liaison_stations import services
from liaison_stations.models import RatingCriterion, Station
from liaison_stations.services.ratings import stars_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("score", "stars"),
    [("90", 5), ("89.99", 4), ("80", 4), ("70", 3), ("60", 2), ("59.99", 1), ("50", 1), ("49.99", 0), ("0", 0)],
)
def test_default_ladder(station, score, stars):
    assert stars_for(Decimal(score), station.congress) == stars


def test_one_star_floor_follows_the_congress_policy(station, staff):
    core_services.set_policy(actor=staff, congress=station.congress, key="station.star_1_score", value=30)
    assert stars_for(Decimal("30"), station.congress) == 1
    assert stars_for(Decimal("29.99"), station.congress) == 0


def test_a_station_under_the_floor_is_rated_without_a_star(station, staff):
    RatingCriterion.objects.filter(congress=station.congress).update(is_active=False)
    only = RatingCriterion.objects.create(congress=station.congress, name="唯一一项", weight=100)
    rating = services.evaluate_station(actor=staff, station_id=station.pk, year=2025, scores={only.pk: 40})
    assert rating.stars == 0
    assert Station.objects.get(pk=station.pk).stars == 0

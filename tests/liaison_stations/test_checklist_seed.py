"""Every congress has the spec's star-rating checklist (fixed site and sign, posted rules and duty roster, regular
activities, records kept, results) from the start, not only the demo's; staff change it afterwards."""

import importlib

import pytest
from django.apps import apps as global_apps

from congress import services as core_services
from congress.models import Congress
from liaison_stations import services
from liaison_stations.models import RatingCriterion
from tests import factories as core

pytestmark = pytest.mark.django_db

SPEC = ["固定场所和标识牌", "制度、职责和值班表上墙", "定期开展接待和活动", "台账资料完整规范", "意见办理和反馈成效"]


def names(congress):
    return list(RatingCriterion.objects.filter(congress=congress).order_by("position").values_list("name", flat=True))


def test_a_congress_created_in_the_console_has_the_checklist():
    admin = core.UserFactory(is_superuser=True, is_staff=True)
    congress = core_services.save_reference(actor=admin, obj=Congress(region=core.county(), name="天河区人民代表大会"))
    assert names(congress) == SPEC
    assert sum(RatingCriterion.objects.filter(congress=congress).values_list("weight", flat=True)) == 100


def test_a_station_of_a_new_congress_can_be_rated_at_once():
    admin = core.UserFactory(is_superuser=True, is_staff=True)
    congress = core_services.save_reference(actor=admin, obj=Congress(region=core.county(), name="天河区人民代表大会"))
    from .factories import StationFactory

    station = StationFactory(congress=congress)
    scores = {c.pk: 95 for c in RatingCriterion.objects.filter(congress=congress)}
    assert services.evaluate_station(actor=admin, station_id=station.pk, year=2025, scores=scores).stars == 5


def test_a_congress_keeps_its_own_checklist():
    congress = core.CongressFactory()
    RatingCriterion.objects.create(congress=congress, name="本地标准", weight=100)
    assert services.seed_checklist(congress) == 0
    assert names(congress) == ["本地标准"]


def test_the_migration_gives_existing_congresses_the_checklist():
    bare, own = core.CongressFactory(), core.CongressFactory(region=core.county())
    RatingCriterion.objects.create(congress=own, name="本地标准", weight=100)
    migration = importlib.import_module("liaison_stations.migrations.0008_standard_rating_checklist")
    migration.seed(global_apps, None)
    assert names(bare) == SPEC
    assert names(own) == ["本地标准"]

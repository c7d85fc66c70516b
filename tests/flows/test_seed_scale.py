"""seed_scale builds a consistent province: every app's part hangs together."""

import pytest
from django.core.management import call_command
from django.db.models import F

from congress.models import Congress, Region
from deputies import idnumbers
from deputies.models import DutyEntry, Mandate, Person

pytestmark = pytest.mark.django_db

ARGS = ["--province", "62", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "300",
        "--stations", "60", "--opinions", "400", "--suggestions", "300"]  # fmt: skip


def test_seed_scale_writes_a_consistent_province(capsys):
    call_command("seed_scale", *ARGS)
    assert Region.objects.filter(code__startswith="62", level="county").count() > 50
    assert set(Congress.objects.filter(region__code__startswith="62").values_list("level", flat=True)) == {
        "provincial", "municipal", "county", "township"
    }  # fmt: skip
    assert Person.objects.count() == 300
    assert 300 < Mandate.objects.count() < 450
    for id_number in Person.objects.values_list("id_number", flat=True):
        idnumbers.normalise(id_number)
    assert not Mandate.objects.exclude(term__congress=F("congress")).exists()
    # Three roster entries per mandate; the training and activities parts add theirs from attendance
    # (tests/training/test_scale.py, tests/activities/test_scale.py).
    written = DutyEntry.objects.exclude(source__startswith="training:").exclude(source__startswith="activities:")
    assert written.count() == Mandate.objects.count() * 3
    assert "persons" in capsys.readouterr().out


def test_seed_scale_runs_again_without_duplicating():
    call_command("seed_scale", *ARGS)
    counts = (Region.objects.count(), Person.objects.count(), Mandate.objects.count())
    call_command("seed_scale", *ARGS)
    assert (Region.objects.count(), Person.objects.count(), Mandate.objects.count()) == counts


def test_seed_scale_writes_stations_stationings_and_opinions_in_every_state():
    from liaison_stations.models import CitizenOpinion, OpinionStatus, Station, Stationing, Visit

    call_command("seed_scale", *ARGS)
    assert Station.objects.count() == 60
    assert not Station.objects.exclude(region_code=F("region__code")).exists()
    live = Mandate.objects.filter(status="active").count()
    assert 0.9 * live <= Stationing.objects.count() < live
    assert Visit.objects.count() == 2 * Stationing.objects.count()
    assert CitizenOpinion.objects.count() == 400
    assert set(CitizenOpinion.objects.values_list("status", flat=True)) == set(OpinionStatus.values)
    assert not CitizenOpinion.objects.filter(status="closed", feedback="").exists()
    assert not Person.objects.filter(user__isnull=True).exists()

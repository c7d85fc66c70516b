"""The demo data: campaigns in every stage, built through the services, and a public vote open now."""

import pytest
from django.core.management import call_command

from cases.models import Campaign, Decision, PublicVote, Round

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_case_selection_once(client):
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert Campaign.objects.count() == 2
    assert set(Round.objects.values_list("status", flat=True)) == {"draft", "open", "decided"}
    assert Decision.objects.filter(kind="tie").exists()
    assert PublicVote.objects.count() == 12
    station = Campaign.objects.get(kind="station")
    assert client.get(f"/cases/vote/{station.slug}/").status_code == 200

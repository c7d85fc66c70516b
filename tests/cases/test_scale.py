"""seed_scale's case-selection part: a provincial public vote with its candidates and the votes cast, kept on a
second run."""

import io

import pytest
from django.core.management import call_command

from cases import selectors
from cases.models import Campaign, PublicVote

pytestmark = pytest.mark.django_db

ARGS = ["--province", "64", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "200",
        "--stations", "30", "--opinions", "0", "--suggestions", "0", "--training-per-100", "0"]  # fmt: skip


def test_seed_scale_builds_an_open_public_vote_with_its_votes():
    call_command("seed_scale", *ARGS, "--case-votes", "500", stdout=io.StringIO())
    campaign = Campaign.objects.get(region_code="64")
    round_ = campaign.rounds.get()
    assert (campaign.kind, round_.status, round_.public_vote) == ("station", "open", True)
    assert round_.entries.count() == 23
    assert campaign.submissions.exclude(station=None).count() == 23
    counts = selectors.public_counts(round_.pk)
    assert sum(counts.values()) == 500
    assert max(counts.values()) > min(counts.values())  # popularity falls with the candidate's place


def test_seed_scale_run_again_adds_only_the_missing_votes():
    call_command("seed_scale", *ARGS, "--case-votes", "300", stdout=io.StringIO())
    call_command("seed_scale", *ARGS, "--case-votes", "400", stdout=io.StringIO())
    assert Campaign.objects.count() == 1
    assert PublicVote.objects.count() == 400

"""The demo's livelihood vote: next year's programme collecting proposals, and this year's voted by the 31 deputies
present (two phones, the rest on paper, one sheet spoiled), its four chosen projects published with the designed
counts and carried out; seeding again adds nothing."""

import pytest
from django.core.management import call_command

from livelihood.models import Ballot, Candidate, Milestone, Programme, ProgressReport, SupervisionGroup

pytestmark = pytest.mark.django_db


def test_demo_has_a_published_vote_carried_out_and_next_years_proposals():
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert sorted(Programme.objects.values_list("status", flat=True)) == ["published", "soliciting"]
    published = Programme.objects.get(status="published")
    assert published.present == 31
    votes = list(Candidate.objects.filter(programme=published).order_by("number").values_list("votes", "outcome"))
    # More than half of 31 is 16: the four above it are chosen, 11 and 8 are not.
    assert votes == [(27, "chosen"), (24, "chosen"), (20, "chosen"), (17, "chosen"), (11, "not_chosen"),
                     (8, "not_chosen")]  # fmt: skip
    states = sorted(Ballot.objects.filter(programme=published).values_list("channel", "state"))
    assert states.count(("paper", "spoiled")) == 1 and states.count(("phone", "valid")) == 2 and len(states) == 31
    assert Milestone.objects.filter(project__programme=published).count() == 8
    assert ProgressReport.objects.filter(project__programme=published).count() == 1
    assert SupervisionGroup.objects.filter(project__programme=published).count() == 4
    counts = (Programme.objects.count(), Ballot.objects.count(), Milestone.objects.count())
    call_command("seed_demo", "--allow-without-debug", verbosity=0)
    assert (Programme.objects.count(), Ballot.objects.count(), Milestone.objects.count()) == counts

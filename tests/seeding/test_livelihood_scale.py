"""seed_scale's livelihood part hangs together: one programme a year per congress with deputies, proposals with
13 candidates for 10 projects, one turnout row and one ballot per active deputy present (no more marks on a ballot
than projects), counts that are the ballots' marks, outcomes by the rule, and the dashboard panel computes on it;
run again, it adds nothing."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from congress.dashboard import View
from livelihood import dashboard, services, tally
from livelihood.models import Ballot, BallotMark, Candidate, Programme, ProgrammeStatus, Proposal, Turnout

pytestmark = pytest.mark.django_db

ARGS = ["--province", "62", "--townships-per-county", "1", "--villages-per-township", "1", "--deputies", "600",
        "--stations", "0", "--opinions", "0", "--suggestions", "0", "--training-per-100", "0", "--case-votes", "0",
        "--activities-per-100", "0", "--livelihood-proposals-per-100", "20"]  # fmt: skip


def test_seed_scale_writes_consistent_livelihood_programmes():
    call_command("seed_scale", *ARGS)
    programmes = list(Programme.objects.select_related("congress"))
    assert len(programmes) > 10
    assert not Programme.objects.exclude(status__in=[ProgrammeStatus.COUNTED, ProgrammeStatus.PUBLISHED]).exists()
    for programme in programmes:
        assert programme.proposals.count() >= 15
        assert programme.candidates.count() == 13
        voted = Turnout.objects.filter(programme=programme).count()
        assert voted == Ballot.objects.filter(programme=programme).count() == programme.present
        assert services.votes_of(programme) == dict(programme.candidates.values_list("pk", "votes"))
        outcome = tally.count(services.votes_of(programme), present=programme.present, projects=programme.projects,
                              percent=50)  # fmt: skip
        chosen = set(programme.candidates.filter(outcome="chosen").values_list("pk", flat=True))
        assert chosen == set(outcome.chosen)
        assert (programme.status == ProgrammeStatus.PUBLISHED) == (programme.tie_slots == 0)
    most = BallotMark.objects.values("ballot").annotate(n=Count("pk")).order_by("-n").first()["n"]
    assert most <= 10
    assert not Proposal.objects.filter(phone_tail="").exists()
    published = next(p for p in programmes if p.status == ProgrammeStatus.PUBLISHED)
    congress = published.congress
    panels = dashboard.panels(View(user=None, congress=congress, congresses=[congress], today=None))
    chosen_panel = next(p for p in panels if p.key == "livelihood-chosen")
    assert len(chosen_panel.rows) == Candidate.objects.filter(programme=published, outcome="chosen").count()


def test_seed_scale_livelihood_runs_again_without_duplicating():
    call_command("seed_scale", *ARGS)
    counts = (Programme.objects.count(), Proposal.objects.count(), Ballot.objects.count())
    call_command("seed_scale", *ARGS)
    assert (Programme.objects.count(), Proposal.objects.count(), Ballot.objects.count()) == counts

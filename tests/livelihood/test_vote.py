"""The vote at the session: who may vote, once, for at most N, only while the presidium keeps it open; the
count and the cut-off from the rule's own numbers; ties decided on record; ballots secret."""

import pytest

from congress.errors import Conflict, Forbidden, InvalidTransition, RuleViolation
from deputies.models import MandateStatus
from livelihood import services
from livelihood.models import Ballot, BallotMark, CandidateOutcome, ProgrammeStatus, Turnout

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture
def congress():
    return f.congress()


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.fixture
def ready(staff, congress):
    """13 candidates for 3 projects' ... the default range is for 10; 3 projects take 4 or 5 candidates."""
    prog, candidates = f.with_candidates(staff, congress, n_candidates=4, projects=3)
    return prog, candidates


@pytest.fixture
def open_vote(ready, staff, congress):
    prog, candidates = ready
    voters = f.deputies(congress, 6)
    services.open_vote(actor=staff, programme_id=prog.pk, present=6)
    return prog, candidates, voters


def vote(mandate, prog, candidates):
    return services.cast_vote(actor=mandate.person.user, programme_id=prog.pk, candidate_ids=[c.pk for c in candidates])


def test_no_vote_before_the_presidium_opens_it(ready, congress):
    prog, candidates = ready
    (deputy,) = f.deputies(congress, 1)
    with pytest.raises(InvalidTransition):
        vote(deputy, prog, candidates[:1])


def test_the_number_present_is_at_most_the_deputies_in_office(ready, staff, congress):
    prog, _ = ready
    f.deputies(congress, 3)
    with pytest.raises(RuleViolation) as refused:
        services.open_vote(actor=staff, programme_id=prog.pk, present=4)
    assert "present" in refused.value.fields


def test_a_deputy_votes_once(open_vote):
    prog, candidates, voters = open_vote
    vote(voters[0], prog, candidates[:2])
    with pytest.raises(Conflict):
        vote(voters[0], prog, candidates[2:3])
    assert Turnout.objects.filter(programme=prog).count() == 1
    assert Ballot.objects.filter(programme=prog).count() == 1


def test_at_most_n_projects_on_a_ballot(open_vote):
    prog, candidates, voters = open_vote
    with pytest.raises(RuleViolation) as refused:
        vote(voters[0], prog, candidates[:4])
    assert "candidates" in refused.value.fields
    assert not Turnout.objects.exists()


def test_an_empty_ballot_is_a_vote_for_none(open_vote):
    prog, candidates, voters = open_vote
    vote(voters[0], prog, [])
    assert Turnout.objects.filter(programme=prog).count() == 1
    assert not BallotMark.objects.exists()


def test_a_candidate_of_another_programme_is_refused(open_vote, congress):
    prog, candidates, voters = open_vote
    other_staff = core.staff_of(core.CongressFactory(region=core.county("440105", "海珠区")))
    _other, foreign = f.with_candidates(other_staff, other_staff.memberships.first().congress, n_candidates=4,
                                        projects=3)  # fmt: skip
    with pytest.raises(RuleViolation):
        vote(voters[0], prog, foreign[:1])


def test_a_suspended_deputy_cannot_vote(open_vote):
    prog, candidates, voters = open_vote
    voters[0].status = MandateStatus.SUSPENDED
    voters[0].save(update_fields=["status"])
    with pytest.raises(Forbidden):
        vote(voters[0], prog, candidates[:1])


def test_a_deputy_of_another_congress_cannot_vote(open_vote):
    prog, candidates, _voters = open_vote
    (stranger,) = f.deputies(core.CongressFactory(region=core.county("440105", "海珠区")), 1)
    with pytest.raises(Forbidden):
        vote(stranger, prog, candidates[:1])


def test_no_more_ballots_than_deputies_present(ready, staff, congress):
    prog, candidates = ready
    voters = f.deputies(congress, 3)
    services.open_vote(actor=staff, programme_id=prog.pk, present=2)
    vote(voters[0], prog, candidates[:1])
    vote(voters[1], prog, candidates[:1])
    with pytest.raises(Conflict):
        vote(voters[2], prog, candidates[:1])


def test_the_ballot_names_no_voter(open_vote):
    prog, candidates, voters = open_vote
    vote(voters[0], prog, candidates[:2])
    ballot_columns = {field.name for field in Ballot._meta.get_fields()}
    mark_columns = {field.name for field in BallotMark._meta.get_fields()}
    assert not {"mandate", "voter", "user", "created_at", "voted_at"} & (ballot_columns | mark_columns)
    turnout_columns = {field.name for field in Turnout._meta.get_fields()}
    assert not {"ballot", "candidate", "candidates"} & turnout_columns


def test_no_vote_after_the_presidium_closes_it(open_vote, staff):
    prog, candidates, voters = open_vote
    for deputy in voters[:4]:
        vote(deputy, prog, candidates[:3])
    services.close_vote(actor=staff, programme_id=prog.pk)
    with pytest.raises(InvalidTransition):
        vote(voters[5], prog, candidates[:1])


def test_the_count_chooses_the_most_voted_with_more_than_half_present(open_vote, staff):
    prog, c, voters = open_vote
    # 6 present: more than half is 4 or more. A: 6, B: 5, C: 4, D: 3 → A, B, C chosen (3 projects).
    ballots = [[0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 2], [0, 1, 3], [0, 3, 3]]
    for deputy, marks in zip(voters, ballots, strict=True):
        vote(deputy, prog, [c[i] for i in marks])
    services.close_vote(actor=staff, programme_id=prog.pk)
    for candidate in c:
        candidate.refresh_from_db()
    assert [candidate.votes for candidate in c] == [6, 5, 4, 2]
    assert [candidate.outcome for candidate in c] == ["chosen", "chosen", "chosen", "not_chosen"]
    assert [candidate.rank for candidate in c] == [1, 2, 3, 4]


def test_a_tie_at_the_cut_off_is_decided_on_record_before_publication(open_vote, staff):
    prog, c, voters = open_vote
    # 6 present. A: 6; B, C and D: 4 each (each pair of them on two ballots) → A chosen, and B, C, D tie for the
    # two places left.
    ballots = [[0, 1, 2], [0, 1, 2], [0, 1, 3], [0, 1, 3], [0, 2, 3], [0, 2, 3]]
    for deputy, marks in zip(voters, ballots, strict=True):
        vote(deputy, prog, [c[i] for i in marks])
    prog = services.close_vote(actor=staff, programme_id=prog.pk)
    assert prog.tie_slots == 2
    assert [x.votes for x in prog.candidates.order_by("number")] == [6, 4, 4, 4]
    with pytest.raises(RuleViolation):
        services.publish(actor=staff, programme_id=prog.pk)
    with pytest.raises(RuleViolation):
        services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[c[1].pk, c[3].pk], reason="")
    with pytest.raises(RuleViolation):
        services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[c[1].pk], reason="主任会议决定")
    decision = services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[c[1].pk, c[3].pk],
                                  reason="主任会议决定")  # fmt: skip
    assert decision.candidate_ids == sorted([c[1].pk, c[3].pk])
    for candidate in c:
        candidate.refresh_from_db()
    assert [candidate.outcome for candidate in c] == ["chosen", "chosen", "not_chosen", "chosen"]
    prog = services.publish(actor=staff, programme_id=prog.pk)
    assert prog.status == ProgrammeStatus.PUBLISHED and prog.published_at


def test_published_results_do_not_change(open_vote, staff):
    prog, c, voters = open_vote
    for deputy in voters[:4]:
        vote(deputy, prog, c[:3])
    services.close_vote(actor=staff, programme_id=prog.pk)
    services.publish(actor=staff, programme_id=prog.pk)
    with pytest.raises(InvalidTransition):
        services.close_vote(actor=staff, programme_id=prog.pk)
    with pytest.raises(InvalidTransition):
        services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[], reason="x")
    assert {x.outcome for x in prog.candidates.all()} <= {CandidateOutcome.CHOSEN, CandidateOutcome.NOT_CHOSEN}


def test_a_deputy_cannot_open_or_close_the_vote(ready, congress):
    prog, _ = ready
    (deputy,) = f.deputies(congress, 1)
    with pytest.raises(Forbidden):
        services.open_vote(actor=deputy.person.user, programme_id=prog.pk, present=1)

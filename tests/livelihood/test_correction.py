"""Published results change only by a recorded correction: who, when, why, before and after; every other write
refuses once the results are published."""

import pytest

from congress.errors import Forbidden, InvalidTransition, RuleViolation
from livelihood import corrections, paper, services
from livelihood.models import CandidateOutcome, Correction

from . import factories as f

pytestmark = pytest.mark.django_db

core = f.core


@pytest.fixture
def published(staff, congress):
    return f.published(staff, congress)


def test_a_correction_records_who_when_why_before_and_after(published, staff):
    _prog, c, _voters = published
    assert (c[3].votes, c[3].outcome) == (0, CandidateOutcome.NOT_CHOSEN)
    correction = corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=3,
                                            outcome=CandidateOutcome.CHOSEN, reason="复核计票发现漏计")  # fmt: skip
    c[3].refresh_from_db()
    assert (c[3].votes, c[3].outcome) == (3, CandidateOutcome.CHOSEN)
    assert (correction.votes_before, correction.votes_after) == (0, 3)
    assert (correction.outcome_before, correction.outcome_after) == ("not_chosen", "chosen")
    assert correction.corrected_by == staff and correction.corrected_at and correction.reason == "复核计票发现漏计"


def test_a_correction_needs_a_reason(published, staff):
    _prog, c, _voters = published
    with pytest.raises(RuleViolation) as refused:
        corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=3, outcome="chosen", reason=" ")
    assert "reason" in refused.value.fields
    assert not Correction.objects.exists()


def test_no_more_votes_than_deputies_present(published, staff):
    _prog, c, _voters = published
    with pytest.raises(RuleViolation):
        corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=5, outcome="chosen", reason="复核")


def test_only_the_congress_staff_correct(published, congress):
    _prog, c, voters = published
    with pytest.raises(Forbidden):
        corrections.correct_result(actor=voters[0].person.user, candidate_id=c[3].pk, votes=3, outcome="chosen",
                                   reason="复核")  # fmt: skip


def test_no_correction_before_publication(staff, congress):
    prog, c, _voters = f.voting(staff, congress)
    with pytest.raises(InvalidTransition):
        corrections.correct_result(actor=staff, candidate_id=c[0].pk, votes=3, outcome="chosen", reason="复核")


def test_nothing_else_changes_a_published_result(published, staff, congress):
    prog, c, _voters = published
    before = list(prog.candidates.order_by("number").values_list("votes", "outcome"))
    for call in (
        lambda: services.edit_programme(actor=staff, programme_id=prog.pk, title="改"),
        lambda: services.close_vote(actor=staff, programme_id=prog.pk),
        lambda: services.break_tie(actor=staff, programme_id=prog.pk, chosen_ids=[c[3].pk], reason="x"),
        lambda: services.publish(actor=staff, programme_id=prog.pk),
        lambda: paper.enter_sheet(actor=staff, programme_id=prog.pk, number=9, candidate_ids=[c[3].pk]),
    ):
        with pytest.raises(InvalidTransition):
            call()
    assert list(prog.candidates.order_by("number").values_list("votes", "outcome")) == before


def test_the_public_results_show_the_correction(published, staff, client):
    prog, c, _voters = published
    corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=3, outcome="chosen", reason="复核计票发现漏计")
    page = client.get(f"/livelihood/{prog.pk}/results/").content.decode()
    assert "复核计票发现漏计" in page


def test_the_ranks_follow_the_corrected_votes(published, staff):
    prog, c, _voters = published
    corrections.correct_result(actor=staff, candidate_id=c[3].pk, votes=4, outcome="chosen", reason="复核计票")
    assert list(prog.candidates.order_by("number").values_list("rank", flat=True)) == [1, 1, 1, 1]
    corrections.correct_result(actor=staff, candidate_id=c[0].pk, votes=1, outcome="not_chosen", reason="复核计票")
    assert list(prog.candidates.order_by("number").values_list("rank", flat=True)) == [4, 1, 1, 1]

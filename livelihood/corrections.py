"""The one way a published result changes: a recorded correction (after a recount, say), naming who, when, why and
the candidate's votes and outcome before and after; the public results show it. Every other write refuses once the
results are published (the machine's states say so)."""

from django.db import transaction
from django.utils.translation import gettext as _

from congress import audit
from congress.errors import RuleViolation
from congress.ranking import competition_ranks

from . import workflow
from .models import Candidate, CandidateOutcome, Correction
from .services import lock_programme

FINAL = (CandidateOutcome.CHOSEN, CandidateOutcome.NOT_CHOSEN)


def correct_result(*, actor, candidate_id: int, votes: int, outcome: str, reason: str) -> Correction:
    """Staff correct a published candidate's votes and outcome, on record."""
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Record why the result is corrected.")]
    if outcome not in FINAL:
        errors["outcome"] = [_("A corrected result is chosen or not chosen.")]
    if votes is None or int(votes) < 0:
        errors["votes"] = [_("Give the number of votes after the correction.")]
    if errors:
        raise RuleViolation(fields=errors)
    with transaction.atomic(), audit.acting_as(actor):
        candidate = Candidate.objects.filter(pk=candidate_id).only("programme_id").first()
        if candidate is None:
            raise RuleViolation(_("The candidate project does not exist."))
        programme = lock_programme(candidate.programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "correct")
        candidate = Candidate.objects.select_for_update().get(pk=candidate_id)
        votes = int(votes)
        if programme.present is not None and votes > programme.present:
            raise RuleViolation(fields={"votes": [_("No more votes than deputies present.")]})
        if votes == candidate.votes and outcome == candidate.outcome:
            raise RuleViolation(_("The correction changes nothing."))
        correction = Correction.objects.create(
            programme=programme, candidate=candidate, votes_before=candidate.votes, votes_after=votes,
            outcome_before=candidate.outcome, outcome_after=outcome, reason=reason, corrected_by=actor,
        )  # fmt: skip
        candidate.votes, candidate.outcome = votes, outcome
        candidate.save(update_fields=["votes", "outcome"])
        _rerank(programme)
        move.apply(
            fields=[], reason=reason, candidate=candidate.number,
            changes={"votes": (correction.votes_before, votes), "outcome": (correction.outcome_before, outcome)},
        )  # fmt: skip
    return correction


def _rerank(programme) -> None:
    """The ranks follow the corrected votes (the rows are locked by the programme's lock: every write to them takes
    it first)."""
    rows = list(Candidate.objects.filter(programme=programme).order_by("pk"))
    ranks = competition_ranks([(row.pk, row.votes or 0) for row in rows])
    for row in rows:
        row.rank = ranks[row.pk]
    Candidate.objects.bulk_update(rows, ["rank"])

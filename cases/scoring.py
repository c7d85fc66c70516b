"""How a round's counts become scores, ranks and a cut-off. Nothing here writes: close_round stores the result.

Weighted score: the online vote and the panel score are each normalised to 100 before weighting. Online: the
candidate's votes × 100 ÷ the most votes any candidate of the round received. Panel: the mean over judges of
a judge's total points for the case × 100 ÷ the full marks of all criteria. Final score = online × online
weight % + panel × panel weight %. Every component is rounded to 4 decimals before the next step, so the
published components add up to the published score."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from congress.ranking import Cut, competition_ranks, cut

from . import selectors, workflow
from .models import Entry, Round, RoundKind

PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)


def q4(value) -> Decimal:
    return Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    submission_id: int
    group: str = ""
    votes: int = 0
    online_votes: int = 0
    online_score: Decimal | None = None
    panel_score: Decimal | None = None
    score: Decimal = Decimal(0)


def weighted(online_votes: int, most_votes: int, judge_totals: list[Decimal], marks: int, online_weight, panel_weight):
    """(online score, panel score, final score), each normalised to 100 and rounded to 4 decimals."""
    online = q4(HUNDRED * online_votes / most_votes) if most_votes else q4(0)
    panel = q4(HUNDRED * (sum(judge_totals) / len(judge_totals)) / marks) if judge_totals and marks else q4(0)
    final = q4((online * Decimal(online_weight) + panel * Decimal(panel_weight)) / HUNDRED)
    return online, panel, final


def tally(round_: Round, entries: list[Entry]) -> list[Tally]:
    """What each case in the round scored, by the round's method."""
    rows = []
    if round_.kind in workflow.BALLOT_KINDS or round_.kind == RoundKind.QUOTA:
        counts = selectors.ballot_counts(round_.pk)
        for entry in entries:
            votes = counts.get(entry.submission_id, 0)
            group = entry.submission.level if round_.kind == RoundKind.QUOTA else ""
            rows.append(Tally(entry.submission_id, group, votes=votes, score=Decimal(votes)))
    elif round_.kind == RoundKind.WEIGHTED:
        counts = selectors.public_counts(round_.pk) if round_.public_vote else {}
        most = max(counts.values(), default=0)
        totals, marks = selectors.panel_totals(round_.pk), selectors.full_marks(round_.pk)
        for entry in entries:
            votes = counts.get(entry.submission_id, 0)
            online, panel, final = weighted(
                votes, most, totals.get(entry.submission_id, []), marks, round_.online_weight, round_.panel_weight
            )
            rows.append(Tally(entry.submission_id, votes=votes, online_votes=votes, online_score=online,
                              panel_score=panel, score=final))  # fmt: skip
    else:  # approval: no count, the council's list stands unless struck
        rows = [Tally(entry.submission_id) for entry in entries]
    return rows


# The cut-off (congress.ranking.cut): the top places, with a tie across the last one left to decide.


def cuts(round_: Round, rows: list[Tally]) -> dict[str, Cut]:
    """The cut of each group: the whole round, or each deputy level in a recommendation round (only cases
    some committee recommended can go on)."""
    if round_.kind == RoundKind.QUOTA:
        groups: dict[str, list[tuple[int, Decimal]]] = {}
        for row in rows:
            groups.setdefault(row.group, [])
            if row.votes:
                groups[row.group].append((row.submission_id, row.score))
        result = {}
        for group, scored in groups.items():
            made = cut(scored, round_.quota_per_level)
            chosen = {pk for pk, _ in scored}
            made.eliminated += [
                row.submission_id for row in rows if row.group == group and row.submission_id not in chosen
            ]
            result[group] = made
        return result
    if round_.kind == RoundKind.APPROVAL:
        return {"": Cut(advanced=[row.submission_id for row in rows])}
    return {"": cut([(row.submission_id, row.score) for row in rows], round_.advance)}


def ranks(rows: list[Tally]) -> dict[int, int]:
    """Competition ranking by score (1, 2, 2, 4): equal scores share a rank."""
    return competition_ranks([(row.submission_id, row.score) for row in rows])

"""How the deputies' votes choose the year's projects. Nothing here writes: services.close_vote stores it.

A candidate is chosen when it is among the `projects` with the most votes AND more deputies voted for it than the
policy's share of the deputies present (livelihood.majority_percent, default 50: more than half). Candidates
level at the last place that do not all fit are tied, for a recorded decision (congress.ranking.cut, as in case
selection). Fewer than `projects` candidates may reach the majority: then fewer are chosen."""

from dataclasses import dataclass
from decimal import Decimal

from congress.ranking import competition_ranks, cut


@dataclass
class Outcome:
    chosen: list[int]
    not_chosen: list[int]
    tied: list[int]
    slots: int
    ranks: dict[int, int]


def has_majority(votes: int, present: int, percent) -> bool:
    """More than `percent` % of the deputies present voted for it (strictly: exactly half is not more than half)."""
    return Decimal(votes) * 100 > Decimal(present) * Decimal(percent)


def count(votes: dict[int, int], *, present: int, projects: int, percent) -> Outcome:
    """votes: candidate id → votes (every candidate, 0 included)."""
    eligible = [(pk, n) for pk, n in votes.items() if has_majority(n, present, percent)]
    made = cut(eligible, projects)
    below = sorted(pk for pk in votes if not has_majority(votes[pk], present, percent))
    return Outcome(
        chosen=made.advanced, not_chosen=sorted(made.eliminated + below), tied=made.tied, slots=made.slots,
        ranks=competition_ranks(list(votes.items())),
    )  # fmt: skip

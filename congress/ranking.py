"""Ranking by a count or a score, and the cut-off of a vote that chooses N: shared by case selection's rounds
(cases.scoring) and the livelihood-project vote (livelihood.tally)."""

from dataclasses import dataclass, field


@dataclass
class Cut:
    advanced: list[int] = field(default_factory=list)
    eliminated: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)
    slots: int = 0  # how many of the tied ones go on


def cut(scored: list[tuple[int, object]], places: int) -> Cut:
    """The top `places` by score. When those level with the last place do not all fit, they are tied and the
    places left for them are for staff to fill by decision, never by the order they happen to be in."""
    ordered = sorted(scored, key=lambda pair: (-pair[1], pair[0]))
    if len(ordered) <= places:
        return Cut(advanced=[pk for pk, _ in ordered])
    threshold = ordered[places - 1][1]
    above = [pk for pk, value in ordered if value > threshold]
    level = [pk for pk, value in ordered if value == threshold]
    below = [pk for pk, value in ordered if value < threshold]
    if len(above) + len(level) <= places:
        return Cut(advanced=above + level, eliminated=below)
    return Cut(advanced=above, eliminated=below, tied=level, slots=places - len(above))


def competition_ranks(scored: list[tuple[int, object]]) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4): equal scores share a rank."""
    result, previous, rank = {}, None, 0
    for index, (pk, value) in enumerate(sorted(scored, key=lambda pair: -pair[1]), start=1):
        if value != previous:
            rank, previous = index, value
        result[pk] = rank
    return result

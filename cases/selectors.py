"""Reads of the case selection: the tally of a round and where its cut-off falls, the final ranked list, and the
lists the pages, the API and the exports show. Counting is by aggregate over indexed rows, so the figures are
exactly the stored ballots and votes.

Weighted score: the online vote and the panel score are each normalised to 100 before weighting. Online: the
candidate's votes × 100 ÷ the most votes any candidate of the round received. Panel: the mean over judges of
a judge's total points for the case × 100 ÷ the full marks of all criteria. Final score = online × online
weight % + panel × panel weight %. Every component is rounded to 4 decimals before the next step, so the
published components add up to the published score."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Sum

from congress import scope

from . import workflow
from .models import (
    Ballot,
    Campaign,
    CampaignUnit,
    Criterion,
    Decision,
    Entry,
    Outcome,
    PublicVote,
    Round,
    RoundKind,
    Score,
    Submission,
    SubmissionStatus,
    Voter,
)

PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
LIVE_TOTALS_SECONDS = 10


def q4(value) -> Decimal:
    return Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)


# Counting


def ballot_counts(round_id: int) -> dict[int, int]:
    rows = Ballot.objects.filter(round_id=round_id).values("submission_id").annotate(n=Count("*"))
    return {row["submission_id"]: row["n"] for row in rows.order_by()}


def public_counts(round_id: int) -> dict[int, int]:
    # COUNT(*), not COUNT(id): an index-only scan of (round, submission), never the table.
    rows = PublicVote.objects.filter(round_id=round_id).values("submission_id").annotate(n=Count("*"))
    return {row["submission_id"]: row["n"] for row in rows.order_by()}


def live_totals(round_id: int) -> dict[int, int]:
    """Public vote totals for the public page, recounted at most every few seconds."""
    key = f"cases:live:{round_id}"
    totals = cache.get(key)
    if totals is None:
        totals = public_counts(round_id)
        cache.set(key, totals, LIVE_TOTALS_SECONDS)
    return totals


def panel_totals(round_id: int) -> dict[int, list[Decimal]]:
    """Each judge's total points per case: {submission id: [total of judge 1, total of judge 2, …]}."""
    rows = Score.objects.filter(round_id=round_id).values("submission_id", "judge_id").annotate(total=Sum("points"))
    totals: dict[int, list[Decimal]] = {}
    for row in rows.order_by("submission_id", "judge_id"):
        totals.setdefault(row["submission_id"], []).append(Decimal(row["total"]))
    return totals


def full_marks(round_id: int) -> int:
    return Criterion.objects.filter(round_id=round_id).aggregate(total=Sum("max_points"))["total"] or 0


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
        counts = ballot_counts(round_.pk)
        for entry in entries:
            votes = counts.get(entry.submission_id, 0)
            group = entry.submission.level if round_.kind == RoundKind.QUOTA else ""
            rows.append(Tally(entry.submission_id, group, votes=votes, score=Decimal(votes)))
    elif round_.kind == RoundKind.WEIGHTED:
        counts = public_counts(round_.pk) if round_.public_vote else {}
        most = max(counts.values(), default=0)
        totals, marks = panel_totals(round_.pk), full_marks(round_.pk)
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


# The cut-off


@dataclass
class Cut:
    advanced: list[int] = field(default_factory=list)
    eliminated: list[int] = field(default_factory=list)
    tied: list[int] = field(default_factory=list)
    slots: int = 0  # how many of the tied cases go on


def cut(scored: list[tuple[int, Decimal]], places: int) -> Cut:
    """The top `places` by score. When the cases level with the last place do not all fit, they are tied and
    the places left for them are for staff to fill by decision, never by the order they happen to be in."""
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
    ordered = sorted(rows, key=lambda row: -row.score)
    result, previous, rank = {}, None, 0
    for index, row in enumerate(ordered, start=1):
        if row.score != previous:
            rank, previous = index, row.score
        result[row.submission_id] = rank
    return result


# Pages and API


def campaigns_for(user):
    return scope.visible(user, Campaign).select_related("congress").order_by("-year", "-id")


def unit_campaigns(user):
    """Campaigns a unit officer's units are invited to, with the unit's quota."""
    units = scope.unit_ids(user)
    return (
        CampaignUnit.objects.filter(unit_id__in=units)
        .exclude(campaign__status="draft")
        .select_related("campaign__congress", "unit")
        .order_by("-campaign__year", "-campaign_id", "unit__name")
    )


def unit_submissions(user):
    return (
        Submission.objects.filter(unit_id__in=scope.unit_ids(user)).select_related("campaign", "unit").order_by("-id")
    )


def submissions_of(user, campaign: Campaign, *, status: str = "", level: str = ""):
    queryset = (
        scope.visible(user, Submission)
        .filter(campaign=campaign)
        .select_related("unit", "station", "suggestion")
        .order_by("unit__name", "id")
    )
    if status:
        queryset = queryset.filter(status=status)
    if level:
        queryset = queryset.filter(level=level)
    return queryset


def entries_of(round_: Round):
    return (
        round_.entries.select_related("submission__unit", "submission__station")
        .order_by("rank", "-score", "submission_id")
        .prefetch_related(Prefetch("submission__files"))
    )


def candidates(round_: Round):
    """The cases in a round as a voter or a citizen sees them: photos first, no internal notes."""
    return (
        Entry.objects.filter(round=round_)
        .select_related("submission__unit", "submission__station")
        .prefetch_related("submission__files")
        .order_by("submission__title", "submission_id")
    )


def my_rounds(user):
    """Rounds the user is listed in, open ones first."""
    return (
        Voter.objects.filter(user_id=user.pk)
        .select_related("round__campaign", "committee")
        .order_by("round__status", "-round__opens_at")
    )


def public_round(campaign: Campaign) -> Round | None:
    """The campaign's public vote: the open one, else the latest one held."""
    rounds = Round.objects.filter(campaign=campaign, public_vote=True).exclude(status="draft")
    return rounds.filter(status="open").first() or rounds.order_by("-position").first()


def open_public_votes(limit: int = 5):
    """Campaigns whose public vote is open now, for the public pages' links: the latest first."""
    voting = Round.objects.filter(campaign_id=OuterRef("pk"), public_vote=True, status="open")
    return Campaign.objects.filter(Exists(voting), status="selecting").order_by("-year", "-id")[:limit]


def decisions_of(round_: Round):
    return Decision.objects.filter(round=round_).select_related("decided_by").order_by("id")


def audit_trail(round_: Round):
    """Every ballot and score of a round, for staff: who, what, when."""
    ballots = Ballot.objects.filter(round=round_).select_related("voter__user", "voter__committee", "submission")
    scores = Score.objects.filter(round=round_).select_related("judge__user", "submission", "criterion")
    return ballots.order_by("voter_id", "id"), scores.order_by("judge_id", "submission_id", "criterion__position")


# Results


def ranking_rounds(campaign: Campaign) -> list[Round]:
    return list(campaign.rounds.order_by("position"))


def final_list(campaign: Campaign) -> dict:
    """The final ranked list: the cases that came through the last round, with every round's figures.

    Order: the last ranking round's score (highest first), then the case's number; `rank` is the competition
    rank of that score, so cases with equal scores share it."""
    rounds = ranking_rounds(campaign)
    if not rounds:
        return {"rounds": [], "rows": [], "complete": False}
    last = rounds[-1]
    ranking = next((r for r in reversed(rounds) if r.kind in workflow.RANKING_KINDS), None)
    entries = Entry.objects.filter(round__campaign=campaign).select_related("round")
    by_submission: dict[int, dict[int, Entry]] = {}
    for entry in entries:
        by_submission.setdefault(entry.submission_id, {})[entry.round_id] = entry
    finalists = [pk for pk, seen in by_submission.items() if last.pk in seen]
    submissions = {
        s.pk: s
        for s in Submission.objects.filter(pk__in=finalists)
        .select_related("unit", "station")
        .prefetch_related("mandates__person")
    }
    rows = []
    for pk in finalists:
        seen = by_submission[pk]
        last_entry = seen[last.pk]
        ranked = seen.get(ranking.pk) if ranking else None
        rows.append(
            {
                "submission": submissions[pk],
                "entries": [seen.get(r.pk) for r in rounds],
                "outcome": last_entry.outcome,
                "selected": last.status == "decided" and last_entry.outcome == Outcome.ADVANCED,
                "score": ranked.score if ranked else None,
                "ranked": ranked,
            }
        )
    rows.sort(key=lambda row: (not row["selected"], -(row["score"] or 0), row["submission"].pk))
    rank, previous = 0, None
    for index, row in enumerate(rows, start=1):
        key = (row["selected"], row["score"])
        if key != previous:
            rank, previous = index, key
        row["rank"] = rank
    return {"rounds": rounds, "rows": rows, "complete": last.status == "decided"}


def submitted_count(campaign: Campaign) -> int:
    return campaign.submissions.filter(status=SubmissionStatus.SUBMITTED).count()

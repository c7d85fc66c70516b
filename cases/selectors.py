"""Reads of the case selection: the counts a round's tally is made of, the final ranked list, and the lists the
pages, the API and the exports show. Counting is by aggregate over indexed rows, so the figures are exactly the
stored ballots and votes. How the counts become scores and a cut-off is in scoring.py."""

from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Prefetch, Sum

from congress import scope
from congress.models import Organisation, OrganisationKind

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
    Score,
    Submission,
    SubmissionStatus,
    Voter,
)

LIVE_TOTALS_SECONDS = 10


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


# Pages and API


def committees_of(congress):
    """The bodies a voter may act for in a campaign's rounds: the congress's own, not its handling units."""
    return Organisation.objects.filter(congress=congress).exclude(kind=OrganisationKind.HANDLING_UNIT)


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

"""The rounds of a campaign: staff configure them, open them on the previous round's survivors, close them
(tally, rank and cut: scoring.py) and decide them, breaking ties at the cut-off; listed voters cast ballots and
judges score while a round is open."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, policies, scope
from congress.errors import Conflict, Forbidden, InvalidTransition, RuleViolation
from congress.models import Level

from .. import scoring, selectors, workflow
from ..models import (
    Ballot,
    CampaignStatus,
    Criterion,
    Decision,
    DecisionKind,
    Entry,
    Outcome,
    Round,
    RoundKind,
    RoundStatus,
    Score,
    Submission,
    SubmissionStatus,
    Voter,
)
from .common import ROUND_NOT_OPEN, lock_campaign, lock_round
from .public_vote import forget_vote_context

# Rounds: configuration

ROUND_FIELDS = ("kind", "name", "opens_at", "closes_at", "advance", "approvals_per_voter", "quota_per_level",
                "online_weight", "panel_weight", "public_vote", "show_live_totals")  # fmt: skip


def _validate_round(round_: Round) -> None:
    errors = {}
    kind = round_.kind
    if kind not in RoundKind.values:
        errors["kind"] = [_("Choose the round's method.")]
    if not round_.name.strip():
        errors["name"] = [_("Give the round a name.")]
    if round_.opens_at and round_.closes_at and round_.closes_at <= round_.opens_at:
        errors["closes_at"] = [_("A round must close after it opens.")]
    if kind in workflow.BALLOT_KINDS:
        if not round_.approvals_per_voter:
            errors["approvals_per_voter"] = [_("Say how many cases each voter may approve.")]
        if not round_.advance:
            errors["advance"] = [_("Say how many cases go on.")]
    if kind == RoundKind.QUOTA and not round_.quota_per_level:
        errors["quota_per_level"] = [_("Say how many cases of each level a committee may recommend.")]
    if kind == RoundKind.WEIGHTED:
        if not round_.advance:
            errors["advance"] = [_("Say how many cases go on.")]
        if round_.online_weight is None or round_.panel_weight is None:
            congress = round_.campaign.congress
            round_.online_weight = policies.policy(congress, "cases.online_vote_weight")
            round_.panel_weight = policies.policy(congress, "cases.panel_weight")
        if Decimal(round_.online_weight) + Decimal(round_.panel_weight) != 100:
            errors["panel_weight"] = [_("The two weights must add up to 100%.")]
    else:
        round_.online_weight = round_.panel_weight = None
        round_.public_vote = round_.show_live_totals = False
    if kind not in workflow.BALLOT_KINDS:
        round_.approvals_per_voter = None
    if kind != RoundKind.QUOTA:
        round_.quota_per_level = None
    elif round_.advance:
        round_.advance = None  # a recommendation round passes on what the committees recommend, per level
    if kind == RoundKind.APPROVAL:
        round_.advance = None
    if errors:
        raise RuleViolation(fields=errors)


def _set_criteria(round_: Round, criteria) -> None:
    rows = [(str(name).strip(), int(points)) for name, points in criteria or []]
    if any(not name or points < 1 for name, points in rows) or len({n for n, _ in rows}) != len(rows):
        raise RuleViolation(
            fields={"criteria": [_("Each criterion needs a distinct name and full marks of at least 1.")]}
        )
    round_.criteria.all().delete()
    Criterion.objects.bulk_create(
        [
            Criterion(round=round_, name=name, max_points=points, position=index)
            for index, (name, points) in enumerate(rows)
        ]
    )


def _set_voters(round_: Round, voters) -> None:
    """voters: (user, committee or None) pairs."""
    rows = [(user, committee) for user, committee in voters or []]
    if len({user.pk for user, _ in rows}) != len(rows):
        raise RuleViolation(fields={"voters": [_("List each voter once.")]})
    if round_.kind == RoundKind.QUOTA and any(committee is None for _, committee in rows):
        raise RuleViolation(fields={"voters": [_("In a recommendation round each voter acts for a committee.")]})
    # Voters are people of the campaign's region tree (or fresh accounts), acting for a body of its congress:
    # naming another county's staff would let them read and vote on this campaign's cases.
    congress = round_.campaign.congress
    message = _("Choose voters of this congress's region and committees of this congress.")
    scope.referenced(scope.people_of(congress.region.code), [user.pk for user, _c in rows], field="voters",
                     message=message)  # fmt: skip
    scope.referenced(
        selectors.committees_of(congress), {c.pk for _u, c in rows if c is not None}, field="voters", message=message
    )
    round_.voters.all().delete()
    Voter.objects.bulk_create(
        [Voter(round=round_, user=user, committee=committee if round_.kind == RoundKind.QUOTA else None)
         for user, committee in rows]
    )  # fmt: skip


def add_round(*, actor, campaign_id: int, fields: dict, voters=(), criteria=()) -> Round:
    """Staff add the next round to a campaign's pipeline."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = lock_campaign(campaign_id)
        # Adding a round moves no state and saves no campaign field: the audit entry is the service's own.
        workflow.CAMPAIGN.allow(actor, campaign, "add_round")
        last = campaign.rounds.order_by("-position").first()
        if last is not None and last.kind == RoundKind.APPROVAL:
            raise RuleViolation(_("The approval is the last round of a campaign."))
        round_ = Round(campaign=campaign, position=(last.position + 1) if last else 1)
        for name in ROUND_FIELDS:
            if name in fields:
                setattr(round_, name, fields[name])
        _validate_round(round_)
        round_.save()
        _set_voters(round_, voters)
        _set_criteria(round_, criteria)
        audit.record(actor, campaign, "add_round", {}, round=round_.name)
    return round_


def update_round(*, actor, round_id: int, fields: dict, voters=None, criteria=None) -> Round:
    """Change a round that has not opened yet."""
    with transaction.atomic(), audit.acting_as(actor):
        round_ = lock_round(round_id)
        workflow.ROUND.allow(actor, round_, "edit")
        for name in ROUND_FIELDS:
            if name in fields:
                setattr(round_, name, fields[name])
        _validate_round(round_)
        round_.save()
        if voters is not None:
            _set_voters(round_, voters)
        if criteria is not None:
            _set_criteria(round_, criteria)
    return round_


# Rounds: the state machine


def _survivors(round_: Round) -> list[Submission]:
    previous = round_.campaign.rounds.filter(position__lt=round_.position).order_by("-position").first()
    if previous is None:
        return list(round_.campaign.submissions.filter(status=SubmissionStatus.SUBMITTED).order_by("pk"))
    if previous.status != RoundStatus.DECIDED:
        raise InvalidTransition(
            _("Round %(name)s must be decided before the next round opens.") % {"name": previous.name}
        )
    ids = previous.entries.filter(outcome=Outcome.ADVANCED).values("submission_id")
    return list(Submission.objects.filter(pk__in=ids).order_by("pk"))


def open_round(*, actor, round_id: int) -> Round:
    """Open a round on the previous round's survivors; its voters are told."""
    with transaction.atomic(), audit.acting_as(actor):
        round_ = lock_round(round_id)
        move = workflow.ROUND.allow(actor, round_, "open")
        if round_.campaign.status != CampaignStatus.SELECTING:
            raise InvalidTransition(_("Close the campaign to submissions before its rounds open."))
        survivors = _survivors(round_)
        if not survivors:
            raise RuleViolation(_("No case is left to put in this round."))
        voters = round_.voters.count()
        if round_.kind in workflow.VOTER_KINDS and round_.kind != RoundKind.WEIGHTED and not voters:
            raise RuleViolation(fields={"voters": [_("List the round's voters first.")]})
        if round_.kind == RoundKind.WEIGHTED and round_.panel_weight and not (voters and round_.criteria.exists()):
            raise RuleViolation(fields={"voters": [_("List the panel's judges and the scoring criteria first.")]})
        if round_.kind == RoundKind.QUOTA and any(not s.level for s in survivors):
            raise RuleViolation(_("Every case needs its deputy level before committees recommend by level."))
        Entry.objects.bulk_create([Entry(round=round_, submission=s) for s in survivors])
        round_.opened_at = timezone.now()
        move.apply(entries=len(survivors))
        forget_vote_context(round_.campaign_id)
    return round_


def _lock_voter(actor, round_: Round, now) -> Voter:
    """The actor's voter row, locked, once they may vote in the round now (403, then 409, then 400)."""
    voter = Voter.objects.select_for_update().filter(round=round_, user_id=actor.pk).first()
    if voter is None:
        raise Forbidden(_("You are not listed to vote in this round."))
    # A ballot moves no state and the round's row is not locked for it: allow() alone, the audit entry is ours.
    workflow.ROUND.allow(actor, round_, "vote", rule_on=voter)
    if not workflow.in_window(round_, now):
        raise RuleViolation(
            _("Voting in this round runs from %(start)s to %(end)s.")
            % {"start": timezone.localtime(round_.opens_at).strftime("%Y-%m-%d %H:%M"),
               "end": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")}
        )  # fmt: skip
    return voter


def _insert_closed_guard(func):
    """The Postgres trigger refuses rows for a round that is no longer open (a close that committed first)."""
    try:
        return func()
    except IntegrityError as exc:
        if ROUND_NOT_OPEN in str(exc):
            raise InvalidTransition(_("The round has closed.")) from exc
        raise


def cast_ballot(*, actor, round_id: int, submission_ids) -> Voter:
    """A listed voter casts their one ballot: up to K approvals (ballot, meeting vote), or up to Q
    recommendations per deputy level for their committee (recommendation round), of cases in the round."""
    now = timezone.now()
    wanted = sorted({int(pk) for pk in submission_ids})
    with transaction.atomic(), audit.acting_as(actor):
        round_ = Round.objects.select_related("campaign").filter(pk=round_id).first()
        if round_ is None:
            raise RuleViolation(_("The round does not exist."))
        if round_.kind not in workflow.BALLOT_KINDS and round_.kind != RoundKind.QUOTA:
            raise RuleViolation(_("This round is not decided by ballot."))
        # The voter's row is their lock: a second ballot from another tab waits, then finds this one cast.
        voter = _lock_voter(actor, round_, now)
        if voter.cast_at is not None:
            raise Conflict(_("You have already cast your ballot in this round."))
        if not wanted:
            raise RuleViolation(fields={"submissions": [_("Choose at least one case.")]})
        entries = {
            e.submission_id: e
            for e in Entry.objects.filter(round=round_, submission_id__in=wanted).select_related("submission")
        }
        if len(entries) != len(wanted):
            raise RuleViolation(fields={"submissions": [_("Vote only for cases in this round.")]})
        if round_.kind == RoundKind.QUOTA:
            per_level = {}
            for entry in entries.values():
                per_level[entry.submission.level] = per_level.get(entry.submission.level, 0) + 1
            over = [Level(level).label for level, n in per_level.items() if n > round_.quota_per_level]
            if over:
                raise RuleViolation(
                    fields={"submissions": [
                        _("Recommend at most %(n)s cases of each level (too many: %(levels)s).")
                        % {"n": round_.quota_per_level, "levels": "、".join(str(label) for label in over)}
                    ]}
                )  # fmt: skip
        elif len(wanted) > round_.approvals_per_voter:
            raise RuleViolation(
                fields={"submissions": [_("Approve at most %(n)s cases.") % {"n": round_.approvals_per_voter}]}
            )
        _insert_closed_guard(
            lambda: Ballot.objects.bulk_create([Ballot(round=round_, voter=voter, submission_id=pk) for pk in wanted])
        )
        voter.cast_at = now
        voter.save(update_fields=["cast_at"])
        audit.record(actor, round_, "cast_ballot", {}, voter=voter.pk, approvals=len(wanted))
    return voter


def score_case(*, actor, round_id: int, submission_id: int, points: dict) -> list[Score]:
    """A judge scores one case against every criterion, once."""
    now = timezone.now()
    with transaction.atomic(), audit.acting_as(actor):
        round_ = Round.objects.select_related("campaign").filter(pk=round_id).first()
        if round_ is None:
            raise RuleViolation(_("The round does not exist."))
        if round_.kind != RoundKind.WEIGHTED:
            raise RuleViolation(_("This round is not scored by a panel."))
        judge = _lock_voter(actor, round_, now)
        if not Entry.objects.filter(round=round_, submission_id=submission_id).exists():
            raise RuleViolation(_("Score only cases in this round."))
        if Score.objects.filter(judge=judge, submission_id=submission_id).exists():
            raise Conflict(_("You have already scored this case."))
        criteria = list(round_.criteria.all())
        given = {int(k): v for k, v in points.items()}
        errors = []
        rows = []
        for criterion in criteria:
            value = given.get(criterion.pk)
            try:
                value = Decimal(str(value))
            except (ArithmeticError, ValueError, TypeError):
                errors.append(_("Score %(name)s.") % {"name": criterion.name})
                continue
            if not 0 <= value <= criterion.max_points:
                errors.append(
                    _("%(name)s is scored from 0 to %(max)s.") % {"name": criterion.name, "max": criterion.max_points}
                )
                continue
            rows.append(
                Score(round=round_, judge=judge, submission_id=submission_id, criterion=criterion, points=value)
            )
        if errors or set(given) - {c.pk for c in criteria}:
            raise RuleViolation(fields={"points": errors or [_("Score only the round's criteria.")]})
        created = _insert_closed_guard(lambda: Score.objects.bulk_create(rows))
        scored = Score.objects.filter(judge=judge).values("submission_id").distinct().count()
        if scored == round_.entries.count() and judge.cast_at is None:
            judge.cast_at = now
            judge.save(update_fields=["cast_at"])
        audit.record(actor, round_, "score", {}, judge=judge.pk, submission=submission_id)
    return created


def strike(*, actor, round_id: int, submission_id: int, reason: str) -> Entry:
    """The chairpersons' council strikes a case from the list in the approval round, with its reason."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why the case is struck.")]})
    with transaction.atomic(), audit.acting_as(actor):
        round_ = lock_round(round_id)
        # Striking changes an entry, not the round: allow() alone (no audit entry on the round, as ever).
        workflow.ROUND.allow(actor, round_, "strike")
        if round_.kind != RoundKind.APPROVAL:
            raise RuleViolation(_("Cases are struck only in the approval round."))
        entry = Entry.objects.select_for_update().filter(round=round_, submission_id=submission_id).first()
        if entry is None:
            raise RuleViolation(_("The case is not in this round."))
        if entry.outcome == Outcome.STRUCK:
            raise Conflict(_("The case is already struck."))
        entry.outcome, entry.note = Outcome.STRUCK, reason.strip()[:500]
        entry.save(update_fields=["outcome", "note"])
        Decision.objects.create(
            round=round_, kind=DecisionKind.STRIKE, reason=reason.strip(), decided_by=actor,
            submission_ids=[submission_id],
        )  # fmt: skip
    return entry


def close_round(*, actor, round_id: int) -> Round:
    """Close a round after its window (or once every listed voter has voted): tally, rank and cut. Cases
    level across the cut-off stay tied for staff to decide."""
    now = timezone.now()
    with transaction.atomic(), audit.acting_as(actor):
        # The row lock waits for ballots and votes still being written (their insert holds a key-share lock
        # on this row) and makes any later one fail: the tally below is final.
        round_ = lock_round(round_id)
        move = workflow.ROUND.allow(actor, round_, "close")
        if round_.kind != RoundKind.APPROVAL and now < round_.closes_at:
            waiting = round_.voters.filter(cast_at__isnull=True).exists()
            if round_.public_vote or waiting or not round_.voters.exists():
                raise RuleViolation(
                    _("The round runs until %(end)s and not everyone has voted.")
                    % {"end": timezone.localtime(round_.closes_at).strftime("%Y-%m-%d %H:%M")}
                )
        entries = list(Entry.objects.select_for_update(of=("self",)).filter(round=round_).select_related("submission"))
        rows = scoring.tally(round_, entries)
        made = scoring.cuts(round_, rows)
        ranks = scoring.ranks(rows)
        by_id = {row.submission_id: row for row in rows}
        outcome = {}
        slots = {}
        for group, c in made.items():
            outcome.update(dict.fromkeys(c.advanced, Outcome.ADVANCED))
            outcome.update(dict.fromkeys(c.eliminated, Outcome.ELIMINATED))
            outcome.update(dict.fromkeys(c.tied, Outcome.TIED))
            if c.tied:
                slots[group] = c.slots
        for entry in entries:
            row = by_id[entry.submission_id]
            entry.votes, entry.online_votes = row.votes, row.online_votes
            entry.online_score, entry.panel_score = row.online_score, row.panel_score
            entry.score = row.score if round_.kind != RoundKind.APPROVAL else None
            entry.rank = ranks[entry.submission_id] if round_.kind != RoundKind.APPROVAL else None
            entry.tie_group = row.group if round_.kind == RoundKind.QUOTA else ""
            if entry.outcome != Outcome.STRUCK:
                entry.outcome = outcome[entry.submission_id]
        Entry.objects.bulk_update(
            entries, ["votes", "online_votes", "online_score", "panel_score", "score", "rank", "tie_group", "outcome"]
        )
        round_.tie_slots = slots
        round_.closed_at = now
        move.apply(ties=len(slots))
        forget_vote_context(round_.campaign_id)
        if slots:  # only a tie is told, so the notice is not in the table's unconditional tells
            workflow.tell("tie", round_.pk)
    return round_


def break_tie(*, actor, round_id: int, chosen_ids, reason: str, group: str = "") -> Decision:
    """Staff decide which of the cases tied at the cut-off go on, recording why and who decided."""
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Record the reason for the decision.")]})
    with transaction.atomic(), audit.acting_as(actor):
        round_ = lock_round(round_id)
        move = workflow.ROUND.allow(actor, round_, "break_tie")
        if group not in round_.tie_slots:
            raise RuleViolation(_("No tie is waiting for a decision here."))
        places = round_.tie_slots[group]
        tied = list(Entry.objects.select_for_update().filter(round=round_, outcome=Outcome.TIED, tie_group=group))
        chosen = {int(pk) for pk in chosen_ids}
        if not chosen <= {e.submission_id for e in tied} or len(chosen) != places:
            raise RuleViolation(fields={"chosen": [_("Choose exactly %(n)s of the tied cases.") % {"n": places}]})
        for entry in tied:
            entry.outcome = Outcome.ADVANCED if entry.submission_id in chosen else Outcome.ELIMINATED
        Entry.objects.bulk_update(tied, ["outcome"])
        decision = Decision.objects.create(
            round=round_, kind=DecisionKind.TIE, tie_group=group, reason=reason.strip(), decided_by=actor,
            submission_ids=sorted(chosen),
        )  # fmt: skip
        slots = dict(round_.tie_slots)
        del slots[group]
        round_.tie_slots = slots
        move.apply(fields=["tie_slots"], group=group, chosen=sorted(chosen))
    return decision


def decide_round(*, actor, round_id: int, note: str = "") -> Round:
    """Fix the round's result; ties must be decided first. The approval round records the council's
    confirmation of the list (its note says where and when)."""
    with transaction.atomic(), audit.acting_as(actor):
        round_ = lock_round(round_id)
        move = workflow.ROUND.allow(actor, round_, "decide")
        if round_.tie_slots:
            raise InvalidTransition(_("Cases are tied at the cut-off: record the decision on the tie first."))
        if round_.kind == RoundKind.APPROVAL:
            if not note.strip():
                raise RuleViolation(fields={"note": [_("Record the council's confirmation (meeting and date).")]})
            confirmed = list(round_.entries.filter(outcome=Outcome.ADVANCED).values_list("submission_id", flat=True))
            Decision.objects.create(
                round=round_, kind=DecisionKind.CONFIRM, reason=note.strip(), decided_by=actor,
                submission_ids=sorted(confirmed),
            )  # fmt: skip
        round_.decided_at, round_.decided_by = timezone.now(), actor
        move.apply()
    return round_

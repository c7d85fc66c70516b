"""Every write of the case selection: the staff, unit, voter and public pages, the console and the API call these.

Each action locks its rows (several: in primary-key order), checks who may act (rules.py) and the state
(workflow.py), changes the rows, writes the audit log and sends its notifications after commit."""

import hmac
import re
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congress import audit, outbox, policies, scope, uploads
from congress.errors import Conflict, Forbidden, InvalidTransition, RuleViolation
from congress.models import Level, Organisation, PolicyValue, Role, RoleMembership, User
from congress.notifications import sms_backend
from deputies import services as roster
from deputies.models import Mandate, MandateStatus

from . import scoring, selectors, workflow
from .models import (
    Award,
    Ballot,
    Campaign,
    CampaignKind,
    CampaignStatus,
    CampaignUnit,
    Criterion,
    Decision,
    DecisionKind,
    Entry,
    Outcome,
    PhoneCheck,
    PublicVote,
    Round,
    RoundKind,
    RoundStatus,
    Score,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    Voter,
)

MAX_FILES = 8
CODE_MINUTES = 10  # an SMS code is good for this long
CODE_ATTEMPTS = 5  # wrong guesses before a code is spent
ROUND_NOT_OPEN = "cases_round_not_open"  # raised by the Postgres trigger of migration 0002


def _policy_values(congress_id: int, *keys: str) -> dict:
    """Several policies of one congress in one query (the public vote reads two on every request)."""
    overrides = dict(PolicyValue.objects.filter(congress_id=congress_id, key__in=keys).values_list("key", "value"))
    values = {}
    for key in keys:
        definition = policies.REGISTRY[key]
        value = overrides.get(key)
        if value is None:
            value = definition.default_for(None)
        values[key] = value if definition.unit == policies.PERCENT else int(value)
    return values


def _lock_campaign(campaign_id: int) -> Campaign:
    campaign = (
        Campaign.objects.select_for_update(of=("self",)).select_related("congress").filter(pk=campaign_id).first()
    )
    if campaign is None:
        raise RuleViolation(_("The campaign does not exist."))
    return campaign


def _lock_submission(submission_id: int) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",)).select_related("campaign__congress", "unit")
        .filter(pk=submission_id).first()
    )  # fmt: skip
    if submission is None:
        raise RuleViolation(_("The case does not exist."))
    return submission


def _lock_round(round_id: int) -> Round:
    round_ = (
        Round.objects.select_for_update(of=("self",)).select_related("campaign__congress").filter(pk=round_id).first()
    )
    if round_ is None:
        raise RuleViolation(_("The round does not exist."))
    return round_


# Campaigns

CAMPAIGN_FIELDS = ("kind", "year", "title", "description", "submissions_open", "submissions_close")


def _validate_campaign(campaign: Campaign) -> None:
    errors = {}
    if not campaign.title.strip():
        errors["title"] = [_("Give the campaign a title.")]
    if campaign.kind not in CampaignKind.values:
        errors["kind"] = [_("Choose the kind of cases.")]
    if (
        campaign.submissions_open
        and campaign.submissions_close
        and campaign.submissions_close < campaign.submissions_open
    ):
        errors["submissions_close"] = [_("Submissions must close on or after the day they open.")]
    if errors:
        raise RuleViolation(fields=errors)


def _set_units(campaign: Campaign, units) -> None:
    """units: (organisation, quota or None) pairs; units dropped from the list lose their invitation unless
    they already submitted."""
    wanted = {}
    for unit, quota in units:
        if quota is not None and int(quota) < 1:
            raise RuleViolation(fields={"units": [_("A quota is at least 1, or empty for no limit.")]})
        wanted[unit.pk] = quota
    if not wanted:
        raise RuleViolation(fields={"units": [_("Invite at least one unit to submit.")]})
    found = Organisation.objects.filter(pk__in=wanted, region__code__startswith=campaign.region_code)
    if found.count() != len(wanted):
        raise RuleViolation(fields={"units": [_("Invite units of the congress's own region.")]})
    dropped = CampaignUnit.objects.filter(campaign=campaign).exclude(unit_id__in=wanted)
    if Submission.objects.filter(campaign=campaign, unit_id__in=dropped.values("unit_id")).exists():
        raise RuleViolation(fields={"units": [_("A unit that has already written a case stays invited.")]})
    dropped.delete()
    for unit_id, quota in wanted.items():
        CampaignUnit.objects.update_or_create(campaign=campaign, unit_id=unit_id, defaults={"quota": quota})


def create_campaign(*, actor, congress, fields: dict, units) -> Campaign:
    """Staff open a campaign of one kind for a year, with its submission window and invited units."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = Campaign(congress=congress, region_code=congress.region.code, created_by=actor)
        for name in CAMPAIGN_FIELDS:
            if name in fields:
                setattr(campaign, name, fields[name])
        scope.require(actor, "cases.manage", campaign)
        _validate_campaign(campaign)
        if Campaign.objects.filter(congress=congress, year=campaign.year, title=campaign.title).exists():
            raise RuleViolation(fields={"title": [_("This congress already has a campaign of that title that year.")]})
        campaign.save()
        _set_units(campaign, units)
    return campaign


def update_campaign(*, actor, campaign_id: int, fields: dict, units=None) -> Campaign:
    with transaction.atomic(), audit.acting_as(actor):
        campaign = _lock_campaign(campaign_id)
        workflow.CAMPAIGN.allow(actor, campaign, "edit")
        for name in CAMPAIGN_FIELDS:
            if name in fields:
                if name == "kind" and fields[name] != campaign.kind and campaign.submissions.exists():
                    raise RuleViolation(fields={"kind": [_("Cases have been written: the kind cannot change.")]})
                setattr(campaign, name, fields[name])
        _validate_campaign(campaign)
        campaign.save()
        if units is not None:
            _set_units(campaign, units)
    return campaign


def announce(*, actor, campaign_id: int) -> Campaign:
    """Open the campaign to submissions; the invited units' officers are told."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = _lock_campaign(campaign_id)
        move = workflow.CAMPAIGN.allow(actor, campaign, "announce")
        if not campaign.units.exists():
            raise RuleViolation(_("Invite at least one unit to submit."))
        move.apply()
    return campaign


def close_submissions(*, actor, campaign_id: int) -> Campaign:
    """End the submission stage: rounds can now open on the submitted cases."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = _lock_campaign(campaign_id)
        workflow.CAMPAIGN.apply(actor, campaign, "close_submissions")
    return campaign


# Submissions

SUBMISSION_FIELDS = ("title", "summary", "narrative", "level", "suggestion", "station", "video_url")


def _validate_links(submission: Submission, mandate_ids) -> list[int]:
    errors = {}
    if submission.level and submission.level not in Level.values:
        errors["level"] = [_("Choose a deputy level.")]
    if submission.station_id and not submission.station.region_code.startswith(submission.campaign.region_code):
        errors["station"] = [_("Choose a station of the congress's region.")]
    if submission.suggestion_id and not submission.suggestion.region_code.startswith(
        submission.campaign.region_code[:2]
    ):
        errors["suggestion"] = [_("Choose a suggestion made in this province.")]
    wanted = sorted({int(pk) for pk in mandate_ids or []})
    if wanted:
        live = Mandate.objects.filter(pk__in=wanted).exclude(status=MandateStatus.ENDED).count()
        if live != len(wanted):
            errors["mandates"] = [_("Choose deputies whose mandate has not ended.")]
    if errors:
        raise RuleViolation(fields=errors)
    return wanted


def _unit_for(actor, campaign: Campaign, unit_id: int | None) -> CampaignUnit:
    mine = CampaignUnit.objects.filter(campaign=campaign, unit_id__in=scope.unit_ids(actor)).select_related("unit")
    if unit_id:
        mine = mine.filter(unit_id=unit_id)
    invitations = list(mine[:2])
    if not invitations:
        raise Forbidden(_("Your unit is not invited to submit to this campaign."))
    if len(invitations) > 1:
        raise RuleViolation(fields={"unit": [_("You act for several invited units: say which one.")]})
    return invitations[0]


def create_submission(*, actor, campaign_id: int, fields: dict, mandate_ids=(), files=(), unit_id=None) -> Submission:
    """A unit officer starts a case for their unit while the campaign takes submissions."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = Campaign.objects.select_related("congress").filter(pk=campaign_id).first()
        if campaign is None:
            raise RuleViolation(_("The campaign does not exist."))
        invitation = _unit_for(actor, campaign, unit_id)
        if campaign.status != CampaignStatus.OPEN:
            raise InvalidTransition(_("The campaign is not taking submissions."))
        submission = Submission(campaign=campaign, unit=invitation.unit)
        for name in SUBMISSION_FIELDS:
            if name in fields:
                setattr(submission, name, fields[name])
        if not submission.title.strip():
            raise RuleViolation(fields={"title": [_("Give the case a title.")]})
        wanted = _validate_links(submission, mandate_ids)
        submission.save()
        submission.mandates.set(wanted)
        _add_files(submission, files)
    return submission


def save_submission(*, actor, submission_id: int, fields: dict, mandate_ids=None, files=()) -> Submission:
    """Save a draft or a case returned for completion."""
    with transaction.atomic(), audit.acting_as(actor):
        submission = _lock_submission(submission_id)
        workflow.SUBMISSION.allow(actor, submission, "edit")
        for name in SUBMISSION_FIELDS:
            if name in fields:
                setattr(submission, name, fields[name])
        if not submission.title.strip():
            raise RuleViolation(fields={"title": [_("Give the case a title.")]})
        wanted = _validate_links(submission, mandate_ids if mandate_ids is not None else [])
        submission.save()
        if mandate_ids is not None:
            submission.mandates.set(wanted)
        _add_files(submission, files)
    return submission


def _add_files(submission: Submission, files) -> list[SubmissionFile]:
    files = [f for f in files or [] if f]
    if not files:
        return []
    room = MAX_FILES - submission.files.count()
    checked = uploads.check_all(files, max_files=max(room, 0))
    return [
        SubmissionFile.objects.create(
            submission=submission, file=upload, name=upload.name[:200], content_type=content_type, size=upload.size
        )
        for upload, content_type in checked
    ]


def remove_file(*, actor, file_id: int) -> None:
    with transaction.atomic(), audit.acting_as(actor):
        found = SubmissionFile.objects.filter(pk=file_id).first()
        if found is None:
            raise RuleViolation(_("The attachment does not exist."))
        submission = _lock_submission(found.submission_id)
        workflow.SUBMISSION.allow(actor, submission, "edit")
        audit.record(actor, submission, "remove_file", {}, name=found.name)
        found.file.delete(save=False)
        found.delete()


def _check_complete(submission: Submission) -> None:
    errors = {}
    kind = submission.campaign.kind
    if len(submission.narrative.strip()) < 20:
        errors["narrative"] = [_("Tell the case's story (at least 20 characters).")]
    if kind == CampaignKind.DUTY:
        if not submission.level:
            errors["level"] = [_("Choose the deputies' level.")]
        if not submission.mandates.exists():
            errors["mandates"] = [_("Name the deputy or deputies of the case.")]
    elif kind == CampaignKind.SUGGESTION and not submission.suggestion_id:
        errors["suggestion"] = [_("Choose the suggestion the case is about.")]
    elif kind == CampaignKind.STATION and not submission.station_id:
        errors["station"] = [_("Choose the liaison station the case is about.")]
    if errors:
        raise RuleViolation(fields=errors)


def submit(*, actor, submission_id: int) -> Submission:
    """Submit a case within the window and the unit's quota."""
    with transaction.atomic(), audit.acting_as(actor):
        submission = _lock_submission(submission_id)
        move = workflow.SUBMISSION.allow(actor, submission, "submit")
        campaign = submission.campaign
        today = timezone.localdate()
        if campaign.status != CampaignStatus.OPEN or not (
            campaign.submissions_open <= today <= campaign.submissions_close
        ):
            raise RuleViolation(
                _("Cases are taken from %(start)s to %(end)s while the campaign is open.")
                % {"start": campaign.submissions_open, "end": campaign.submissions_close}
            )
        _check_complete(submission)
        # The invitation row is the unit's lock: two officers submitting at once cannot both pass the quota.
        invitation = CampaignUnit.objects.select_for_update().get(campaign=campaign, unit=submission.unit)
        if invitation.quota is not None and submission.status == SubmissionStatus.DRAFT:
            used = Submission.objects.filter(
                campaign=campaign,
                unit=submission.unit,
                status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED],
            ).count()
            if used >= invitation.quota:
                raise RuleViolation(
                    _("Your unit's quota for this campaign is %(quota)s cases and it has submitted %(used)s.")
                    % {"quota": invitation.quota, "used": used}
                )
        submission.submitted_at = timezone.now()
        submission.submitted_by = actor
        submission.review_note = ""
        move.apply()
    return submission


def _review(actor, submission_id: int, action: str, reason: str) -> Submission:
    if not reason.strip():
        raise RuleViolation(fields={"reason": [_("Say why.")]})
    with transaction.atomic(), audit.acting_as(actor):
        submission = _lock_submission(submission_id)
        move = workflow.SUBMISSION.allow(actor, submission, action)
        if submission.entries.exists():
            raise InvalidTransition(_("The case is already in a selection round."))
        submission.review_note = reason.strip()
        move.apply(reason=reason.strip())
    return submission


def return_submission(*, actor, submission_id: int, reason: str) -> Submission:
    """Staff send a case back to its unit for completion."""
    return _review(actor, submission_id, "return", reason)


def reject_submission(*, actor, submission_id: int, reason: str) -> Submission:
    """Staff turn a case down, with the reason told to the unit."""
    return _review(actor, submission_id, "reject", reason)


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
    round_.voters.all().delete()
    Voter.objects.bulk_create(
        [Voter(round=round_, user=user, committee=committee if round_.kind == RoundKind.QUOTA else None)
         for user, committee in rows]
    )  # fmt: skip


def add_round(*, actor, campaign_id: int, fields: dict, voters=(), criteria=()) -> Round:
    """Staff add the next round to a campaign's pipeline."""
    with transaction.atomic(), audit.acting_as(actor):
        campaign = _lock_campaign(campaign_id)
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
        round_ = _lock_round(round_id)
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
        round_ = _lock_round(round_id)
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
        round_ = _lock_round(round_id)
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
        round_ = _lock_round(round_id)
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
        round_ = _lock_round(round_id)
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
        round_ = _lock_round(round_id)
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


# Results


def finish(*, actor, campaign_id: int) -> list[Award]:
    """Publish the result: the selected cases become awards, and each linked deputy's duty record gets a
    case-award entry (once, whatever is retried)."""
    from .tasks import record_awards

    with transaction.atomic(), audit.acting_as(actor):
        campaign = _lock_campaign(campaign_id)
        move = workflow.CAMPAIGN.allow(actor, campaign, "finish")
        last = campaign.rounds.order_by("-position").first()
        if last is None or last.status != RoundStatus.DECIDED:
            raise InvalidTransition(_("Decide the last round before publishing the result."))
        result = selectors.final_list(campaign)
        awards = Award.objects.bulk_create(
            [Award(campaign=campaign, submission=row["submission"], rank=row["rank"], score=row["score"])
             for row in result["rows"] if row["selected"]]
        )  # fmt: skip
        campaign.finished_at = timezone.now()
        outbox.enqueue(record_awards, campaign.pk)
        move.apply(awards=len(awards))
    return awards


def record_awards(campaign_id: int) -> int:
    """Each selected case's deputies get a case-award entry in their duty record, and the station it is about
    an honour on its star record; both idempotent by source."""
    from liaison_stations import services as stations

    campaign = Campaign.objects.get(pk=campaign_id)
    done = 0
    for award in (
        Award.objects.filter(campaign=campaign).select_related("submission").prefetch_related("submission__mandates")
    ):
        if award.submission.station_id:
            stations.record_honour(
                station_id=award.submission.station_id, year=campaign.year,
                title=f"{campaign.title}（第{award.rank}名）", on=timezone.localdate(campaign.finished_at),
                source=f"cases:{campaign.pk}:{award.submission_id}", link=campaign.get_absolute_url(),
            )  # fmt: skip
            done += 1
        for mandate in award.submission.mandates.all():
            roster.record_duty(
                mandate=mandate, kind_code="case_award", on=timezone.localdate(campaign.finished_at),
                title=f"{campaign.title}：{award.submission.title}",
                source=f"cases:{campaign.pk}:{award.submission_id}",
            )  # fmt: skip
            done += 1
    return done


# The public online vote

PHONE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(phone: str) -> str:
    phone = re.sub(r"[\s-]", "", phone or "").removeprefix("+86")
    if not PHONE.match(phone):
        raise RuleViolation(fields={"phone": [_("Enter an 11-digit mainland mobile number.")]})
    return phone


def phone_hash(phone: str) -> str:
    """Phones are kept only as a keyed hash: enough to count one phone's votes, useless to read back."""
    return salted_hmac("cases.phone", phone, algorithm="sha256").hexdigest()


def _code_hash(check_key: str, code: str) -> str:
    return salted_hmac("cases.code", f"{check_key}:{code}", algorithm="sha256").hexdigest()


def shows_codes() -> bool:
    """The development and test SMS backends deliver nothing, so the page shows the code instead."""
    return settings.SMS_BACKEND in (
        "congress.notifications.ConsoleSmsBackend",
        "congress.notifications.LocmemSmsBackend",
    )


def send_code(*, campaign: Campaign, phone: str) -> tuple[PhoneCheck, str]:
    """Send a verification code to the phone (the page's rate limits run before this)."""
    phone = normalise_phone(phone)
    if selectors.public_round(campaign) is None or campaign.status == CampaignStatus.FINISHED:
        raise RuleViolation(_("There is no public vote in this campaign now."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    hashed = phone_hash(phone)
    now = timezone.now()
    check = PhoneCheck.objects.create(
        campaign=campaign, phone_hash=hashed, code_hash=_code_hash(hashed, code),
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )  # fmt: skip
    text = _("Your code for the %(title)s vote is %(code)s (valid %(minutes)s minutes).") % {
        "title": campaign.title,
        "code": code,
        "minutes": CODE_MINUTES,
    }
    transaction.on_commit(lambda: sms_backend().send(phone, text))
    return check, code


def verify_code(*, campaign: Campaign, phone: str, code: str) -> str:
    """Check the code sent to the phone; returns the phone's hash for the session."""
    phone = normalise_phone(phone)
    hashed = phone_hash(phone)
    with transaction.atomic():
        check = (
            PhoneCheck.objects.select_for_update()
            .filter(campaign=campaign, phone_hash=hashed, verified_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if check is None or check.expires_at < timezone.now() or check.attempts >= CODE_ATTEMPTS:
            raise RuleViolation(fields={"code": [_("The code has expired; ask for a new one.")]})
        if not hmac.compare_digest(check.code_hash, _code_hash(hashed, (code or "").strip())):
            check.attempts += 1
            check.save(update_fields=["attempts"])
            raise RuleViolation(fields={"code": [_("The code is not right.")]})
        check.verified_at = timezone.now()
        check.save(update_fields=["verified_at"])
    return hashed


def verified_minutes(campaign: Campaign) -> int:
    return int(policies.policy(campaign.congress, "cases.verified_phone_minutes"))


CONTEXT_SECONDS = 5
PER_DAY = "cases.public_votes_per_phone_day"
PER_ADDRESS = "cases.public_votes_per_address_hour"


def _context_key(slug: str) -> str:
    return f"cases:vote:{slug}"


def vote_context(slug: str) -> dict:
    """What every public vote request of a campaign needs — its open round, window, candidates and limits —
    read once and kept a few seconds ({} when no public vote is open). Nothing in it changes while the round
    is open except the status, and a vote for a round that has just closed is refused by the database itself
    (the trigger of migration 0002, or the check below on SQLite), so a stale copy can never count a vote."""
    key = _context_key(slug)
    context = cache.get(key)
    if context is None:
        round_ = (
            Round.objects.filter(campaign__slug=slug, public_vote=True, status=RoundStatus.OPEN)
            .select_related("campaign")
            .first()
        )
        context = {}
        if round_ is not None:
            limits = _policy_values(round_.campaign.congress_id, PER_DAY, PER_ADDRESS)
            context = {
                "round": round_.pk, "opens": round_.opens_at, "closes": round_.closes_at,
                "candidates": frozenset(round_.entries.values_list("submission_id", flat=True)),
                "per_day": limits[PER_DAY], "per_address_hour": limits[PER_ADDRESS],
            }  # fmt: skip
        cache.set(key, context, CONTEXT_SECONDS)
    return context


def forget_vote_context(campaign_id: int) -> None:
    slug = Campaign.objects.filter(pk=campaign_id).values_list("slug", flat=True).first()
    if slug:
        cache.delete(_context_key(slug))


def _store_vote(vote: PublicVote) -> None:
    """One INSERT. Inside a transaction (a test, a caller's atomic block) a savepoint keeps a refused insert
    from spoiling it; in autocommit the statement is its own transaction: one round trip."""
    if connection.in_atomic_block:
        with transaction.atomic():
            vote.save(force_insert=True)
    else:
        vote.save(force_insert=True)


def public_vote(*, slug: str, submission_id: int, phone_hash: str) -> PublicVote:
    """A verified citizen's vote for a candidate of the campaign's open public vote, within the phone's
    daily limit. Counts stay exact under any concurrency: each vote is one row, and (round, phone, day, slot)
    is unique."""
    now = timezone.now()
    context = vote_context(slug)
    if not context or submission_id not in context["candidates"]:
        raise RuleViolation(_("This is not a candidate of an open public vote."))
    if not context["opens"] <= now < context["closes"]:
        raise RuleViolation(_("The public vote is not open now."))
    if connection.vendor != "postgresql" and not Round.objects.filter(pk=context["round"], status="open").exists():
        raise InvalidTransition(_("The public vote has closed."))
    per_day = context["per_day"]
    day = timezone.localdate(now)
    for _attempt in range(3):
        used = 0
        if per_day > 1:
            used = PublicVote.objects.filter(round_id=context["round"], phone_hash=phone_hash, day=day).count()
        if used >= per_day:
            break
        vote = PublicVote(
            round_id=context["round"], submission_id=submission_id, phone_hash=phone_hash, day=day, slot=used + 1
        )
        try:
            _store_vote(vote)
            return vote
        except IntegrityError as exc:
            if ROUND_NOT_OPEN in str(exc):
                raise InvalidTransition(_("The public vote has closed.")) from exc
            if per_day == 1:
                break
            # Another request from this phone took the same slot at the same moment: count again.
    raise Conflict(
        _("This phone has used its %(n)s vote(s) for today; thank you, and come back tomorrow.") % {"n": per_day}
    )


# Who is told


def officers_of(unit_ids) -> list[User]:
    ids = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id__in=unit_ids).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True))

"""Who sees which campaigns, cases, rounds and ballots, and who may act: registered with congress.scope.

Staff (and supervisors and integration clients) read their region tree; a submitting unit's officers read the
campaigns their unit is invited to and their own cases; a listed voter reads the rounds they vote in, the
cases in them and their own ballots. Only staff of the campaign's congress run it."""

from django.db.models import Q

from congress import scope
from congress.models import Role

from .models import (
    Award,
    Ballot,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Criterion,
    Decision,
    Entry,
    PhoneCheck,
    PublicVote,
    Round,
    Score,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    Voter,
)


def _prefix(path: str, user) -> Q:
    return scope.prefix_q(path, scope.region_prefixes(user))


def campaign_visibility(user) -> Q:
    q = _prefix("region_code", user)
    units = scope.unit_ids(user)
    if units:
        invited = CampaignUnit.objects.filter(unit_id__in=units).values("campaign_id")
        q |= Q(pk__in=invited) & ~Q(status=CampaignStatus.DRAFT)
    q |= Q(pk__in=Voter.objects.filter(user_id=user.pk).values("round__campaign_id"))
    return q


def submission_visibility(user) -> Q:
    """Staff do not see a unit's drafts; voters see the cases in the rounds they vote in."""
    q = _prefix("campaign__region_code", user) & ~Q(status=SubmissionStatus.DRAFT)
    units = scope.unit_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    rounds = Voter.objects.filter(user_id=user.pk).values("round_id")
    q |= Q(pk__in=Entry.objects.filter(round_id__in=rounds).values("submission_id"))
    return q


def round_visibility(user) -> Q:
    return Q(campaign_id__in=scope.visible(user, Campaign).values("pk"))


def entry_visibility(user) -> Q:
    q = _prefix("round__campaign__region_code", user)
    q |= Q(round_id__in=Voter.objects.filter(user_id=user.pk).values("round_id"))
    units = scope.unit_ids(user)
    if units:
        q |= Q(submission__unit_id__in=units)
    return q


def _through_submission(user) -> Q:
    return Q(submission_id__in=scope.visible(user, Submission).values("pk"))


def _through_round(user) -> Q:
    return Q(round_id__in=scope.visible(user, Round).values("pk"))


scope.register(Campaign, scope.ScopeSpec(custom=campaign_visibility))
scope.register(CampaignUnit, scope.ScopeSpec(region="campaign__region_code", unit="unit_id"))
scope.register(Submission, scope.ScopeSpec(custom=submission_visibility))
scope.register(SubmissionFile, scope.ScopeSpec(custom=_through_submission))
scope.register(Round, scope.ScopeSpec(custom=round_visibility))
scope.register(Criterion, scope.ScopeSpec(custom=_through_round))
scope.register(Entry, scope.ScopeSpec(custom=entry_visibility))
scope.register(Voter, scope.ScopeSpec(region="round__campaign__region_code", owner="user_id"))
scope.register(Ballot, scope.ScopeSpec(region="round__campaign__region_code", owner="voter__user_id"))
scope.register(Score, scope.ScopeSpec(region="round__campaign__region_code", owner="judge__user_id"))
scope.register(PublicVote, scope.ScopeSpec(region="round__campaign__region_code"))
scope.register(PhoneCheck, scope.ScopeSpec(region="campaign__region_code"))
scope.register(Decision, scope.ScopeSpec(region="round__campaign__region_code"))
scope.register(Award, scope.ScopeSpec(region="campaign__region_code"))


def congress_id_of(obj) -> int | None:
    if isinstance(obj, Campaign):
        return obj.congress_id
    if isinstance(obj, Submission | Round | CampaignUnit):
        return obj.campaign.congress_id
    if isinstance(obj, Entry | Voter | Criterion | Decision):
        return obj.round.campaign.congress_id
    return None


@scope.rule("cases.manage")
def manage(user, obj) -> bool:
    """Staff of the campaign's congress set it up, review cases, run the rounds and decide."""
    return congress_id_of(obj) in scope.congress_ids(user, (Role.STAFF,))


@scope.rule("cases.submit")
def submit(user, obj: Submission) -> bool:
    """A unit's officers write and submit its cases; nobody else writes in its name."""
    return obj.unit_id in scope.unit_ids(user)


@scope.rule("cases.vote")
def vote(user, obj: Voter) -> bool:
    """Only the listed voter casts their ballot or scores."""
    return obj.user_id == user.pk


@scope.rule("cases.view_results")
def view_results(user, obj: Campaign) -> bool:
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF, Role.SUPERVISOR))


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    WRITE_ACTIONS.update({Campaign: "cases.manage", Round: "cases.manage", CampaignUnit: "cases.manage"})


_register_writes()

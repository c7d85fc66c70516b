"""The state machines of a campaign, a submission and a round, and what each round method needs.

Round: draft → open → closed → decided. Opening puts the previous round's survivors (or, for the first round,
every submitted case) in as entries; ballots, scores and public votes are taken only while the round is open
and inside its window; closing tallies and makes the cut, and a tie across the cut-off leaves the round
closed with a pending tie until staff break it by a recorded decision; deciding fixes who goes on. A closed
round's ballots, scores and votes never change. Services call check_*() before they change a row."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.errors import InvalidTransition

from .models import CampaignStatus as C
from .models import RoundKind as K
from .models import RoundStatus as R
from .models import SubmissionStatus as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None
    rule: str  # the scope rule deciding who may
    label: str


def t(sources, target, rule, label):
    return Transition(frozenset(sources), target, rule, label)


CAMPAIGN = {
    "edit": t({C.DRAFT, C.OPEN}, None, "cases.manage", gettext_lazy("edited")),
    "announce": t({C.DRAFT}, C.OPEN, "cases.manage", gettext_lazy("opened for submissions")),
    "close_submissions": t({C.OPEN}, C.SELECTING, "cases.manage", gettext_lazy("closed to submissions")),
    "add_round": t({C.DRAFT, C.OPEN, C.SELECTING}, None, "cases.manage", gettext_lazy("given a round")),
    "finish": t({C.SELECTING}, C.FINISHED, "cases.manage", gettext_lazy("finished")),
}

SUBMISSION = {
    "edit": t({S.DRAFT, S.RETURNED}, None, "cases.submit", gettext_lazy("edited")),
    "submit": t({S.DRAFT, S.RETURNED}, S.SUBMITTED, "cases.submit", gettext_lazy("submitted")),
    "return": t({S.SUBMITTED}, S.RETURNED, "cases.manage", gettext_lazy("returned for completion")),
    "reject": t({S.SUBMITTED, S.RETURNED}, S.REJECTED, "cases.manage", gettext_lazy("rejected")),
}

ROUND = {
    "edit": t({R.DRAFT}, None, "cases.manage", gettext_lazy("changed")),
    "open": t({R.DRAFT}, R.OPEN, "cases.manage", pgettext_lazy("round action", "opened")),
    "vote": t({R.OPEN}, None, "cases.vote", gettext_lazy("voted in")),
    "strike": t({R.OPEN}, None, "cases.manage", gettext_lazy("given a struck case")),
    "close": t({R.OPEN}, R.CLOSED, "cases.manage", pgettext_lazy("round action", "closed")),
    "break_tie": t({R.CLOSED}, None, "cases.manage", gettext_lazy("given a tie decision")),
    "decide": t({R.CLOSED}, R.DECIDED, "cases.manage", pgettext_lazy("round action", "decided")),
}

# What each method counts: approvals (ballot, meeting), recommendations per level (quota), public votes and
# panel scores (weighted), or nothing but the council's strikes (approval).
BALLOT_KINDS = {K.BALLOT, K.MEETING}
VOTER_KINDS = {K.BALLOT, K.MEETING, K.QUOTA, K.WEIGHTED}
RANKING_KINDS = {K.BALLOT, K.MEETING, K.QUOTA, K.WEIGHTED}


def _check(table, obj, action, what) -> Transition:
    transition = table[action]
    if obj.status not in transition.sources:
        raise InvalidTransition(
            _("The %(what)s is %(state)s: it cannot be %(action)s now.")
            % {"what": what, "state": obj.get_status_display(), "action": transition.label}
        )
    return transition


def check_campaign(campaign, action: str) -> Transition:
    return _check(CAMPAIGN, campaign, action, _("campaign"))


def check_submission(submission, action: str) -> Transition:
    return _check(SUBMISSION, submission, action, _("case"))


def check_round(round_, action: str) -> Transition:
    return _check(ROUND, round_, action, _("round"))


def in_window(round_, now) -> bool:
    return round_.opens_at <= now < round_.closes_at


def round_actions(round_) -> list[str]:
    return [action for action, tr in ROUND.items() if round_.status in tr.sources]


def submission_actions(submission) -> list[str]:
    return [action for action, tr in SUBMISSION.items() if submission.status in tr.sources]

"""The state machines of a campaign, a submission and a round, and what each round method needs.

Round: draft → open → closed → decided. Opening puts the previous round's survivors (or, for the first round,
every submitted case) in as entries; ballots, scores and public votes are taken only while the round is open
and inside its window; closing tallies and makes the cut, and a tie across the cut-off leaves the round
closed with a pending tie until staff break it by a recorded decision; deciding fixes who goes on. A closed
round's ballots, scores and votes never change.

Services call MACHINE.allow(actor, obj, action) where they check who may and the state, and move.apply(...)
where the row changes: congress.transitions carries it out (state, audit entry, the notices in `tells`) in the
service's transaction. Rows with no target change no state; their services only ask allow()."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from congress import outbox
from congress.transitions import Machine, t

from .models import CampaignStatus, RoundKind, RoundStatus, SubmissionStatus


def tell(event: str, pk: int, **extra) -> None:
    """Store a notice in the outbox, in the caller's transaction; cases.tasks.tell sends it after commit."""
    from . import tasks  # tasks imports services, which import this module

    outbox.enqueue(tasks.tell, event, pk, **extra)


@dataclass(frozen=True)
class Refusal:
    """The one refusal text of the app, naming the kind of object; the machine fills in state and action."""

    what: str  # a lazy translated noun

    def __mod__(self, values: dict) -> str:
        return _("The %(what)s is %(state)s: it cannot be %(action)s now.") % {**values, "what": self.what}


# fmt: off
CAMPAIGN = Machine(
    name="campaign",
    transitions={
        "edit": t({CampaignStatus.DRAFT, CampaignStatus.OPEN}, None, "cases.manage", gettext_lazy("edited")),
        "announce": t({CampaignStatus.DRAFT}, CampaignStatus.OPEN, "cases.manage",
                      gettext_lazy("opened for submissions"), tells=("announced",)),
        "close_submissions": t({CampaignStatus.OPEN}, CampaignStatus.SELECTING, "cases.manage",
                               gettext_lazy("closed to submissions")),
        "add_round": t({CampaignStatus.DRAFT, CampaignStatus.OPEN, CampaignStatus.SELECTING}, None, "cases.manage",
                       gettext_lazy("given a round")),
        "finish": t({CampaignStatus.SELECTING}, CampaignStatus.FINISHED, "cases.manage", gettext_lazy("finished"),
                    tells=("finished",)),
    },
    refusal=Refusal(gettext_lazy("campaign")),
    state_label=lambda state: CampaignStatus(state).label,
    notify=tell,
)

SUBMISSION = Machine(
    name="submission",
    transitions={
        "edit": t({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}, None, "cases.submit", gettext_lazy("edited")),
        "submit": t({SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}, SubmissionStatus.SUBMITTED, "cases.submit",
                    gettext_lazy("submitted")),
        "return": t({SubmissionStatus.SUBMITTED}, SubmissionStatus.RETURNED, "cases.manage",
                    gettext_lazy("returned for completion"), tells=("return",)),
        "reject": t({SubmissionStatus.SUBMITTED, SubmissionStatus.RETURNED}, SubmissionStatus.REJECTED, "cases.manage",
                    gettext_lazy("rejected"), tells=("reject",)),
    },
    refusal=Refusal(gettext_lazy("case")),
    state_label=lambda state: SubmissionStatus(state).label,
    notify=tell,
)

# Closing tells staff only when a tie waits for them: close_round stores that notice itself, as a row's tells are
# sent every time.
ROUND = Machine(
    name="round",
    transitions={
        "edit": t({RoundStatus.DRAFT}, None, "cases.manage", gettext_lazy("changed")),
        "open": t({RoundStatus.DRAFT}, RoundStatus.OPEN, "cases.manage", pgettext_lazy("round action", "opened"),
                  tells=("round_opened",)),
        "vote": t({RoundStatus.OPEN}, None, "cases.vote", gettext_lazy("voted in")),
        "strike": t({RoundStatus.OPEN}, None, "cases.manage", gettext_lazy("given a struck case")),
        "close": t({RoundStatus.OPEN}, RoundStatus.CLOSED, "cases.manage", pgettext_lazy("round action", "closed")),
        "break_tie": t({RoundStatus.CLOSED}, None, "cases.manage", gettext_lazy("given a tie decision")),
        "decide": t({RoundStatus.CLOSED}, RoundStatus.DECIDED, "cases.manage",
                    pgettext_lazy("round action", "decided")),
    },
    refusal=Refusal(gettext_lazy("round")),
    state_label=lambda state: RoundStatus(state).label,
    notify=tell,
)
# fmt: on

# What each method counts: approvals (ballot, meeting), recommendations per level (quota), public votes and
# panel scores (weighted), or nothing but the council's strikes (approval).
BALLOT_KINDS = {RoundKind.BALLOT, RoundKind.MEETING}
VOTER_KINDS = {RoundKind.BALLOT, RoundKind.MEETING, RoundKind.QUOTA, RoundKind.WEIGHTED}
RANKING_KINDS = {RoundKind.BALLOT, RoundKind.MEETING, RoundKind.QUOTA, RoundKind.WEIGHTED}


def in_window(round_, now) -> bool:
    return round_.opens_at <= now < round_.closes_at

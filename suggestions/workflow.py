"""The whole state machine of suggestions and of each unit's assignment.

For every action: the states it is possible from, the state it leads to, who may take it (the scope rule
named in rules.py) and which deadlines it starts and stops. Services call check_*() before they change a
row; the detail page and the API list the actions open to a user from the same tables."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.errors import InvalidTransition

from .models import AssignmentStatus as A
from .models import Status as S


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: the state does not change (or is derived from the assignments)
    rule: str  # scope rule deciding who may
    label: str
    starts: tuple = field(default_factory=tuple)  # deadline kinds opened
    stops: tuple = field(default_factory=tuple)  # deadline kinds met


def t(sources, target, rule, label, starts=(), stops=()):
    return Transition(frozenset(sources), target, rule, label, tuple(starts), tuple(stops))


# Deadline kinds (opened in services with the congress's policy values).
ASSIGN = "suggestion.assign"
DISCLOSURE = "suggestion.disclosure"
RECEIPT = "assignment.receipt"
REASSIGN_WINDOW = "assignment.reassign_window"
CO_OPINION = "assignment.co_opinion"
REPLY = "assignment.reply"
REHANDLE = "assignment.rehandle"
FEEDBACK = "reply.feedback"

BEFORE_ASSIGNMENT = {S.DRAFT, S.SUBMITTED, S.RETURNED, S.ACCEPTED}

SUGGESTION = {
    "edit": t({S.DRAFT, S.RETURNED}, None, "suggestions.author", gettext_lazy("edited")),
    "submit": t({S.DRAFT, S.RETURNED}, S.SUBMITTED, "suggestions.author", gettext_lazy("submitted")),
    "withdraw": t(BEFORE_ASSIGNMENT, S.WITHDRAWN, "suggestions.author", gettext_lazy("withdrawn"), stops=[ASSIGN]),
    "accept": t({S.SUBMITTED}, S.ACCEPTED, "suggestions.review", gettext_lazy("accepted"), starts=[ASSIGN]),
    "return": t({S.SUBMITTED}, S.RETURNED, "suggestions.review", gettext_lazy("returned for revision")),
    "decline": t({S.SUBMITTED}, S.DECLINED, "suggestions.review", gettext_lazy("declined")),
    "convert": t({S.SUBMITTED}, None, "suggestions.review", gettext_lazy("converted into a suggestion")),
    "merge": t({S.ACCEPTED}, None, "suggestions.review", gettext_lazy("merged")),
    "assign": t(
        {S.ACCEPTED},
        S.ASSIGNED,
        "suggestions.review",
        gettext_lazy("assigned"),
        starts=[RECEIPT, REASSIGN_WINDOW, CO_OPINION, REPLY],
        stops=[ASSIGN],
    ),  # fmt: skip
    "object": t(
        {S.ACCEPTED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.REHANDLING, S.FOLLOW_UP, S.CLOSED},
        None,
        "suggestions.author",
        gettext_lazy("objected to publication"),
    ),  # fmt: skip
    "publish": t(
        {S.REPLIED, S.FOLLOW_UP, S.CLOSED},
        None,
        "suggestions.publish",
        pgettext_lazy("suggestion action", "published"),
        stops=[DISCLOSURE],
    ),
}

# Actions of one unit on its assignment.
ASSIGNMENT = {
    "confirm_receipt": t(
        {A.ASSIGNED}, A.RECEIVED, "suggestions.handle", gettext_lazy("receipt confirmed"), stops=[RECEIPT]
    ),  # fmt: skip
    "request_reassignment": t(
        {A.ASSIGNED, A.RECEIVED},
        A.RELEASE_REQUESTED,
        "suggestions.handle",
        gettext_lazy("asked to be released"),
    ),  # fmt: skip
    "decide_reassignment": t({A.RELEASE_REQUESTED}, None, "suggestions.review", gettext_lazy("request decided")),
    "record_contact": t(
        {A.ASSIGNED, A.RECEIVED, A.REPLIED, A.REHANDLING, A.FOLLOW_UP},
        None,
        "suggestions.handle",
        gettext_lazy("contact recorded"),
    ),  # fmt: skip
    "save_plan": t({A.RECEIVED, A.REHANDLING}, None, "suggestions.handle", gettext_lazy("handling plan saved")),
    "co_opinion": t(
        {A.RECEIVED},
        A.DONE,
        "suggestions.handle",
        gettext_lazy("co-handling opinion sent"),
        stops=[CO_OPINION, REASSIGN_WINDOW],
    ),  # fmt: skip
    "reply": t(
        {A.RECEIVED, A.REHANDLING},
        A.REPLIED,
        "suggestions.handle",
        gettext_lazy("replied"),
        starts=[FEEDBACK, DISCLOSURE],
        stops=[REPLY, REHANDLE, REASSIGN_WINDOW],
    ),  # fmt: skip
    "request_extension": t({A.RECEIVED}, None, "suggestions.handle", gettext_lazy("extension requested")),
    "decide_extension": t({A.RECEIVED}, None, "suggestions.review", gettext_lazy("extension decided")),
    "report_solved": t({A.FOLLOW_UP}, A.DONE, "suggestions.handle", gettext_lazy("reported solved")),
    # The deputy rates the reply; after a second dissatisfaction staff close it by decision.
    "feedback": t({A.REPLIED}, None, "suggestions.author", gettext_lazy("rated"), starts=[REHANDLE], stops=[FEEDBACK]),
    "close": t({A.DISPUTED}, A.DONE, "suggestions.review", gettext_lazy("closed by decision")),
}

# Assignments still at work (a released one is history; a done one finished).
LIVE = {A.ASSIGNED, A.RECEIVED, A.RELEASE_REQUESTED, A.REPLIED, A.REHANDLING, A.DISPUTED, A.FOLLOW_UP}
ANSWERED = {A.REPLIED, A.DISPUTED, A.FOLLOW_UP, A.DONE}


def check(suggestion, action: str) -> Transition:
    """Raise 409 naming the current state unless the action is possible now."""
    transition = SUGGESTION[action]
    if suggestion.status not in transition.sources:
        raise InvalidTransition(
            _("The suggestion is %(state)s: it cannot be %(action)s now.")
            % {"state": S(suggestion.status).label, "action": transition.label}
        )
    return transition


def check_assignment(assignment, action: str) -> Transition:
    transition = ASSIGNMENT[action]
    if assignment.status not in transition.sources:
        raise InvalidTransition(
            _("The assignment to %(unit)s is %(state)s: it cannot be %(action)s now.")
            % {"unit": assignment.unit, "state": A(assignment.status).label, "action": transition.label}
        )
    return transition


def derived_status(assignments) -> str:
    """A handed-out suggestion's state follows its units: the answering ones (lead or separate) decide."""
    answering = [a.status for a in assignments if a.answers and a.status != A.RELEASED]
    if not answering:
        return S.ASSIGNED
    if A.REHANDLING in answering:
        return S.REHANDLING
    if all(status in ANSWERED for status in answering):
        if all(status == A.DONE for status in answering):
            return S.CLOSED
        if all(status in (A.DONE, A.FOLLOW_UP) for status in answering):
            return S.FOLLOW_UP
        return S.REPLIED
    if all(status == A.ASSIGNED for status in answering):
        return S.ASSIGNED
    return S.IN_HANDLING


def suggestion_actions(suggestion) -> list[str]:
    return [action for action, tr in SUGGESTION.items() if suggestion.status in tr.sources]


def assignment_actions(assignment) -> list[str]:
    """What the unit itself can do now on its assignment."""
    return [
        action
        for action, tr in ASSIGNMENT.items()
        if assignment.status in tr.sources
        and tr.rule == "suggestions.handle"
        and not (action == "co_opinion" and assignment.answers)
        and not (action in ("reply", "request_extension") and not assignment.answers)
    ]

"""The whole state machine of suggestions and of each unit's assignment, with their deadlines.

For every action: the states it is possible from, the state it leads to, who may take it (the scope rule named in
rules.py), which deadlines it starts, meets and cancels, and whom it tells. The clocks say, for each deadline
kind, which policy gives its period, what it runs on and who answers for it. Services carry a row out through
congress.transitions (allow, then apply); the detail page and the API list the actions open to a user from the
same tables, and the scale generator opens the same clocks."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from congress import outbox, policies, webhooks
from congress.transitions import Clock, Machine, t

from .models import AssignmentStatus, Status, Suggestion, UnitRole

# Deadline kinds.
ASSIGN = "suggestion.assign"
DISCLOSURE = "suggestion.disclosure"
RECEIPT = "assignment.receipt"
REASSIGN_WINDOW = "assignment.reassign_window"
CO_OPINION = "assignment.co_opinion"
REPLY = "assignment.reply"
REHANDLE = "assignment.rehandle"
FEEDBACK = "reply.feedback"


def _unit(assignment):
    return assignment.unit


def _unit_head(deadlines) -> dict[int, set[int]]:
    """The head of each deadline's responsible unit (told once it is overdue)."""
    from congress.models import Organisation

    units = {deadline.responsible_org_id for deadline in deadlines if deadline.responsible_org_id}
    heads = dict(Organisation.objects.filter(pk__in=units, head__isnull=False).values_list("pk", "head_id"))
    return {deadline.pk: {heads[deadline.responsible_org_id]} for deadline in deadlines
            if deadline.responsible_org_id in heads}  # fmt: skip


def _group_lead_users(deadlines) -> dict[int, set[int]]:
    """Every deputy whose suggestion the reply answers (those merged into the one handled included), for each
    feedback deadline (its subject, the reply, is read with its assignment)."""
    primary_of = {deadline.pk: deadline.subject.assignment.suggestion_id for deadline in deadlines if deadline.subject}
    primaries = set(primary_of.values())
    leads: dict[int, set[int]] = {}
    rows = (
        Suggestion.objects.filter(Q(pk__in=primaries) | Q(merged_into_id__in=primaries))
        .exclude(lead__person__user__isnull=True)
        .values_list("pk", "merged_into_id", "lead__person__user_id")
    )
    for pk, merged_into_id, user_id in rows:
        for primary in {pk, merged_into_id} & primaries:
            leads.setdefault(primary, set()).add(user_id)
    return {pk: leads.get(primary, set()) for pk, primary in primary_of.items()}


def _assign_start(suggestion):
    """The deputy submitted it between sessions: the office's period runs from then, not from the day staff got
    round to accepting it (unless the congress's policy counts from acceptance)."""
    if policies.policy(suggestion.congress, "suggestion.assign_from_acceptance") or suggestion.submitted_at is None:
        return timezone.localdate()
    return timezone.localdate(suggestion.submitted_at)


CLOCKS = {
    clock.kind: clock
    for clock in [
        # Between sessions the office assigns within the period; a session's suggestions go in one batch.
        Clock(ASSIGN, "suggestion.assign_period", gettext_lazy("assignment of a suggestion"),
              applies=lambda suggestion: suggestion.session_id is None, start=_assign_start),
        Clock(DISCLOSURE, "suggestion.disclosure_period", gettext_lazy("publication of a reply"),
              applies=lambda suggestion: suggestion.status == Status.REPLIED and not suggestion.published_at),
        Clock(RECEIPT, "suggestion.receipt_period", gettext_lazy("confirming receipt of a suggestion"), org=_unit,
              escalate=_unit_head),
        Clock(REASSIGN_WINDOW, "suggestion.reassign_window", gettext_lazy("window to ask for re-assignment"),
              org=_unit, window=True),
        # A co-handler's due date is its opinion's, kept where a reply's is: a late co-handler is overdue too.
        Clock(CO_OPINION, "suggestion.co_opinion_period", gettext_lazy("co-handling opinion to the lead unit"),
              applies=lambda assignment: assignment.role == UnitRole.CO, org=_unit, keep="reply_due",
              escalate=_unit_head),
        # Always counted from the assignment, so an extension moves the same clock by the months granted.
        Clock(REPLY, "suggestion.reply_period", gettext_lazy("reply to a suggestion"),
              applies=lambda assignment: assignment.role != UnitRole.CO,
              start=lambda assignment: assignment.assigned_on,
              extra=lambda assignment: assignment.extension_months, org=_unit, keep="reply_due", escalate=_unit_head),
        Clock(REHANDLE, "suggestion.rehandle_period", gettext_lazy("new reply after re-handling"), org=_unit,
              keep="reply_due", escalate=_unit_head),
        Clock(FEEDBACK, "suggestion.feedback_period", gettext_lazy("feedback on a reply"), on="reply",
              congress=lambda reply: reply.assignment.congress,
              user=lambda reply: reply.assignment.suggestion.lead.person.user, recipients=_group_lead_users),
    ]
}  # fmt: skip

BEFORE_ASSIGNMENT = {Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED}
HANDED_OUT = {Status.ASSIGNED, Status.IN_HANDLING, Status.REPLIED, Status.REHANDLING, Status.FOLLOW_UP,
              Status.CLOSED}  # fmt: skip
EDITABLE = {Status.DRAFT, Status.RETURNED}


def notify(event: str, pk: int, **extra) -> None:
    from . import tasks  # tasks call the services, which read this module

    outbox.enqueue(tasks.tell, event, pk, **extra)


def _status_payload(suggestion, before: str, after: str) -> dict:
    return {"suggestion": suggestion.pk, "number": suggestion.number_label, "status": after, "previous": before,
            "congress": suggestion.congress_id}  # fmt: skip


SUGGESTION = Machine(
    "suggestion",
    {
        "edit": t(EDITABLE, None, "suggestions.author", gettext_lazy("edited")),
        "submit": t(EDITABLE, Status.SUBMITTED, "suggestions.author", gettext_lazy("submitted"), tells=["submitted"]),
        # Staff or an integration client enter a paper suggestion in the deputy's name (the rule reads the mandate).
        "intake": t({Status.DRAFT}, Status.SUBMITTED, "suggestions.intake", gettext_lazy("entered"),
                    tells=["submitted", "entered"]),
        "withdraw": t(BEFORE_ASSIGNMENT, Status.WITHDRAWN, "suggestions.author", gettext_lazy("withdrawn"),
                      cancels=[ASSIGN]),
        # A confirmed co-signer withdrew and the motion fell below its threshold: back to its lead deputy.
        "fall_short": t({Status.SUBMITTED}, Status.RETURNED, None, gettext_lazy("returned: too few co-signers"),
                        tells=["fell_short"]),
        "accept": t({Status.SUBMITTED}, Status.ACCEPTED, "suggestions.review", gettext_lazy("accepted"),
                    starts=[ASSIGN], tells=["accepted"]),
        "return": t({Status.SUBMITTED}, Status.RETURNED, "suggestions.review", gettext_lazy("returned for revision"),
                    tells=["returned"]),
        "decline": t({Status.SUBMITTED}, Status.DECLINED, "suggestions.review", gettext_lazy("declined"),
                     tells=["declined"]),
        "convert": t({Status.SUBMITTED}, None, "suggestions.review", gettext_lazy("converted into a suggestion"),
                     tells=["converted"]),
        "merge": t({Status.ACCEPTED}, None, "suggestions.review", gettext_lazy("merged"), cancels=[ASSIGN]),
        # The units' clocks start on each assignment (ASSIGNMENT "hand_out").
        "assign": t({Status.ACCEPTED}, Status.ASSIGNED, "suggestions.review", gettext_lazy("assigned"),
                    stops=[ASSIGN]),
        "object": t({Status.ACCEPTED, *HANDED_OUT}, None, "suggestions.author",
                    gettext_lazy("objected to publication")),
        "publish": t({Status.REPLIED, Status.FOLLOW_UP, Status.CLOSED}, None, "suggestions.publish",
                     pgettext_lazy("suggestion action", "published"), stops=[DISCLOSURE]),
        # A handed-out suggestion follows its units (derived_status); replied, its publication clock starts.
        "follow_units": t(HANDED_OUT, None, None, gettext_lazy("followed its units"), starts=[DISCLOSURE]),
    },
    CLOCKS,
    refusal=gettext_lazy("The suggestion is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: Status(state).label,
    event="suggestion.status_changed",
    payload=_status_payload,
    region=lambda suggestion: suggestion.region_code,
    notify=notify,
)  # fmt: skip

# Actions on one unit's assignment: the unit's own, the staff's decisions, and how the deputy's rating settles it.
ASSIGNMENT = Machine(
    "assignment",
    {
        "hand_out": t({AssignmentStatus.ASSIGNED}, None, "suggestions.review", gettext_lazy("assigned"),
                      starts=[RECEIPT, REASSIGN_WINDOW, CO_OPINION, REPLY], tells=["assigned"]),
        "confirm_receipt": t({AssignmentStatus.ASSIGNED}, AssignmentStatus.RECEIVED, "suggestions.handle",
                             gettext_lazy("receipt confirmed"), stops=[RECEIPT]),
        "request_reassignment": t({AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED},
                                  AssignmentStatus.RELEASE_REQUESTED, "suggestions.handle",
                                  gettext_lazy("asked to be released"), tells=["reassignment_requested"]),
        "approve_reassignment": t({AssignmentStatus.RELEASE_REQUESTED}, AssignmentStatus.RELEASED,
                                  "suggestions.review", gettext_lazy("request decided"),
                                  cancels=[RECEIPT, REASSIGN_WINDOW, CO_OPINION, REPLY],
                                  tells=["reassignment_decided"], audit="decide_reassignment"),
        # Refused, the unit goes back to where it was (the request remembers it).
        "refuse_reassignment": t({AssignmentStatus.RELEASE_REQUESTED}, None, "suggestions.review",
                                 gettext_lazy("request decided"), tells=["reassignment_decided"],
                                 audit="decide_reassignment"),
        "record_contact": t({AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED, AssignmentStatus.REPLIED,
                             AssignmentStatus.REHANDLING, AssignmentStatus.FOLLOW_UP}, None, "suggestions.handle",
                            gettext_lazy("contact recorded")),
        "save_plan": t({AssignmentStatus.RECEIVED, AssignmentStatus.REHANDLING}, None, "suggestions.handle",
                       gettext_lazy("handling plan saved")),
        "co_opinion": t({AssignmentStatus.RECEIVED}, AssignmentStatus.DONE, "suggestions.handle",
                        gettext_lazy("co-handling opinion sent"), stops=[CO_OPINION], cancels=[REASSIGN_WINDOW],
                        tells=["co_opinion"]),
        "reply": t({AssignmentStatus.RECEIVED, AssignmentStatus.REHANDLING}, AssignmentStatus.REPLIED,
                   "suggestions.handle", gettext_lazy("replied"), starts=[FEEDBACK], stops=[REPLY, REHANDLE],
                   cancels=[REASSIGN_WINDOW], tells=["replied"]),
        "request_extension": t({AssignmentStatus.RECEIVED}, None, "suggestions.handle",
                               gettext_lazy("extension requested"), tells=["extension_requested"]),
        "grant_extension": t({AssignmentStatus.RECEIVED}, None, "suggestions.review", gettext_lazy("extension decided"),
                             starts=[REPLY], tells=["extension_decided"], audit="decide_extension"),
        "refuse_extension": t({AssignmentStatus.RECEIVED}, None, "suggestions.review",
                              gettext_lazy("extension decided"), tells=["extension_decided"],
                              audit="decide_extension"),
        "report_solved": t({AssignmentStatus.FOLLOW_UP}, AssignmentStatus.DONE, "suggestions.handle",
                           gettext_lazy("reported solved")),
        # The deputy rates the reply (the rule reads the suggestion); once every deputy of a merged group has
        # rated it (or the period lapsed), one of the four rows below settles the assignment.
        "feedback": t({AssignmentStatus.REPLIED}, None, "suggestions.author", gettext_lazy("rated")),
        "rehandle": t({AssignmentStatus.REPLIED}, AssignmentStatus.REHANDLING, None, gettext_lazy("rated"),
                      starts=[REHANDLE], stops=[FEEDBACK], tells=["rehandling"], audit="feedback"),
        # Dissatisfied again once the policy's re-handling rounds are used up: staff close it by decision.
        "dispute": t({AssignmentStatus.REPLIED}, AssignmentStatus.DISPUTED, None, gettext_lazy("rated"),
                     stops=[FEEDBACK], tells=["disputed"], audit="feedback"),
        "follow_up": t({AssignmentStatus.REPLIED}, AssignmentStatus.FOLLOW_UP, None, gettext_lazy("rated"),
                       stops=[FEEDBACK], audit="feedback"),
        "settle": t({AssignmentStatus.REPLIED}, AssignmentStatus.DONE, None, gettext_lazy("rated"),
                    stops=[FEEDBACK], audit="feedback"),
        "close": t({AssignmentStatus.DISPUTED}, AssignmentStatus.DONE, "suggestions.review",
                   gettext_lazy("closed by decision")),
    },
    CLOCKS,
    refusal=gettext_lazy("The assignment to %(unit)s is %(state)s: it cannot be %(action)s now."),
    names=lambda assignment: {"unit": assignment.unit},
    state_label=lambda state: AssignmentStatus(state).label,
    notify=notify,
)  # fmt: skip

# Assignments still at work (a released one is history; a done one finished).
LIVE = {
    AssignmentStatus.ASSIGNED,
    AssignmentStatus.RECEIVED,
    AssignmentStatus.RELEASE_REQUESTED,
    AssignmentStatus.REPLIED,
    AssignmentStatus.REHANDLING,
    AssignmentStatus.DISPUTED,
    AssignmentStatus.FOLLOW_UP,
}
ANSWERED = {AssignmentStatus.REPLIED, AssignmentStatus.DISPUTED, AssignmentStatus.FOLLOW_UP, AssignmentStatus.DONE}
# What the unit itself may do on its assignment, in the order the page offers it.
UNIT_ACTIONS = ("confirm_receipt", "request_reassignment", "record_contact", "save_plan", "co_opinion", "reply",
                "request_extension", "report_solved")  # fmt: skip


def register() -> None:
    """The deadline kinds and webhook events of suggestions (SuggestionsConfig.ready)."""
    webhooks.register_event("suggestion.status_changed", gettext_lazy("a suggestion changed state"),
                            scope="suggestions")  # fmt: skip
    webhooks.register_event("suggestion.published", gettext_lazy("a suggestion and its reply were published"),
                            scope="suggestions")  # fmt: skip
    webhooks.register_event("suggestion.replied", gettext_lazy("a unit replied to a suggestion"),
                            scope="suggestions")  # fmt: skip
    SUGGESTION.register()


def derived_status(assignments) -> str:
    """A handed-out suggestion's state follows its units: the answering ones (lead or separate) decide."""
    answering = [a.status for a in assignments if a.answers and a.status != AssignmentStatus.RELEASED]
    if not answering:
        return Status.ASSIGNED
    if AssignmentStatus.REHANDLING in answering:
        return Status.REHANDLING
    if all(status in ANSWERED for status in answering):
        if all(status == AssignmentStatus.DONE for status in answering):
            return Status.CLOSED
        if all(status in (AssignmentStatus.DONE, AssignmentStatus.FOLLOW_UP) for status in answering):
            return Status.FOLLOW_UP
        return Status.REPLIED
    if all(status == AssignmentStatus.ASSIGNED for status in answering):
        return Status.ASSIGNED
    return Status.IN_HANDLING


def assignment_actions(assignment) -> list[str]:
    """What the unit itself can do now on its assignment: a co-handler sends an opinion, the others reply."""
    return [
        action
        for action in ASSIGNMENT.available(assignment, UNIT_ACTIONS)
        if not (action == "co_opinion" and assignment.answers)
        and not (action in ("reply", "request_extension") and not assignment.answers)
    ]

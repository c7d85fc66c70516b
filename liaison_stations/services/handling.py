"""Citizens' opinions handled: triage (分级分类) to a route, the reply of the unit it was referred to, the feedback
to the citizen that closes it, and reminders to whoever owes the next step."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit, deadlines, scope, webhooks
from congress.errors import RuleViolation
from deputies.models import Mandate, MandateStatus

from .. import notices, workflow
from ..models import CitizenOpinion, DeclineReason, OpinionStatus, Route
from ..selectors import referral_units
from .common import station_reach

ROUTE_ACTIONS = {
    Route.ANSWERED: "answer",
    Route.REFERRED: "refer",
    Route.TO_SUGGESTION: "to_suggestion",
    Route.DECLINED: "decline",
}


def _lock_opinion(opinion_id: int) -> CitizenOpinion:
    return (
        CitizenOpinion.objects.select_for_update(of=("self",))
        .select_related("congress__region", "station__congress__region")
        .get(pk=opinion_id)
    )


def opinion_deputies(opinion: CitizenOpinion):
    """The deputies an opinion may be given to take up: the one it was addressed to, and those its station may
    name (stationed there, or of its congress's line of regions)."""
    if opinion.station_id:
        reach = Q(pk__in=station_reach(opinion.station).values("pk"))
    else:
        reach = scope.lineage_q("region_code", opinion.congress.region.code)
    return Mandate.objects.filter(Q(pk=opinion.addressed_to_id) | reach)


def triage(
    *,
    actor,
    opinion_id: int,
    route: str,
    answer: str = "",
    unit_id: int | None = None,
    mandate_id: int | None = None,
    decline_reason: str = "",
    note: str = "",
) -> CitizenOpinion:
    """Route an opinion: answered on the spot, referred to a responsible body, taken up by a deputy, or declined."""
    action = ROUTE_ACTIONS.get(route)
    if action is None:
        raise RuleViolation(fields={"route": [_("Choose a route.")]})
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        move = workflow.OPINION.allow(actor, opinion, action)
        if route == Route.ANSWERED:
            if not answer.strip():
                raise RuleViolation(fields={"answer": [_("Write the answer given on the spot.")]})
            opinion.answer = answer
        elif route == Route.REFERRED:
            # The units the triage form offers: the actor's own region tree, and the opinion's region and above.
            unit = scope.referenced(
                referral_units(actor, opinion), unit_id, field="unit",
                message=_("Choose the responsible body to refer the opinion to."),
            )  # fmt: skip
            opinion.referred_unit = unit
            opinion.unit_reply, opinion.unit_replied_at = "", None
            opinion.answer = note
        elif route == Route.TO_SUGGESTION:
            from suggestions.services import draft_from_opinion

            mandate = scope.referenced(
                opinion_deputies(opinion).filter(status=MandateStatus.ACTIVE), mandate_id, field="deputy",
                message=_("Choose the deputy who takes the opinion up."),
            )  # fmt: skip
            opinion.taken_up_by = mandate
            opinion.answer = note
            draft_from_opinion(opinion=opinion, mandate=mandate)
        else:
            if decline_reason not in DeclineReason.values:
                raise RuleViolation(fields={"decline_reason": [_("Choose why the opinion is declined.")]})
            opinion.decline_reason = decline_reason
            opinion.answer = note
        opinion.route, opinion.triaged_at = route, timezone.now()
        # A second referral leaves the state as it was; the audit entry names it all the same.
        move.apply(changes={"status": (move.before, move.target)}, route=route)
        if route in (Route.ANSWERED, Route.DECLINED) and opinion.sms_wanted:
            notices.enqueue_sms(opinion.pk)  # the opinion has its result now (text_citizen sends once)
    return opinion


def unit_reply(*, actor, opinion_id: int, reply: str) -> CitizenOpinion:
    """The responsible body answers a referred opinion; the station then gives the citizen feedback."""
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        move = workflow.OPINION.allow(actor, opinion, "unit_reply")
        if not reply.strip():
            raise RuleViolation(fields={"reply": [_("Write the reply.")]})
        opinion.unit_reply, opinion.unit_replied_at = reply, timezone.now()
        move.apply(fields=["unit_reply", "unit_replied_at"])
        if opinion.sms_wanted:
            notices.enqueue_sms(opinion.pk)
    return opinion


def give_feedback(*, actor, opinion_id: int, feedback: str) -> CitizenOpinion:
    """Record the feedback given to the citizen; this, and only this, closes the opinion."""
    with transaction.atomic(), audit.acting_as(actor):
        opinion = _lock_opinion(opinion_id)
        move = workflow.OPINION.allow(actor, opinion, "feedback")
        if not feedback.strip():
            raise RuleViolation(fields={"feedback": [_("Write what the citizen was told.")]})
        now = timezone.now()
        opinion.feedback, opinion.feedback_at, opinion.closed_at = feedback, now, now
        move.apply(fields=["feedback", "feedback_at", "closed_at"])
        webhooks.emit(
            "opinion.closed",
            {"opinion": opinion.pk, "tracking_code": opinion.tracking_code, "route": opinion.route,
             "closed_at": opinion.closed_at, "station": opinion.station_id, "congress": opinion.congress_id},
            region_code=opinion.region_code,
        )  # fmt: skip
    return opinion


def remind_handlers(*, actor, opinion_ids) -> int:
    """Remind now whoever owes the next step on these citizen opinions (the station routing or answering it, the
    unit it was referred to); returns how many reminders were stored."""
    with transaction.atomic():
        opinions = list(CitizenOpinion.objects.filter(pk__in=opinion_ids).order_by("pk"))
        for opinion in opinions:
            scope.require(actor, "liaison_stations.triage", opinion)
        return deadlines.remind_now(actor=actor, subjects=opinions)


def note_suggestion_outcome(sender, suggestion, status, **kwargs) -> None:
    """The suggestion an opinion became was replied to, declined or withdrawn: the citizen's feedback clock starts
    now, the station's managers are told, and the citizen gets an SMS if they asked for one. (A receiver of
    suggestions.signals.status_changed, sent inside the suggestion's transaction, which stores these messages too.)

    Only the first outcome counts: a new reply after re-handling, or the suggestion closing later, changes nothing
    here (the clock already runs, or ran, and the citizen was told once)."""
    if status not in workflow.SUGGESTION_SETTLED or not suggestion.opinion_id:
        return
    with transaction.atomic():
        opinion = _lock_opinion(suggestion.opinion_id)
        if opinion.status != OpinionStatus.TO_SUGGESTION or opinion.suggestion_settled_at is not None:
            return
        opinion.suggestion_settled_at = timezone.now()
        workflow.OPINION.allow(None, opinion, "suggestion_settled", by_system=True).apply(
            fields=["suggestion_settled_at"], tell={"suggestion_id": suggestion.pk, "outcome": status},
            outcome=status, suggestion=suggestion.number_label or suggestion.pk,
        )  # fmt: skip
        if opinion.sms_wanted:
            notices.enqueue_sms(opinion.pk)

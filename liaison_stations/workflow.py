"""Lifecycles of reception days and citizens' opinions: which action is possible in which state."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.errors import InvalidTransition

from .models import OpinionStatus, ReceptionStatus

RECEPTION = {
    "publish": ({ReceptionStatus.PLANNED}, ReceptionStatus.PUBLISHED),
    "cancel": ({ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED}, ReceptionStatus.CANCELLED),
    "record": ({ReceptionStatus.PUBLISHED}, ReceptionStatus.HELD),
    "change": ({ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED}, None),
}

# Triage (分级分类) picks a route; whatever the route, feedback to the citizen is what closes the opinion.
OPINION = {
    "answer": ({OpinionStatus.RECEIVED}, OpinionStatus.ANSWERED),
    # A unit may say the matter is not theirs: the manager then refers it again.
    "refer": ({OpinionStatus.RECEIVED, OpinionStatus.REFERRED}, OpinionStatus.REFERRED),
    "to_suggestion": ({OpinionStatus.RECEIVED}, OpinionStatus.TO_SUGGESTION),
    "decline": ({OpinionStatus.RECEIVED}, OpinionStatus.DECLINED),
    "unit_reply": ({OpinionStatus.REFERRED}, OpinionStatus.UNIT_REPLIED),
    "feedback": (
        {OpinionStatus.ANSWERED, OpinionStatus.UNIT_REPLIED, OpinionStatus.TO_SUGGESTION, OpinionStatus.DECLINED},
        OpinionStatus.CLOSED,
    ),
}

ACTION_LABELS = {
    "publish": gettext_lazy("published"),
    "cancel": gettext_lazy("cancelled"),
    "record": gettext_lazy("recorded as held"),
    "change": gettext_lazy("changed"),
    "answer": gettext_lazy("answered"),
    "refer": gettext_lazy("referred"),
    "to_suggestion": gettext_lazy("taken up as a suggestion"),
    "decline": gettext_lazy("declined"),
    "unit_reply": gettext_lazy("replied to by the unit"),
    "feedback": gettext_lazy("closed with feedback"),
}


def check_reception(reception, action: str):
    allowed, target = RECEPTION[action]
    if reception.status not in allowed:
        raise InvalidTransition(
            _("A reception day that is %(state)s cannot be %(action)s.")
            % {"state": ReceptionStatus(reception.status).label, "action": ACTION_LABELS[action]}
        )
    return target


def check_opinion(opinion, action: str) -> str:
    allowed, target = OPINION[action]
    if opinion.status not in allowed:
        if action == "feedback" and opinion.status in (OpinionStatus.RECEIVED, OpinionStatus.REFERRED):
            raise InvalidTransition(
                _(
                    "Feedback closes an opinion only after it has an answer: triage it first, and for a referral wait for the unit's reply."  # noqa: E501
                )
            )
        raise InvalidTransition(
            _("An opinion that is %(state)s cannot be %(action)s.")
            % {"state": OpinionStatus(opinion.status).label, "action": ACTION_LABELS[action]}
        )
    return target


def opinion_actions(opinion) -> list[str]:
    return [action for action, (allowed, _target) in OPINION.items() if opinion.status in allowed]

"""The enrolment state machine: for each action, the states it is possible from, the state it leads to, who
may take it (the scope rule in rules.py) and the deadline it opens or stops.

  nominated  --confirm--> confirmed      nominated  --decline--> declined
  signed_up  --approve--> confirmed      signed_up  --refuse---> refused
  waitlisted --promote--> nominated (a nomination) or signed_up (a sign-up), when a place is freed
  nominated, signed_up, confirmed, waitlisted --cancel--> cancelled

Services call check() before they change a row; the pages and the API list the actions open to a user from
the same table."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.errors import InvalidTransition

from .models import EnrolmentStatus as E

# Deadline kind: a nominated deputy confirms (or declines) the place within training.confirm_period.
CONFIRM = "training.confirm"


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: decided by the service (promotion goes back to where the enrolment came from)
    rule: str
    label: str
    starts: tuple = field(default_factory=tuple)
    stops: tuple = field(default_factory=tuple)


def t(sources, target, rule, label, starts=(), stops=()):
    return Transition(frozenset(sources), target, rule, label, tuple(starts), tuple(stops))


ENROLMENT = {
    "confirm": t({E.NOMINATED}, E.CONFIRMED, "training.answer", pgettext_lazy("enrolment action", "confirmed"),
                 stops=[CONFIRM]),
    "decline": t({E.NOMINATED}, E.DECLINED, "training.answer", pgettext_lazy("enrolment action", "declined"),
                 stops=[CONFIRM]),
    "approve": t({E.SIGNED_UP}, E.CONFIRMED, "training.manage", pgettext_lazy("enrolment action", "approved")),
    "refuse": t({E.SIGNED_UP}, E.REFUSED, "training.manage", pgettext_lazy("enrolment action", "refused")),
    "promote": t({E.WAITLISTED}, None, "training.manage", gettext_lazy("given a freed place"), starts=[CONFIRM]),
    "cancel": t({E.NOMINATED, E.SIGNED_UP, E.CONFIRMED, E.WAITLISTED}, E.CANCELLED, "training.cancel",
                pgettext_lazy("enrolment action", "cancelled"), stops=[CONFIRM]),
}  # fmt: skip

# Actions a person takes on the pages (promotion happens by itself when a place is freed).
DEPUTY_ACTIONS = ("confirm", "decline", "cancel")
STAFF_ACTIONS = ("approve", "refuse", "confirm", "decline", "cancel")


def check(enrolment, action: str) -> Transition:
    """Raise 409 naming the current state unless the action is possible now."""
    transition = ENROLMENT[action]
    if enrolment.status not in transition.sources:
        raise InvalidTransition(
            _("The enrolment is %(state)s: it cannot be %(action)s now.")
            % {"state": E(enrolment.status).label, "action": transition.label}
        )
    return transition


def actions(enrolment, allowed=DEPUTY_ACTIONS) -> list[str]:
    return [name for name in allowed if enrolment.status in ENROLMENT[name].sources]

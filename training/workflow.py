"""The enrolment state machine, as a congress.transitions table: for each action, the states it is possible from,
the state it leads to, who may take it (the scope rule in rules.py), the deadline it opens, meets or cancels and the
notice it sends.

  nominated  --confirm--> confirmed      nominated  --decline--> declined
  signed_up  --approve--> confirmed      signed_up  --refuse---> refused
  waitlisted --promote--> nominated (a nomination) or signed_up (a sign-up), when a place is freed
  nominated, signed_up, confirmed, waitlisted --cancel--> cancelled

Services carry a row out with allow()/apply(); the pages and the API list the actions open to a user from the same
table."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from congress.models import Deadline
from congress.transitions import Clock, Machine, t
from congress.workdays import Calendar

from . import notices
from .models import LIVE, Enrolment, EnrolmentStatus

# Deadline kind: a nominated deputy confirms (or declines) the place within training.confirm_period.
CONFIRM = "training.confirm"


def _notify(event: str, pk: int, **extra) -> None:
    notices.enqueue(event, [pk])


ENROLMENT = Machine(
    name="enrolment",
    transitions={
        # Confirmed by the office (an answer given by phone), the deputy is told: the service sends that notice.
        "confirm": t({EnrolmentStatus.NOMINATED}, EnrolmentStatus.CONFIRMED, "training.answer",
                     pgettext_lazy("enrolment action", "confirmed"), stops=[CONFIRM]),
        "decline": t({EnrolmentStatus.NOMINATED}, EnrolmentStatus.DECLINED, "training.answer",
                     pgettext_lazy("enrolment action", "declined"), stops=[CONFIRM], tells=["decline"]),
        "approve": t({EnrolmentStatus.SIGNED_UP}, EnrolmentStatus.CONFIRMED, "training.manage",
                     pgettext_lazy("enrolment action", "approved"), tells=["approve"]),
        "refuse": t({EnrolmentStatus.SIGNED_UP}, EnrolmentStatus.REFUSED, "training.manage",
                    pgettext_lazy("enrolment action", "refused"), tells=["refuse"]),
        # Back to where the enrolment came from (the service names it); a nomination gets its confirmation clock.
        # The service tells every deputy promoted at once.
        "promote": t({EnrolmentStatus.WAITLISTED}, None, "training.manage", gettext_lazy("given a freed place"),
                     starts=[CONFIRM]),
        # Who is told depends on who cancelled (the deputy gave up, or the office cancelled): the service tells them.
        "cancel": t(LIVE, EnrolmentStatus.CANCELLED, "training.cancel", pgettext_lazy("enrolment action", "cancelled"),
                    cancels=[CONFIRM]),
    },
    clocks={
        CONFIRM: Clock(CONFIRM, "training.confirm_period", gettext_lazy("confirming a training place"),
                       applies=lambda enrolment: enrolment.status == EnrolmentStatus.NOMINATED,
                       congress=lambda enrolment: enrolment.course.congress,
                       user=lambda enrolment: enrolment.mandate.person.user),
    },
    refusal=gettext_lazy("The enrolment is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: EnrolmentStatus(state).label,
    notify=_notify,
)  # fmt: skip

# Actions a person takes on the pages (promotion happens by itself when a place is freed).
DEPUTY_ACTIONS = ("confirm", "decline", "cancel")
STAFF_ACTIONS = ("approve", "refuse", "confirm", "decline", "cancel")


def actions(enrolment, allowed=DEPUTY_ACTIONS) -> list[str]:
    """The actions of `allowed` possible in the enrolment's state, in the order given (the order of the buttons)."""
    return [name for name in allowed if enrolment.status in ENROLMENT[name].sources]


def start_confirm_clock(enrolment: Enrolment, calendar: Calendar | None = None) -> Deadline:
    """A nomination is born nominated, with its confirmation clock running. No transition leads there (the course's
    audit entry records the nomination), so the clock is opened here from the table's declaration."""
    return ENROLMENT.start_clock(CONFIRM, enrolment, calendar=calendar)

"""Lifecycles of reception days and citizens' opinions, as congress.transitions tables: for each action, the states
it is possible from, the state it leads to, who may take it (the scope rule in rules.py), the deadlines it starts,
meets and cancels, and the notices it sends. Services carry a row out with allow()/apply(); the pages list the
actions open in a state from the same tables.

  reception:  planned --publish--> published --record--> held;  planned, published --cancel--> cancelled
  opinion:    received --answer / to_suggestion / decline--> answered / to_suggestion / declined
              received, referred --refer--> referred --unit_reply--> unit_replied
              to_suggestion --suggestion_settled--> to_suggestion (its suggestion replied to, declined or withdrawn)
              answered, unit_replied, to_suggestion, declined --feedback--> closed

Triage (分级分类) picks a route; whatever the route, feedback to the citizen is what closes the opinion. The clock
for that feedback starts once there is something to tell: at once for an answer on the spot or a decline, at the
unit's reply for a referral, and for an opinion taken up as a suggestion when the suggestion is replied to,
declined or withdrawn (suggestion_settled, a receiver of the suggestion's signal); until then it cannot be closed."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import suggestions.models
from congress import audit, webhooks
from congress.errors import InvalidTransition
from congress.models import Deadline
from congress.transitions import Clock, Machine, t

from . import notices
from .models import AttendanceStatus, CitizenOpinion, OpinionStatus, ReceptionStatus, Station

# The suggestion states in which an opinion taken up as a suggestion has something to tell the citizen: the
# suggestion was replied to (and whatever follows the reply), declined or withdrawn.
SUGGESTION_SETTLED = {
    suggestions.models.Status.REPLIED,
    suggestions.models.Status.REHANDLING,
    suggestions.models.Status.FOLLOW_UP,
    suggestions.models.Status.CLOSED,
    suggestions.models.Status.DECLINED,
    suggestions.models.Status.WITHDRAWN,
}

# Deadline kinds of an opinion: the station routes it, a unit it was referred to answers, the station tells the
# citizen.
TRIAGE_DEADLINE = "opinion.triage"
REFERRAL_DEADLINE = "opinion.referral"
FEEDBACK_DEADLINE = "opinion.feedback"

RUN_STATION = "liaison_stations.run_station"  # asked about the reception's station
TRIAGE = "liaison_stations.triage"


def _managers_of(deadline) -> set[int]:
    opinion = deadline.subject
    if opinion is None or not opinion.station_id:
        return set()
    return set(Station.managers.through.objects.filter(station_id=opinion.station_id).values_list("user_id", flat=True))


RECEPTION = Machine(
    name="reception",
    transitions={
        "publish": t({ReceptionStatus.PLANNED}, ReceptionStatus.PUBLISHED, RUN_STATION, gettext_lazy("published"),
                     tells=["reception_published"]),
        # The deputies on duty are told of a cancellation only when the day was published: the service tells them.
        "cancel": t({ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED}, ReceptionStatus.CANCELLED, RUN_STATION,
                    gettext_lazy("cancelled")),
        "record": t({ReceptionStatus.PUBLISHED}, ReceptionStatus.HELD, RUN_STATION, gettext_lazy("recorded as held")),
        "change": t({ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED}, None, RUN_STATION, gettext_lazy("changed")),
    },
    refusal=gettext_lazy("A reception day that is %(state)s cannot be %(action)s."),
    state_label=lambda state: ReceptionStatus(state).label,
    notify=notices.enqueue,
)  # fmt: skip


# A manager records a deputy present at a held reception day (the record is born pending: its creation is its audit
# entry); only the deputy answers it, and only a confirmation makes it a visit.
ANSWER_ATTENDANCE = "liaison_stations.answer_attendance"
ATTENDANCE = Machine(
    name="attendance",
    transitions={
        "confirm": t({AttendanceStatus.PENDING}, AttendanceStatus.CONFIRMED, ANSWER_ATTENDANCE,
                     gettext_lazy("confirmed by the deputy"), audit="confirm_attendance"),
        "decline": t({AttendanceStatus.PENDING}, AttendanceStatus.DECLINED, ANSWER_ATTENDANCE,
                     gettext_lazy("marked not present by the deputy"), audit="decline_attendance"),
    },
    refusal=gettext_lazy("This attendance is already %(state)s; it cannot be %(action)s."),
    state_label=lambda state: AttendanceStatus(state).label,
)  # fmt: skip
audit.name_actions({"mark_present": gettext_lazy("recorded present at a reception day")})


def open_suggestion(opinion: CitizenOpinion):
    """The suggestion an opinion taken up by a deputy became, while it has no outcome yet (None once it was replied
    to, declined or withdrawn, or when there is none)."""
    if opinion.status != OpinionStatus.TO_SUGGESTION or opinion.suggestion_settled_at is not None:
        return None
    suggestion = opinion.suggestions.order_by("-pk").first()
    return suggestion if suggestion is not None and suggestion.status not in SUGGESTION_SETTLED else None


class OpinionMachine(Machine):
    def check(self, obj, action: str):
        # Feedback asked for before there is an answer says what comes first, not only the state.
        if action == "feedback" and getattr(obj, self.field) in (OpinionStatus.RECEIVED, OpinionStatus.REFERRED):
            raise InvalidTransition(
                _(
                    "Feedback closes an opinion only after it has an answer: triage it first, and for a referral wait for the unit's reply."  # noqa: E501
                )
            )
        if action == "feedback" and (suggestion := open_suggestion(obj)) is not None:
            raise InvalidTransition(
                _(
                    "The suggestion made from this opinion is still open (%(state)s): the opinion can be closed once the suggestion is replied to, declined or withdrawn."  # noqa: E501
                )
                % {"state": suggestion.get_status_display()}
            )
        return super().check(obj, action)

    def available(self, obj, actions=None) -> list[str]:
        # The system moves an opinion when its suggestion has an outcome; nobody does from a page.
        names = [name for name in super().available(obj, actions) if name != "suggestion_settled"]
        if "feedback" in names and open_suggestion(obj) is not None:
            names.remove("feedback")
        return names


ANSWERED = {OpinionStatus.ANSWERED, OpinionStatus.UNIT_REPLIED, OpinionStatus.TO_SUGGESTION, OpinionStatus.DECLINED}

OPINION = OpinionMachine(
    name="opinion",
    transitions={
        "answer": t({OpinionStatus.RECEIVED}, OpinionStatus.ANSWERED, TRIAGE, gettext_lazy("answered"),
                    stops=[TRIAGE_DEADLINE], starts=[FEEDBACK_DEADLINE]),
        # A unit may say the matter is not theirs: the manager then refers it again (a new reply clock).
        "refer": t({OpinionStatus.RECEIVED, OpinionStatus.REFERRED}, OpinionStatus.REFERRED, TRIAGE,
                   gettext_lazy("referred"), stops=[TRIAGE_DEADLINE], starts=[REFERRAL_DEADLINE],
                   tells=["opinion_referred"]),
        # The citizen's feedback clock waits for the suggestion's outcome (suggestion_settled).
        "to_suggestion": t({OpinionStatus.RECEIVED}, OpinionStatus.TO_SUGGESTION, TRIAGE,
                           gettext_lazy("taken up as a suggestion"), stops=[TRIAGE_DEADLINE],
                           tells=["opinion_taken_up"]),
        # The system's move (rule None): the suggestion was replied to, declined or withdrawn. The state stays;
        # the feedback clock starts and the station's managers are told (the citizen too by SMS if they asked:
        # the service stores that message).
        "suggestion_settled": t({OpinionStatus.TO_SUGGESTION}, None, None,
                                gettext_lazy("given the outcome of its suggestion"), starts=[FEEDBACK_DEADLINE],
                                tells=["suggestion_settled"]),
        "decline": t({OpinionStatus.RECEIVED}, OpinionStatus.DECLINED, TRIAGE, gettext_lazy("declined"),
                     stops=[TRIAGE_DEADLINE], starts=[FEEDBACK_DEADLINE]),
        "unit_reply": t({OpinionStatus.REFERRED}, OpinionStatus.UNIT_REPLIED, "liaison_stations.unit_reply",
                        gettext_lazy("replied to by the unit"), stops=[REFERRAL_DEADLINE], starts=[FEEDBACK_DEADLINE]),
        "feedback": t(ANSWERED, OpinionStatus.CLOSED, TRIAGE, gettext_lazy("closed with feedback"),
                      stops=[FEEDBACK_DEADLINE]),
    },
    clocks={
        TRIAGE_DEADLINE: Clock(TRIAGE_DEADLINE, "opinion.triage_period", gettext_lazy("triage of a citizen opinion"),
                               recipients=_managers_of),
        REFERRAL_DEADLINE: Clock(REFERRAL_DEADLINE, "opinion.referral_period",
                                 gettext_lazy("reply to a referred citizen opinion"),
                                 org=lambda opinion: opinion.referred_unit, keep="referral_due"),
        FEEDBACK_DEADLINE: Clock(FEEDBACK_DEADLINE, "opinion.feedback_period", gettext_lazy("feedback to a citizen"),
                                 recipients=_managers_of),
    },
    refusal=gettext_lazy("An opinion that is %(state)s cannot be %(action)s."),
    state_label=lambda state: OpinionStatus(state).label,
    notify=notices.enqueue,
)  # fmt: skip


def start_triage_clock(opinion: CitizenOpinion) -> Deadline:
    """A new opinion is born received, with its triage clock running (no transition leads there: its creation is
    its audit entry)."""
    return OPINION.start_clock(TRIAGE_DEADLINE, opinion, new=True)


def register() -> None:
    """Name the deadline kinds and the webhook event (AppConfig.ready)."""
    OPINION.register()
    RECEPTION.register()
    # Only the closing feedback is announced, so this is emitted by the service, not as the machine's event
    # (which goes out at every change of state).
    webhooks.register_event(
        "opinion.closed", gettext_lazy("a citizen opinion was closed with feedback"), scope="stations"
    )

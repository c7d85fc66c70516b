"""The activity's and the invitation's state machines, as congress.transitions tables.

Activity:
  planned --send_invitations--> inviting --start--> under_way --submit_report--> reported --close--> closed

Invitation:
  invited    --accept--> accepted (a free place) or waitlisted (full; the service names which)
  invited, accepted, waitlisted --decline--> declined (with a reason)
  waitlisted --promote--> accepted, when a place is freed
  invited, accepted, waitlisted --withdraw--> withdrawn (by the office)

Services carry a row out with allow()/apply(); the pages list the actions open to a user from the same tables."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from congress import webhooks
from congress.transitions import Machine, t

from .models import ActivityStatus, InvitationStatus

S = ActivityStatus


def _payload(activity, before: str, after: str) -> dict:
    return {"activity": activity.pk, "congress": activity.congress_id, "kind": activity.kind_id, "status": after,
            "previous": before}  # fmt: skip


ACTIVITY = Machine(
    name="activity",
    transitions={
        "send_invitations": t({S.PLANNED}, S.INVITING, "activities.manage",
                              pgettext_lazy("activity action", "invitations sent")),
        "start": t({S.INVITING}, S.UNDER_WAY, "activities.manage", pgettext_lazy("activity action", "started")),
        "submit_report": t({S.UNDER_WAY}, S.REPORTED, "activities.manage",
                           pgettext_lazy("activity action", "report submitted")),
        "close": t({S.REPORTED}, S.CLOSED, "activities.manage", pgettext_lazy("activity action", "closed")),
    },
    refusal=gettext_lazy("The activity is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: ActivityStatus(state).label,
    event="activity.status_changed",
    payload=_payload,
    region=lambda activity: activity.region_code,
)  # fmt: skip

I = InvitationStatus  # noqa: E741 - the table reads better short
LIVE = {I.INVITED, I.ACCEPTED, I.WAITLISTED}
INVITATION = Machine(
    name="invitation",
    transitions={
        "accept": t({I.INVITED}, None, "activities.respond", pgettext_lazy("invitation action", "accepted")),
        "decline": t(LIVE, I.DECLINED, "activities.respond", pgettext_lazy("invitation action", "declined")),
        "promote": t({I.WAITLISTED}, I.ACCEPTED, "activities.handle", gettext_lazy("given a freed place")),
        "withdraw": t(LIVE, I.WITHDRAWN, "activities.handle", pgettext_lazy("invitation action", "withdrawn")),
    },
    refusal=gettext_lazy("The invitation is %(state)s: it cannot be %(action)s now."),
    state_label=lambda state: InvitationStatus(state).label,
)  # fmt: skip

# The invitation's webhook event: only the deputy's own answers are announced (a promotion or a withdrawal is the
# office's), so the services emit it, not the machine.
INVITATION_ANSWERED = "activity.invitation_answered"
# Closing is announced on its own too (an activity's attendance is final from then on), by the close service.
CLOSED = "activity.closed"


def register() -> None:
    """The webhook events of activities (ActivitiesConfig.ready)."""
    webhooks.register_event("activity.status_changed", gettext_lazy("an activity changed state"), scope="activities")
    webhooks.register_event(CLOSED, gettext_lazy("an activity was closed with its report"), scope="activities")
    webhooks.register_event(INVITATION_ANSWERED, gettext_lazy("a deputy accepted or declined an activity invitation"),
                            scope="activities")  # fmt: skip


def emit_answer(invitation, before: str) -> None:
    """Announce a deputy's answer to the clients of the deputy's region (each congress its own deputies), in the
    answer's transaction."""
    webhooks.emit(
        INVITATION_ANSWERED,
        {"invitation": invitation.pk, "activity": invitation.activity_id, "mandate": invitation.mandate_id,
         "status": invitation.status, "previous": before, "responded_at": invitation.responded_at,
         "decline_reason": invitation.decline_reason},
        region_code=invitation.mandate.region_code,
    )  # fmt: skip


# The activity's actions staff take on its page, in the order of the buttons.
STAFF_ACTIONS = ("send_invitations", "start", "close")
DEPUTY_ACTIONS = ("accept", "decline")


def actions(obj, machine: Machine, allowed) -> list[str]:
    """The actions of `allowed` possible in obj's state, in the order given."""
    return [name for name in allowed if getattr(obj, machine.field) in machine[name].sources]

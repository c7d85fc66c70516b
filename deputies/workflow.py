"""Mandate lifecycle: active ⇄ suspended, and active or suspended → ended (final).

Ending, suspending and restoring go through congress.transitions: who may (the roster rule), from which state, the
audit entry and the `mandate.status_changed` webhook, in the change's transaction."""

from django.utils.translation import gettext_lazy

from congress import webhooks
from congress.transitions import Machine, t

from .models import MandateStatus


def _payload(mandate, before: str, after: str) -> dict:
    return {"mandate": mandate.pk, "person": mandate.person_id, "congress": mandate.congress_id, "status": after,
            "previous": before}  # fmt: skip


MANDATE = Machine(
    "mandate",
    {
        "suspend": t({MandateStatus.ACTIVE}, MandateStatus.SUSPENDED, "deputies.change_roster",
                     gettext_lazy("suspended")),
        "restore": t({MandateStatus.SUSPENDED}, MandateStatus.ACTIVE, "deputies.change_roster",
                     gettext_lazy("restored")),
        "end": t({MandateStatus.ACTIVE, MandateStatus.SUSPENDED}, MandateStatus.ENDED, "deputies.change_roster",
                 gettext_lazy("ended")),
    },
    refusal=gettext_lazy("A mandate that is %(state)s cannot be %(action)s."),
    state_label=lambda state: MandateStatus(state).label,
    event="mandate.status_changed",
    payload=_payload,
    region=lambda mandate: mandate.congress.region.code,
)  # fmt: skip


def register() -> None:
    webhooks.register_event(
        "mandate.status_changed", gettext_lazy("a deputy's mandate was ended, suspended or restored"), scope="deputies"
    )

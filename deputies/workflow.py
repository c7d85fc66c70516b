"""Mandate lifecycle: active ⇄ suspended, and active or suspended → ended (final)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.errors import InvalidTransition

from .models import MandateStatus

TRANSITIONS = {
    "suspend": ({MandateStatus.ACTIVE}, MandateStatus.SUSPENDED),
    "restore": ({MandateStatus.SUSPENDED}, MandateStatus.ACTIVE),
    "end": ({MandateStatus.ACTIVE, MandateStatus.SUSPENDED}, MandateStatus.ENDED),
}


def check(mandate, action: str) -> str:
    """Return the state the action leads to, or raise naming the current state."""
    allowed, target = TRANSITIONS[action]
    if mandate.status not in allowed:
        raise InvalidTransition(
            _("A mandate that is %(state)s cannot be %(action)s.")
            % {"state": MandateStatus(mandate.status).label, "action": ACTION_LABELS[action]}
        )
    return target


ACTION_LABELS = {
    "suspend": gettext_lazy("suspended"),
    "restore": gettext_lazy("restored"),
    "end": gettext_lazy("ended"),
}

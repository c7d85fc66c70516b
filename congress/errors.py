"""Domain errors raised by services; the API and HTML helpers turn them into 400/403/409."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "rule_violation"
    default_message = _("The request breaks a rule.")

    def __init__(self, message=None, *, fields: dict | None = None):
        self.message = message or self.default_message
        self.fields = fields or {}
        super().__init__(str(self.message))


class RuleViolation(DomainError):
    """Valid input that the rules do not allow (400)."""


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"
    default_message = _("You may not do this.")


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_message = _("The record has changed; reload and try again.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("This action is not possible in the record's current state.")

"""Login throttling (django-axes) against guessing and spraying, each with its own limit.

Axes counts failures per lockout parameter list (settings.AXES_LOCKOUT_PARAMETERS) but compares them all with one
limit. Three patterns need three: one account from one address (someone mistyping, or guessing one password: 5),
many accounts from one address (password spraying: LOGIN_ADDRESS_FAILURE_LIMIT), and one account from many
addresses (a distributed guess: LOGIN_ACCOUNT_FAILURE_LIMIT). The handler reports each list's failures in units of
AXES_FAILURE_LIMIT, so axes's own comparison (failures >= AXES_FAILURE_LIMIT) applies the list's limit, exactly:
floor(f * L / limit) >= L exactly when f >= limit."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def _key(parameters) -> tuple[str, ...]:
    return (parameters,) if isinstance(parameters, str) else tuple(parameters)


class LoginThrottleHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        pair_limit = get_failure_limit(request, credentials)
        lists = get_lockout_parameters(request, credentials)
        worst = 0
        for parameters, attempts in zip(lists, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = settings.LOGIN_FAILURE_LIMITS.get(_key(parameters), pair_limit)
            worst = max(worst, failures * pair_limit // limit)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears that account's failures from that address only. Axes would clear every
        list's, so a sprayer holding one real account could sign into it now and then to wipe the count of the
        address, and a password guessed once could wipe the account's count from every other address."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return deleted

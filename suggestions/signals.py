"""Events other apps may react to (a station closing the loop on a citizen's opinion)."""

from django.dispatch import Signal

# A suggestion reached replied or closed, or was declined or withdrawn: kwargs suggestion, status.
status_changed = Signal()
# A unit replied: kwargs reply.
replied = Signal()

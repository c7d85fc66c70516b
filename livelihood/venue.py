"""Voting on tablets at the session's venue (会场平板投票).

Staff enrol a device for one programme's vote: the device gets a random key in a cookie, and the table keeps only
the key's digest. On an enrolled tablet, deputies sign in one after another with their own account; the sign-in
goes through the same checks and lockout as the site's login, but opens no session, so the next deputy never finds
the last one signed in. The signed-in deputy's ballot is cast by services.cast_vote with the channel "tablet", as a
phone vote is: one statement checks the seat, the window and the marks, and the ballot names no voter. A tablet
can be withdrawn at any time (a lost device), after which its key opens nothing."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congress import audit
from congress.errors import Conflict, Forbidden, RuleViolation
from deputies.models import MandateStatus

from . import selectors, services, workflow
from .models import Channel, Turnout, VenueTablet
from .services import lock_programme

COOKIE = "livelihood_tablet"
# A tablet stays enrolled for the session's days; a deputy's sign-in on it lasts while they fill one ballot.
COOKIE_AGE = 14 * 24 * 3600
SIGN_IN_AGE = 10 * 60
SIGN_IN_SALT = "livelihood.tablet.sign-in"


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def enrol_tablet(*, actor, programme_id: int, label: str) -> tuple[VenueTablet, str]:
    """Staff make a device a voting tablet of the programme; returns the tablet and the key for its cookie (shown
    nowhere else, and stored only as a digest)."""
    label = (label or "").strip()[:40]
    if not label:
        raise RuleViolation(fields={"label": [_("Name the tablet, e.g. 会场平板3.")]})
    key = secrets.token_urlsafe(32)
    with transaction.atomic(), audit.acting_as(actor):
        programme = lock_programme(programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "enrol_tablet")
        if VenueTablet.objects.filter(programme=programme, label=label).exists():
            raise RuleViolation(fields={"label": [_("Another tablet of this programme has that name.")]})
        tablet = VenueTablet.objects.create(programme=programme, label=label, key_digest=digest(key),
                                            enrolled_by=actor)  # fmt: skip
        move.apply(fields=[], changes={"tablet": (None, label)})
    return tablet, key


def withdraw_tablet(*, actor, tablet_id: int) -> VenueTablet:
    """Staff withdraw a tablet (lost, or the vote is over): its key opens nothing afterwards."""
    with transaction.atomic(), audit.acting_as(actor):
        tablet = VenueTablet.objects.select_for_update().filter(pk=tablet_id).first()
        if tablet is None:
            raise RuleViolation(_("The tablet does not exist."))
        programme = lock_programme(tablet.programme_id)
        move = workflow.PROGRAMME.allow(actor, programme, "withdraw_tablet")
        if tablet.revoked_at is not None:
            raise Conflict(_("This tablet has been withdrawn already."))
        tablet.revoked_at = timezone.now()
        tablet.save(update_fields=["revoked_at"])
        move.apply(fields=[], changes={"tablet": (tablet.label, None)})
    return tablet


def tablet_for(programme_id: int, key: str | None) -> VenueTablet | None:
    """The enrolled, not withdrawn, tablet of this programme whose key the device carries; else None."""
    if not key:
        return None
    return (
        VenueTablet.objects.select_related("programme__congress")
        .filter(programme_id=programme_id, key_digest=digest(key), revoked_at__isnull=True).first()
    )  # fmt: skip


def sign_in_token(tablet: VenueTablet, user) -> str:
    """What the ballot form carries between the deputy's sign-in and their vote, in place of a session."""
    return signing.dumps({"tablet": tablet.pk, "user": user.pk}, salt=SIGN_IN_SALT)


def signed_in(tablet: VenueTablet, token: str | None):
    """The deputy who signed in on this tablet in the last ten minutes, or None."""
    try:
        data = signing.loads(token or "", salt=SIGN_IN_SALT, max_age=SIGN_IN_AGE)
    except signing.BadSignature:
        return None
    if data.get("tablet") != tablet.pk:
        return None
    return get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()


def seat_to_vote(tablet: VenueTablet, user):
    """The seat of a deputy who signed in on the tablet, if they may vote now: asked at sign-in, so a deputy who
    cannot vote is told before the ballot, not after it (cast_vote checks the same again)."""
    mandate = selectors.my_mandate(user, tablet.programme)
    if mandate is None:
        raise Forbidden(_("This account is not a deputy of the congress: only its deputies vote."))
    if mandate.status != MandateStatus.ACTIVE:
        raise Forbidden(_("A deputy whose mandate is suspended or has ended cannot vote."))
    if Turnout.objects.filter(programme_id=tablet.programme_id, mandate=mandate).exists():
        raise Conflict(_("You have already voted."))
    return mandate


def cast_on_tablet(*, tablet: VenueTablet, user, candidate_ids) -> Turnout:
    """The signed-in deputy's vote from the tablet: the phone's rules and service, with the channel "tablet"."""
    with transaction.atomic():
        turnout = services.cast_vote(actor=user, programme_id=tablet.programme_id, candidate_ids=candidate_ids,
                                     channel=Channel.TABLET)  # fmt: skip
        VenueTablet.objects.filter(pk=tablet.pk).update(votes=F("votes") + 1)
    return turnout

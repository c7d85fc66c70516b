"""The public online vote: a citizen verifies a phone by SMS code, then votes within the phone's daily limit.
Nothing here needs a login; the page's rate limits run before these."""

import hmac
import re
import secrets
from datetime import timedelta

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congress import notifications, policies, sms
from congress.errors import Conflict, InvalidTransition, RuleViolation

from .. import selectors
from ..models import Campaign, CampaignStatus, PhoneCheck, PublicVote, Round, RoundStatus
from .common import ROUND_NOT_OPEN, policy_values

PHONE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(phone: str) -> str:
    phone = re.sub(r"[\s-]", "", phone or "").removeprefix("+86")
    if not PHONE.match(phone):
        raise RuleViolation(fields={"phone": [_("Enter an 11-digit mainland mobile number.")]})
    return phone


def phone_hash(phone: str) -> str:
    """Phones are kept only as a keyed hash: enough to count one phone's votes, useless to read back."""
    return salted_hmac("cases.phone", phone, algorithm="sha256").hexdigest()


def _code_hash(check_key: str, code: str) -> str:
    return salted_hmac("cases.code", f"{check_key}:{code}", algorithm="sha256").hexdigest()


def shows_codes() -> bool:
    """Under DEBUG the development SMS backends deliver nothing, so the page shows the code instead; never on a
    live site, where a code on the page would let anyone 'verify' any number."""
    return notifications.shows_codes()


def sms_available() -> bool:
    """Without a backend that delivers, no phone can be verified, so the public vote stays closed."""
    return notifications.sms_available()


def send_code(*, campaign: Campaign, phone: str) -> tuple[PhoneCheck, str]:
    """Send a verification code to the phone (the page's rate limits run before this)."""
    phone = normalise_phone(phone)
    if selectors.public_round(campaign) is None or campaign.status == CampaignStatus.FINISHED:
        raise RuleViolation(_("There is no public vote in this campaign now."))
    if not sms_available():
        raise RuleViolation(_("SMS verification is not available, so the online vote is closed for now."))
    code = f"{secrets.randbelow(1_000_000):06d}"
    hashed = phone_hash(phone)
    now = timezone.now()
    minutes = int(policies.policy(campaign.congress, "cases.sms_code_minutes"))
    params = {"title": campaign.title, "code": code, "minutes": minutes}
    text = _("Your code for the %(title)s vote is %(code)s (valid %(minutes)s minutes).") % params
    with transaction.atomic():  # the check and its text are stored together; the text goes once they commit
        check = PhoneCheck.objects.create(
            campaign=campaign, phone_hash=hashed, code_hash=_code_hash(hashed, code),
            expires_at=now + timedelta(minutes=minutes),
        )  # fmt: skip
        sms.queue(phone, "vote_code", params, text, expires_at=check.expires_at, congress=campaign.congress)
    return check, code


def verify_code(*, campaign: Campaign, phone: str, code: str) -> str:
    """Check the code sent to the phone; returns the phone's hash for the session."""
    phone = normalise_phone(phone)
    hashed = phone_hash(phone)
    attempts = int(policies.policy(campaign.congress, "cases.sms_code_attempts"))
    with transaction.atomic():
        check = (
            PhoneCheck.objects.select_for_update()
            .filter(campaign=campaign, phone_hash=hashed, verified_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if check is None or check.expires_at < timezone.now() or check.attempts >= attempts:
            raise RuleViolation(fields={"code": [_("The code has expired; ask for a new one.")]})
        right = hmac.compare_digest(check.code_hash, _code_hash(hashed, (code or "").strip()))
        if right:
            check.verified_at = timezone.now()
            check.save(update_fields=["verified_at"])
        else:
            check.attempts += 1
            check.save(update_fields=["attempts"])
    # Raised after the commit: inside the transaction the error would roll back the wrong guess it counts.
    if not right:
        raise RuleViolation(fields={"code": [_("The code is not right.")]})
    return hashed


def verified_minutes(campaign: Campaign) -> int:
    return int(policies.policy(campaign.congress, "cases.verified_phone_minutes"))


CONTEXT_SECONDS = 5
PER_DAY = "cases.public_votes_per_phone_day"
PER_ADDRESS = "cases.public_votes_per_address_hour"


def _context_key(slug: str) -> str:
    return f"cases:vote:{slug}"


def vote_context(slug: str) -> dict:
    """What every public vote request of a campaign needs — its open round, window, candidates and limits —
    read once and kept a few seconds ({} when no public vote is open). Nothing in it changes while the round
    is open except the status, and a vote for a round that has just closed is refused by the database itself
    (the trigger of migration 0002, or the check below on SQLite), so a stale copy can never count a vote."""
    key = _context_key(slug)
    context = cache.get(key)
    if context is None:
        round_ = (
            Round.objects.filter(campaign__slug=slug, public_vote=True, status=RoundStatus.OPEN)
            .select_related("campaign")
            .first()
        )
        context = {}
        if round_ is not None:
            limits = policy_values(round_.campaign.congress_id, PER_DAY, PER_ADDRESS)
            context = {
                "round": round_.pk, "opens": round_.opens_at, "closes": round_.closes_at,
                "candidates": frozenset(round_.entries.values_list("submission_id", flat=True)),
                "per_day": limits[PER_DAY], "per_address_hour": limits[PER_ADDRESS],
            }  # fmt: skip
        cache.set(key, context, CONTEXT_SECONDS)
    return context


def forget_vote_context(campaign_id: int) -> None:
    slug = Campaign.objects.filter(pk=campaign_id).values_list("slug", flat=True).first()
    if slug:
        cache.delete(_context_key(slug))


def _store_vote(vote: PublicVote) -> None:
    """One INSERT. Inside a transaction (a test, a caller's atomic block) a savepoint keeps a refused insert
    from spoiling it; in autocommit the statement is its own transaction: one round trip."""
    if connection.in_atomic_block:
        with transaction.atomic():
            vote.save(force_insert=True)
    else:
        vote.save(force_insert=True)


def votes_left(slug: str, phone_hash: str) -> int | None:
    """How many votes the phone still has today in the campaign's open public vote (None when none is open)."""
    context = vote_context(slug)
    if not context:
        return None
    used = PublicVote.objects.filter(round_id=context["round"], phone_hash=phone_hash,
                                     day=timezone.localdate()).count()  # fmt: skip
    return max(context["per_day"] - used, 0)


def public_vote(*, slug: str, submission_id: int, phone_hash: str) -> PublicVote:
    """A verified citizen's vote for a candidate of the campaign's open public vote, within the phone's
    daily limit. Counts stay exact under any concurrency: each vote is one row, and (round, phone, day, slot)
    is unique."""
    now = timezone.now()
    context = vote_context(slug)
    if not context or submission_id not in context["candidates"]:
        raise RuleViolation(_("This is not a candidate of an open public vote."))
    if not context["opens"] <= now < context["closes"]:
        raise RuleViolation(_("The public vote is not open now."))
    if connection.vendor != "postgresql" and not Round.objects.filter(pk=context["round"], status="open").exists():
        raise InvalidTransition(_("The public vote has closed."))
    per_day = context["per_day"]
    day = timezone.localdate(now)
    for _attempt in range(3):
        used = 0
        if per_day > 1:
            used = PublicVote.objects.filter(round_id=context["round"], phone_hash=phone_hash, day=day).count()
        if used >= per_day:
            break
        vote = PublicVote(
            round_id=context["round"], submission_id=submission_id, phone_hash=phone_hash, day=day, slot=used + 1
        )
        try:
            _store_vote(vote)
            return vote
        except IntegrityError as exc:
            if ROUND_NOT_OPEN in str(exc):
                raise InvalidTransition(_("The public vote has closed.")) from exc
            if per_day == 1:
                break
            # Another request from this phone took the same slot at the same moment: count again.
    raise Conflict(
        _("This phone has used its %(n)s vote(s) for today; thank you, and come back tomorrow.") % {"n": per_day}
    )

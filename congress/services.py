"""Every write on the core tables: the admin, the web views and the API call these functions."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import audit, outbox, scope, workdays
from .errors import Forbidden, RuleViolation
from .models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    Congress,
    PolicyValue,
    Role,
    RoleMembership,
    Session,
    Term,
    User,
)
from .rules import WRITE_ACTIONS

# Rows whose lock serialises checks that span several rows (no overlapping terms, sessions in a term).
_LOCKS = {
    Term: lambda obj: Congress.objects.select_for_update().filter(pk=obj.congress_id),
    Session: lambda obj: Term.objects.select_for_update().filter(pk=obj.term_id),
    PolicyValue: lambda obj: Congress.objects.select_for_update().filter(pk=obj.congress_id),
}


def save_reference(*, actor, obj):
    """Validate and save a region, congress, term, session, organisation or policy value."""
    model = type(obj)
    with transaction.atomic(), audit.acting_as(actor):
        lock = _LOCKS.get(model)
        if lock:
            list(lock(obj))
        current = model.objects.select_for_update().filter(pk=obj.pk).first() if obj.pk else None
        if current is not None:
            scope.require(actor, WRITE_ACTIONS[model], current)
        obj.full_clean()
        scope.require(actor, WRITE_ACTIONS[model], obj)
        obj.save()
    return obj


def delete_reference(*, actor, obj) -> None:
    """Only administrators delete structure; history elsewhere may point to it (PROTECT)."""
    if not actor.is_superuser:
        raise Forbidden()
    with transaction.atomic(), audit.acting_as(actor):
        obj.delete()


def remove_policy(*, actor, policy: PolicyValue) -> None:
    """Remove a congress's override: the policy falls back to its default for the congress's level. Those who
    may set the override may remove it; the removal is in the audit log with the value it had."""
    with transaction.atomic(), audit.acting_as(actor):
        list(Congress.objects.select_for_update().filter(pk=policy.congress_id))
        current = PolicyValue.objects.select_for_update().filter(pk=policy.pk).first()
        if current is None:
            return
        scope.require(actor, WRITE_ACTIONS[PolicyValue], current)
        current.delete()


def set_policy(*, actor, congress: Congress, key: str, value, note: str = "") -> PolicyValue:
    existing = PolicyValue.objects.filter(congress=congress, key=key).first()
    row = existing or PolicyValue(congress=congress, key=key)
    row.value, row.note = value, note
    return save_reference(actor=actor, obj=row)


def grant_role(*, actor, user: User, role: str, congress=None, organisation=None) -> RoleMembership:
    """Give user a role; staff roles also open the console."""
    membership = RoleMembership(user=user, role=role, congress=congress, organisation=organisation)
    membership.full_clean()
    anchor = organisation or congress
    if actor is not None and not actor.is_superuser and not scope.can(actor, "congress.change_structure", anchor):
        raise Forbidden()
    with transaction.atomic(), audit.acting_as(actor):
        membership.save()
        if role == Role.STAFF and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


# Calendar


def save_calendar_day(*, actor, day: CalendarDay) -> CalendarDay:
    with transaction.atomic(), audit.acting_as(actor):
        day.full_clean(validate_unique=False)
        scope.require(actor, "congress.change_calendar", day)
        day.save()
        _calendar_changed(day.date, day.date)
    return day


def delete_calendar_day(*, actor, day: CalendarDay) -> None:
    with transaction.atomic(), audit.acting_as(actor):
        scope.require(actor, "congress.change_calendar", day)
        changed = day.date
        day.delete()
        _calendar_changed(changed, changed)


def save_calendar_year(*, actor, year: CalendarYear) -> CalendarYear:
    """Marking a year complete turns its provisional deadlines into firm ones."""
    with transaction.atomic(), audit.acting_as(actor):
        year.full_clean(validate_unique=False)
        scope.require(actor, "congress.change_calendar", year)
        year.save()
        _calendar_changed(date(year.year, 1, 1), date(year.year, 12, 31))
    return year


def import_calendar_years(*, actor, years: list[int] | None = None) -> list[int]:
    """Load official schedules from the chinesecalendar package (update the package for new years)."""
    if actor is not None:
        scope.require(actor, "congress.change_calendar", None)
    # The days and the recompute of the deadlines they move commit together: a crash cannot leave them stale.
    with transaction.atomic(), audit.acting_as(actor):
        loaded = workdays.load_from_package(years, overwrite=years is not None)
        if years and not loaded:
            raise RuleViolation(
                "The installed chinesecalendar package has no schedule for {}.".format(", ".join(map(str, years)))
            )
        if loaded:
            _calendar_changed(date(min(loaded), 1, 1), date(max(loaded), 12, 31))
    return loaded


def _calendar_changed(first: date, last: date) -> None:
    from .tasks import recompute_deadlines

    outbox.enqueue(recompute_deadlines, first.isoformat(), last.isoformat())


# Integration clients


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return "cdw_" + secrets.token_urlsafe(32)


def api_scopes() -> list[tuple[str, str]]:
    """Every scope a client can hold: read and write per API area, and unmasked personal data."""
    from django.utils.translation import gettext as _

    areas = [("reference", _("regions, congresses, bodies, policies")), ("deputies", _("deputies and mandates")),
             ("stations", _("liaison stations and opinions")), ("suggestions", _("suggestions and their handling")),
             ("training", _("training")), ("cases", _("excellent-case selection"))]  # fmt: skip
    scopes = []
    for area, label in areas:
        scopes += [(f"{area}:read", _("read %(what)s") % {"what": label}),
                   (f"{area}:write", _("change %(what)s") % {"what": label})]  # fmt: skip
    scopes.append(("personal-data:read", _("see ID numbers and phones unmasked")))
    return scopes


def create_api_client(*, actor, name: str, congress: Congress, scopes: list[str], allowed_ips: str = "",
                      rate_per_minute: int = 600) -> tuple[ApiClient, str]:  # fmt: skip
    """Create an integration client; the token is returned once and only its hash is stored."""
    from django.utils.translation import gettext as _

    if actor is not None and not scope.can(actor, "congress.change_own", ApiClient(congress=congress)):
        raise Forbidden()
    if ApiClient.objects.filter(name=name).exists():
        raise RuleViolation(fields={"name": [_("An integration client with this name exists.")]})
    unknown = sorted(set(scopes) - {value for value, _label in api_scopes()})
    if unknown:
        raise RuleViolation(fields={"scopes": [_("Unknown scopes: %(names)s.") % {"names": ", ".join(unknown)}]})
    token = _new_token()
    with transaction.atomic(), audit.acting_as(actor):
        username = f"api-{slugify(name, allow_unicode=False) or 'client'}-{secrets.token_hex(3)}"
        user = User.objects.create(username=username, name=name)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        RoleMembership.objects.create(user=user, role=Role.INTEGRATION_CLIENT, congress=congress)
        client = ApiClient.objects.create(
            name=name,
            congress=congress,
            user=user,
            scopes=sorted(set(scopes)),
            allowed_ips=allowed_ips,
            rate_per_minute=rate_per_minute,
            token_prefix=token[:8],
            token_hash=_hash(token),
        )
    return client, token


def change_api_client(*, actor, client_id: int, name: str, scopes: list[str], allowed_ips: str, rate_per_minute: int,
                      is_active: bool) -> ApiClient:  # fmt: skip
    """Change an integration client's name, scopes, address allow-list, rate or state (its congress stays: a
    client's data scope is its congress, so another congress gets a client of its own)."""
    from django.utils.translation import gettext as _

    with transaction.atomic(), audit.acting_as(actor):
        client = ApiClient.objects.select_for_update().filter(pk=client_id).first()
        if client is None:
            raise RuleViolation(_("The integration client does not exist."))
        if actor is not None:
            scope.require(actor, "congress.change_own", client)
        if ApiClient.objects.filter(name=name).exclude(pk=client.pk).exists():
            raise RuleViolation(fields={"name": [_("An integration client with this name exists.")]})
        unknown = sorted(set(scopes) - {value for value, _label in api_scopes()})
        if unknown:
            raise RuleViolation(fields={"scopes": [_("Unknown scopes: %(names)s.") % {"names": ", ".join(unknown)}]})
        wanted = {"name": name, "scopes": sorted(set(scopes)), "allowed_ips": allowed_ips,
                  "rate_per_minute": rate_per_minute, "is_active": is_active}  # fmt: skip
        changes = {field: (getattr(client, field), value) for field, value in wanted.items()
                   if getattr(client, field) != value}  # fmt: skip
        if changes:
            for field, (_before, value) in changes.items():
                setattr(client, field, value)
            client.save(update_fields=[*changes, "updated_at"])
            audit.record(actor, client, "change", changes)
    return client


def rotate_api_token(*, actor, client: ApiClient) -> str:
    if actor is not None:
        scope.require(actor, "congress.change_own", client)
    token = _new_token()
    with transaction.atomic():
        ApiClient.objects.select_for_update().filter(pk=client.pk).update(
            token_prefix=token[:8], token_hash=_hash(token), updated_at=timezone.now()
        )
        audit.record(actor, client, "rotate_token")
    return token


def revoke_api_client(*, actor, client: ApiClient) -> None:
    if actor is not None:
        scope.require(actor, "congress.change_own", client)
    with transaction.atomic():
        ApiClient.objects.select_for_update().filter(pk=client.pk).update(is_active=False, updated_at=timezone.now())
        audit.record(actor, client, "revoke", {"is_active": (True, False)})


def authenticate_token(token: str) -> ApiClient | None:
    client = ApiClient.objects.select_related("user").filter(token_hash=_hash(token), is_active=True).first()
    if client is None or not client.user.is_active:
        return None
    now = timezone.now()
    # One write a minute at most: last use is for the console, not for every request.
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client

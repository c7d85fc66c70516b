"""Every write on the core tables: the admin, the web views and the API call these functions."""

import hashlib
import secrets
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from . import audit, outbox, replica, scope, signals, workdays
from .errors import Forbidden, RuleViolation
from .models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    Congress,
    Organisation,
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
        if model is Organisation:
            _check_organisation_references(obj)
        obj.save()
        if model is Congress and current is None:
            signals.congress_created.send(sender=Congress, congress=obj)
    return obj


def _check_organisation_references(organisation: Organisation) -> None:
    """An organisation's parent body is of its own region, or of a region above or below it, never a sibling
    county's: the write's scope rule judges the organisation's region, not what it names. (Its congress is held
    to its own region's by Organisation.clean.)"""
    lineage = scope.lineage_q("region__code", organisation.region.code)
    if organisation.parent_id:
        scope.referenced(
            Organisation.objects.filter(lineage),
            organisation.parent_id,
            field="parent",
            message=gettext_lazy("Choose a body of this region or of a region above or below it."),
        )


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
#
# A client may do only what the person who granted it could do: each scope is granted only by someone who holds
# its permissions (grantable_scopes), every client has an owner (the person its token was last issued to) against
# whom its reads of personal data are logged, and creating a client, changing it and issuing a token are audited
# and told to the staff of its congress. actor=None is the system (management commands, data set-up, tests): it
# grants what it is told, and names the owner explicitly.

# A client with `personal-data:read` sees deputies' ID numbers and phones (deputies.rules.view_personal_data) and
# citizens' phones (liaison_stations.rules.view_citizen_phone) unmasked; staff see them so only with these
# permissions, so whoever grants the scope must hold both.
PERSONAL_DATA_SCOPE = "personal-data:read"
PERSONAL_DATA_PERMISSIONS = ("deputies.view_personal_data", "liaison_stations.view_citizen_phone")
NOT_HELD = gettext_lazy(
    "You may grant only the scopes whose permissions you hold yourself; you do not hold those of: %(names)s."
)
NOT_HELD_FOR_TOKEN = gettext_lazy(
    "A new token carries every scope of the client; you do not hold the permissions of: %(names)s."
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return "cdw_" + secrets.token_urlsafe(32)


def api_scopes() -> list[tuple[str, str]]:
    """Every scope a client can hold: read and write per API area, and unmasked personal data."""
    from django.utils.translation import gettext as _

    areas = [("reference", _("regions, congresses, bodies, policies")), ("deputies", _("deputies and mandates")),
             ("stations", _("liaison stations and opinions")), ("suggestions", _("suggestions and their handling")),
             ("training", _("training")), ("activities", _("activities, their invitations and attendance")),
             ("cases", _("excellent-case selection")), ("livelihood", _("livelihood-project votes"))]  # fmt: skip
    scopes = []
    for area, label in areas:
        scopes += [(f"{area}:read", _("read %(what)s") % {"what": label}),
                   (f"{area}:write", _("change %(what)s") % {"what": label})]  # fmt: skip
    scopes.append((PERSONAL_DATA_SCOPE, _("see ID numbers and phones unmasked")))
    return scopes


def grantable_scopes(user, congress: Congress | None = None) -> set[str]:
    """The scopes user may give a client of congress (with None: of any congress user keeps), i.e. those whose
    permissions user holds there. Superusers may grant every scope.

    - `<area>:read` and `<area>:write`: a client reads its congress's region tree as that congress's staff do
      (congress.scope.REGION_ROLES), and the rules let it write nothing they do not let that congress's staff
      write (its one write, suggestions.intake, is theirs too), so both ask the grantor to be staff of the
      congress.
    - `personal-data:read`: staff of the congress holding both PERSONAL_DATA_PERMISSIONS."""
    every = {value for value, _label in api_scopes()}
    if not getattr(user, "is_active", False):
        return set()
    if user.is_superuser:
        return every
    kept = scope.congress_ids(user, (Role.STAFF,))
    if not kept or (congress is not None and congress.pk not in kept):
        return set()
    granted = every - {PERSONAL_DATA_SCOPE}
    if all(user.has_perm(permission) for permission in PERSONAL_DATA_PERMISSIONS):
        granted.add(PERSONAL_DATA_SCOPE)
    return granted


def _refuse_unknown(scopes) -> None:
    from django.utils.translation import gettext as _

    unknown = sorted(set(scopes) - {value for value, _label in api_scopes()})
    if unknown:
        raise RuleViolation(fields={"scopes": [_("Unknown scopes: %(names)s.") % {"names": ", ".join(unknown)}]})


def _refuse_ungranted(actor, congress: Congress, scopes, message) -> None:
    """Forbidden, naming them, when scopes hold any the actor may not grant (unknown scopes are left to
    _refuse_unknown's 400). The system (actor None) grants what it is told."""
    if actor is None:
        return
    known = {value for value, _label in api_scopes()}
    missing = sorted((set(scopes) & known) - grantable_scopes(actor, congress))
    if missing:
        text = message % {"names": ", ".join(missing)}
        raise Forbidden(text, fields={"scopes": [text]})


def _issued_to(actor, owner):
    """The person a new token goes to and who then owns the client: the actor; on the system path the owner the
    caller names (an active person, not a client)."""
    from django.utils.translation import gettext as _

    if actor is not None:
        if owner is not None and owner.pk != actor.pk:
            raise RuleViolation(fields={"owner": [_("A token is issued to the person who asks for it.")]})
        return actor
    if owner is None or not owner.is_active or ApiClient.objects.filter(user_id=owner.pk).exists():
        raise RuleViolation(fields={"owner": [_("Name the person the token is issued to: an active user.")]})
    return owner


def _who(actor) -> str:
    from django.utils.translation import gettext as _

    return (actor.name or actor.username) if actor is not None else _("the system")


def _tell_staff(client: ApiClient, key: str, title: str, body: str = "") -> None:
    """Tell the staff of the client's congress (the actor too: a notice they did not expect is how a stolen
    session shows itself). Called inside the change's transaction; the key makes a retry send nothing new."""
    from django.urls import reverse

    from . import notifications

    staff = User.objects.filter(
        is_active=True, memberships__role=Role.STAFF, memberships__congress_id=client.congress_id
    ).distinct()
    link = reverse("admin:congress_apiclient_change", args=[client.pk])
    notifications.send_once(f"api-client:{client.pk}:{key}", staff, title, body, link)


def create_api_client(*, actor, name: str, congress: Congress, scopes: list[str], owner: User | None = None,
                      allowed_ips: str = "", rate_per_minute: int = 600) -> tuple[ApiClient, str]:  # fmt: skip
    """Create an integration client; the token is returned once and only its hash is stored. Its owner is the
    actor (the system names one with `owner`), who may grant only the scopes they hold."""
    from django.utils.translation import gettext as _

    if actor is not None and not scope.can(actor, "congress.change_own", ApiClient(congress=congress)):
        raise Forbidden()
    _refuse_ungranted(actor, congress, scopes, NOT_HELD)
    owner = _issued_to(actor, owner)
    if ApiClient.objects.filter(name=name).exists():
        raise RuleViolation(fields={"name": [_("An integration client with this name exists.")]})
    _refuse_unknown(scopes)
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
            owner=owner,
            scopes=sorted(set(scopes)),
            allowed_ips=allowed_ips,
            rate_per_minute=rate_per_minute,
            token_prefix=token[:8],
            token_hash=_hash(token),
        )
        audit.record(actor, client, "create", {"scopes": ([], client.scopes)}, owner=owner.pk)
        _tell_staff(
            client,
            "created",
            _("Integration client %(name)s created by %(who)s, its token issued to %(owner)s") % {
                "name": name, "who": _who(actor), "owner": _who(owner)},
            _("Scopes: %(scopes)s") % {"scopes": ", ".join(client.scopes) or "—"},
        )  # fmt: skip
    return client, token


def change_api_client(*, actor, client_id: int, name: str, scopes: list[str], allowed_ips: str, rate_per_minute: int,
                      is_active: bool) -> ApiClient:  # fmt: skip
    """Change an integration client's name, scopes, address allow-list, rate or state (its congress stays: a
    client's data scope is its congress, so another congress gets a client of its own). Scopes it gains must be
    ones the actor may grant and its owner could hold (the owner answers for what it reads); dropping scopes is
    always allowed."""
    from django.utils.translation import gettext as _

    with transaction.atomic(), audit.acting_as(actor):
        client = ApiClient.objects.select_for_update().filter(pk=client_id).first()
        if client is None:
            raise RuleViolation(_("The integration client does not exist."))
        if actor is not None:
            scope.require(actor, "congress.change_own", client)
        gained = set(scopes) - set(client.scopes)
        _refuse_ungranted(actor, client.congress, gained, NOT_HELD)
        if ApiClient.objects.filter(name=name).exclude(pk=client.pk).exists():
            raise RuleViolation(fields={"name": [_("An integration client with this name exists.")]})
        _refuse_unknown(scopes)
        if actor is not None and client.owner is not None:
            beyond = sorted(gained - grantable_scopes(client.owner, client.congress))
            if beyond:
                raise RuleViolation(fields={"scopes": [
                    _("The client's owner %(owner)s does not hold the permissions of: %(names)s; the owner answers "
                      "for what the client reads, so rotate its token to take it over first.") % {
                        "owner": _who(client.owner), "names": ", ".join(beyond)}]})  # fmt: skip
        wanted = {"name": name, "scopes": sorted(set(scopes)), "allowed_ips": allowed_ips,
                  "rate_per_minute": rate_per_minute, "is_active": is_active}  # fmt: skip
        changes = {field: (getattr(client, field), value) for field, value in wanted.items()
                   if getattr(client, field) != value}  # fmt: skip
        if changes:
            for field, (_before, value) in changes.items():
                setattr(client, field, value)
            client.save(update_fields=[*changes, "updated_at"])
            entry = audit.record(actor, client, "change", changes)
            _tell_staff(
                client,
                f"change:{entry.pk}",
                _("Integration client %(name)s changed by %(who)s") % {"name": client.name, "who": _who(actor)},
                "\n".join(
                    f"{ApiClient._meta.get_field(field).verbose_name}: {_shown(before)} → {_shown(after)}"
                    for field, (before, after) in changes.items()
                ),
            )
    return client


def _shown(value) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "—"
    return str(value)


def rotate_api_token(*, actor, client: ApiClient, owner: User | None = None) -> str:
    """Issue a new token (the old one stops working). Whoever gets it gets the client's powers, so the actor must
    be able to grant every scope the client holds, and becomes its owner (the system names the owner, or keeps
    the current one)."""
    from django.utils.translation import gettext as _

    token = _new_token()
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        if locked is None:
            raise RuleViolation(_("The integration client does not exist."))
        if actor is not None:
            scope.require(actor, "congress.change_own", locked)
        _refuse_ungranted(actor, locked.congress, locked.scopes, NOT_HELD_FOR_TOKEN)
        new_owner = _issued_to(actor, owner or (locked.owner if actor is None else None))
        ApiClient.objects.filter(pk=locked.pk).update(
            token_prefix=token[:8], token_hash=_hash(token), owner=new_owner, updated_at=timezone.now()
        )
        changes = {"owner": (locked.owner_id, new_owner.pk)} if locked.owner_id != new_owner.pk else {}
        entry = audit.record(actor, locked, "rotate_token", changes, owner=new_owner.pk)
        _tell_staff(
            locked,
            f"token:{entry.pk}",
            _("New token for integration client %(name)s issued to %(owner)s by %(who)s") % {
                "name": locked.name, "owner": _who(new_owner), "who": _who(actor)},
            _("The previous token no longer works. Scopes: %(scopes)s") % {"scopes": ", ".join(locked.scopes) or "—"},
        )  # fmt: skip
    client.refresh_from_db(fields=["token_prefix", "owner"])
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
        # Nothing the request reads depends on it, so it leaves the request's heavy reads on the replica.
        with replica.not_read_back():
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


PREFERENCE_FIELDS = ("sms", "email", "sms_accepted")


def set_notification_preference(*, actor, sms: bool, email: bool, sms_accepted: bool):
    """A person sets how they are reached beyond the inbox; only their own preference, made on first save."""
    from .models import NotificationPreference

    if not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    wanted = {"sms": sms, "email": email, "sms_accepted": sms_accepted}
    with transaction.atomic():
        NotificationPreference.objects.get_or_create(user_id=actor.pk)
        preference = NotificationPreference.objects.select_for_update().get(user_id=actor.pk)
        changes = {name: (getattr(preference, name), value) for name, value in wanted.items()
                   if getattr(preference, name) != value}  # fmt: skip
        if changes:
            for name, value in wanted.items():
                setattr(preference, name, value)
            preference.save()
            audit.record(actor, preference, "notification_preference", changes)
    return preference

"""The one place that decides what a user may see (querysets) and do (rules).

Division codes are paths, so "a congress's region and everything below" is a prefix match. Each scoped
model registers how it reaches a region code, a handling unit and a deputy's user; apps register
their own models and action rules here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from .errors import Forbidden, RuleViolation
from .models import Role, RoleMembership

REGION_ROLES = {Role.STAFF, Role.SUPERVISOR, Role.INTEGRATION_CLIENT}
# Deputies and station managers read reference data (regions, congresses, stations) of their own region tree,
# but work records only through the paths below (their own rows, their stations' rows).
PUBLIC_ROLES = {Role.DEPUTY, Role.STATION_MANAGER}


@dataclass(frozen=True)
class ScopeSpec:
    region: str | None = None  # lookup path to the region code, e.g. "congress__region__code"
    unit: str | None = None  # lookup path to the handling unit id, for unit officers
    deputy_user: str | None = None  # lookup path to the deputy's user id, for deputies
    public: bool = False  # reference data any signed-in user may read in their own region tree
    # Visible when a visible row of another model points here: (model, its field holding our pk).
    # Used where the region hangs off a many-side (a person is in scope through any of their mandates).
    via: tuple[type[Model], str] | None = None
    owner: str | None = None  # lookup path to a user who always sees their own rows (e.g. an uploader)
    manager: str | None = None  # lookup path to the users managing the row's liaison station
    # Where the paths above cannot say it (visibility through many-side rows, states hidden from some roles),
    # a function of the user returning the whole filter.
    custom: Callable | None = None


_specs: dict[type[Model], ScopeSpec] = {}
_rules: dict[str, Callable] = {}


def register(model: type[Model], spec: ScopeSpec) -> None:
    _specs[model] = spec


def rule(action: str):
    """Register the function deciding whether a user may do `action` on an object."""

    def decorator(func):
        _rules[action] = func
        return func

    return decorator


def memberships(user) -> list[RoleMembership]:
    """The user's role memberships, loaded once per request object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_scope_memberships", None)
    if cached is None:
        cached = list(
            RoleMembership.objects.filter(user=user).select_related("congress__region", "organisation__region")
        )
        user._scope_memberships = cached
    return cached


def region_prefixes(user, roles=REGION_ROLES) -> set[str]:
    return {m.congress.region.code for m in memberships(user) if m.role in roles and m.congress_id}


def congress_ids(user, roles=(Role.STAFF,)) -> set[int]:
    return {m.congress_id for m in memberships(user) if m.role in roles and m.congress_id}


def unit_ids(user) -> set[int]:
    return {m.organisation_id for m in memberships(user) if m.role == Role.UNIT_OFFICER}


def api_client(user):
    """The integration client a token request acts as, or None for a person."""
    return getattr(user, "api_client", None) if hasattr(user, "api_client") else None


def has_role(user, *roles) -> bool:
    return getattr(user, "is_superuser", False) or any(m.role in roles for m in memberships(user))


def prefix_q(path: str, prefixes) -> Q:
    """Rows whose division code at `path` lies in any of the regions `prefixes` (those regions and below)."""
    q = Q(pk__in=[])
    for prefix in prefixes:
        q |= Q(**{f"{path}__startswith": prefix})
    return q


def lineage_q(path: str, code: str) -> Q:
    """Rows whose division code at `path` is the region `code`, lies below it or above it: what a body of that
    region may name (the deputies of its congress and those below, and the deputies of the congresses above who
    are elected there), never a sibling county's or township's."""
    from .divisions import ancestors

    # The country's path code is "": the national congress is above every region.
    return Q(**{f"{path}__startswith": code}) | Q(**{f"{path}__in": ["", *ancestors(code)]})


def people_of(code: str) -> QuerySet:
    """The accounts a body of region `code` may give a part of its own work (a station's managers, a round's
    voters): active people holding a role in a congress or unit of that region's lineage (its own, below or
    above, as `lineage_q`), or no role yet (an account just made for the job). Accounts carry no region of their
    own, so this is how their reach is told; never another county's staff, and never an integration client."""
    from django.contrib.auth import get_user_model

    roles = RoleMembership.objects.filter(user_id=OuterRef("pk"))
    near = roles.filter(lineage_q("congress__region__code", code) | lineage_q("organisation__region__code", code))
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(near) | ~Exists(roles))
        .exclude(Exists(roles.filter(role=Role.INTEGRATION_CLIENT)))
    )


def visibility(user, model: type[Model]) -> Q | None:
    """The filter for what user may read of model; None means everything."""
    if getattr(user, "is_superuser", False):
        return None
    spec = _specs.get(model)
    if spec is None:
        raise LookupError(f"{model.__name__} is not registered with congress.scope")
    if spec.custom is not None:
        return spec.custom(user)
    q = _direct_q(user, spec)
    if spec.via:
        related, field = spec.via
        q |= Q(pk__in=visible(user, related).values(field))
    return q


def _direct_q(user, spec: ScopeSpec) -> Q:
    """What the user sees of a model by the model's own columns (everything but `via`)."""
    q = prefix_q(spec.region, region_prefixes(user)) if spec.region else Q(pk__in=[])
    units = unit_ids(user)
    if units and spec.region:
        if spec.unit:
            q |= Q(**{f"{spec.unit}__in": units})
        elif spec.public:
            q |= prefix_q(spec.region, {m.organisation.region.code for m in memberships(user) if m.organisation_id})
    if spec.deputy_user:
        if has_role(user, Role.DEPUTY):
            q |= Q(**{spec.deputy_user: user.pk})
    elif spec.public and spec.region:
        q |= prefix_q(spec.region, region_prefixes(user, roles=PUBLIC_ROLES))
    if spec.manager and has_role(user, Role.STATION_MANAGER):
        q |= Q(**{spec.manager: user.pk})
    if spec.owner:
        q |= Q(**{spec.owner: user.pk})
    return q


def visible(user, model: type[Model], queryset: QuerySet | None = None) -> QuerySet:
    """What user may read of model; admin, web views and the API all start here."""
    queryset = model._default_manager.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    q = visibility(user, model)
    return queryset if q is None else queryset.filter(q)


def key_sources(user, model: type[Model]) -> list[tuple[QuerySet, str]]:
    """Where the keys of what user may read of model can be read in key order: `(queryset, column)` pairs whose
    column values together hold every visible primary key (and may hold more: a list reading them keeps only
    what `visible` keeps). Rows seen through another model's rows (`via`, a person through their mandates) are
    found in that model's column, so a cursor walking the keys reads an index range per page instead of a
    semi-join over every visible row of the other model."""
    manager = model._default_manager
    if not getattr(user, "is_authenticated", False):
        return []
    spec = _specs.get(model)
    if getattr(user, "is_superuser", False) or spec is None or spec.custom is not None or not spec.via:
        return [(visible(user, model), "pk")]
    related, field = spec.via
    return [(manager.filter(_direct_q(user, spec)), "pk"), (visible(user, related), field)]


def can_see(user, obj) -> bool:
    return visible(user, type(obj)).filter(pk=obj.pk).exists()


def can(user, action: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    check = _rules.get(action)
    if check is None:
        raise LookupError(f"no scope rule for action {action!r}")
    return bool(check(user, obj))


def require(user, action: str, obj=None) -> None:
    """Raise Forbidden unless user may do action on obj."""
    if not can(user, action, obj):
        raise Forbidden()


def get_for(user, model: type[Model], pk, action: str | None = None):
    """Fetch an object the user may see (404-style None otherwise) and, given an action, may act on."""
    obj = visible(user, model).filter(pk=pk).first()
    if obj is None:
        return None
    if action:
        require(user, action, obj)
    return obj


def referenced(allowed: QuerySet, ids, *, field: str, message=None):
    """The rows named by `ids` (one id, or several) among `allowed`, the records the actor may refer to from the
    subject of a write (usually `visible(actor, Model)` narrowed to the subject's congress or station); a field
    error otherwise.

    Every service that takes the id of a record other than its subject checks it here, so the web form, the
    console and the API refuse a reference to another region's unit or another station's deputy alike. An id out
    of reach gets the same answer as an id that does not exist: the refusal tells nothing about the record."""
    from django.utils.translation import gettext as _

    single = not isinstance(ids, list | tuple | set | frozenset)
    wanted = [ids] if single else list(ids)
    try:
        keys = {int(pk) for pk in wanted}
    except (TypeError, ValueError):
        keys = None
    found = {row.pk: row for row in allowed.filter(pk__in=keys)} if keys is not None else {}
    if keys is None or set(found) != keys or (single and not keys):
        raise RuleViolation(fields={field: [message or _("Choose from the records offered to you.")]})
    return found[next(iter(keys))] if single else [found[pk] for pk in sorted(keys)]

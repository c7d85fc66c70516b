"""Scope registrations and write rules of the core models."""

from django.db.models import Q

from . import scope
from .models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    Congress,
    ConsoleJob,
    Deadline,
    DocumentTemplate,
    IssuedDocument,
    Organisation,
    PolicyValue,
    Region,
    Role,
    Session,
    Term,
    Tombstone,
    Topic,
    WebhookDelivery,
    WebhookEndpoint,
)

scope.register(Region, scope.ScopeSpec(region="code", public=True))
scope.register(Congress, scope.ScopeSpec(region="region__code", public=True))
scope.register(Term, scope.ScopeSpec(region="congress__region__code", public=True))
scope.register(Session, scope.ScopeSpec(region="term__congress__region__code", public=True))
scope.register(Organisation, scope.ScopeSpec(region="region__code", unit="pk", public=True))
scope.register(PolicyValue, scope.ScopeSpec(region="congress__region__code"))
scope.register(DocumentTemplate, scope.ScopeSpec(region="congress__region__code"))
scope.register(IssuedDocument, scope.ScopeSpec(region="congress__region__code"))
scope.register(Deadline, scope.ScopeSpec(region="congress__region__code", unit="responsible_org_id"))
scope.register(ApiClient, scope.ScopeSpec(region="congress__region__code"))
scope.register(WebhookEndpoint, scope.ScopeSpec(region="client__congress__region__code"))
scope.register(WebhookDelivery, scope.ScopeSpec(region="endpoint__client__congress__region__code"))
# A background job and its file (an export) are its starter's alone.
# A congress's topics are read by staff of its region tree, like its other records.
scope.register(Topic, scope.ScopeSpec(region="region_code"))
scope.register(ConsoleJob, scope.ScopeSpec(custom=lambda user: Q(created_by_id=user.pk)))


def _tombstone_visibility(user) -> Q:
    """Region readers see deletions in their region tree, and those whose region could no longer be told
    (a person deleted after their last seat): an id and a resource name, no personal data."""
    prefixes = scope.region_prefixes(user)
    if not prefixes:
        return Q(pk__in=[])
    return scope.prefix_q("region_code", prefixes) | Q(region_code="")


scope.register(Tombstone, scope.ScopeSpec(custom=_tombstone_visibility))


def region_code_of(obj) -> str | None:
    if isinstance(obj, Region):
        return obj.code
    if isinstance(obj, Congress | Organisation):
        return obj.region.code if obj.region_id else None
    if isinstance(obj, Term | PolicyValue | ApiClient | DocumentTemplate):
        return obj.congress.region.code if obj.congress_id else None
    if isinstance(obj, Session):
        return obj.term.congress.region.code if obj.term_id else None
    return None


def congress_id_of(obj) -> int | None:
    if isinstance(obj, Term | PolicyValue | ApiClient | DocumentTemplate):
        return obj.congress_id
    if isinstance(obj, Session):
        return obj.term.congress_id if obj.term_id else None
    return None


@scope.rule("congress.change_structure")
def change_structure(user, obj) -> bool:
    """Staff set up regions, congresses and organisations in their own region tree."""
    code = region_code_of(obj)
    return code is not None and any(code.startswith(prefix) for prefix in scope.region_prefixes(user, {Role.STAFF}))


@scope.rule("congress.change_own")
def change_own(user, obj) -> bool:
    """Terms, sessions, policies and clients belong to one congress: only its own staff change them."""
    return congress_id_of(obj) in scope.congress_ids(user, (Role.STAFF,))


@scope.rule("congress.change_calendar")
def change_calendar(user, obj) -> bool:
    """The working calendar is national: provincial staff (or higher) keep it."""
    return any(m.role == Role.STAFF and len(m.congress.region.code) <= 2 for m in scope.memberships(user))


@scope.rule("congress.view_console")
def view_console(user, obj) -> bool:
    return scope.has_role(user, Role.STAFF)


WRITE_ACTIONS = {
    Region: "congress.change_structure",
    Congress: "congress.change_structure",
    Organisation: "congress.change_structure",
    Term: "congress.change_own",
    Session: "congress.change_own",
    PolicyValue: "congress.change_own",
    DocumentTemplate: "congress.change_own",
    ApiClient: "congress.change_own",
    CalendarDay: "congress.change_calendar",
    CalendarYear: "congress.change_calendar",
}


@scope.rule("congress.edit_topic")
def edit_topic(user, obj) -> bool:
    """Staff rename and merge their own congress's topics (those above only read them)."""
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF,))

"""Scope registrations and rules of the roster."""

from congress import scope
from congress.models import Role

from .models import (
    ContactAssignment,
    ContactRecord,
    Delegation,
    DeputyGroup,
    DutyEntry,
    ElectoralUnit,
    GroupMembership,
    GuestInvitation,
    ImportJob,
    Mandate,
    Person,
    PointsItem,
    PointsTable,
    Suspension,
)

scope.register(Mandate, scope.ScopeSpec(region="region_code", deputy_user="person__user_id"))
scope.register(Person, scope.ScopeSpec(deputy_user="user_id", via=(Mandate, "person_id")))
for model in (ElectoralUnit, Delegation, DeputyGroup):
    scope.register(model, scope.ScopeSpec(region="congress__region__code", public=True))
scope.register(GroupMembership, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(Suspension, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(ContactAssignment, scope.ScopeSpec(region="congress__region__code", owner="member_id"))
scope.register(
    ContactRecord, scope.ScopeSpec(region="assignment__congress__region__code", owner="assignment__member_id")
)
scope.register(GuestInvitation, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(DutyEntry, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(PointsTable, scope.ScopeSpec(region="congress__region__code"))
scope.register(PointsItem, scope.ScopeSpec(region="congress__region__code"))
scope.register(ImportJob, scope.ScopeSpec(owner="created_by_id"))


def _own_congresses(user) -> set[int]:
    return scope.congress_ids(user, (Role.STAFF,))


@scope.rule("deputies.change_roster")
def change_roster(user, obj) -> bool:
    """Staff keep the mandates of their own congress; a person's details may be kept by the staff of any
    congress the person sits in (or by any staff for a new person)."""
    own = _own_congresses(user)
    if isinstance(obj, Person):
        if obj.pk is None:
            return bool(own)
        return Mandate.objects.filter(person_id=obj.pk, congress_id__in=own).exists()
    congress_id = obj.congress_id if hasattr(obj, "congress_id") else obj.mandate.congress_id
    return congress_id in own


@scope.rule("deputies.view_personal_data")
def view_personal_data(user, obj) -> bool:
    """Unmasked ID numbers and phones: integration clients with the scope, staff granted the permission,
    and a deputy for their own record."""
    client = scope.api_client(user)
    if client is not None:
        return "personal-data:read" in client.scopes
    if isinstance(obj, Person) and obj.user_id == user.pk:
        return True
    return user.has_perm("deputies.view_personal_data") and scope.has_role(user, Role.STAFF)


@scope.rule("deputies.record_contact")
def record_contact(user, obj) -> bool:
    """The assigned committee member, or staff of the congress, log contacts."""
    return obj.member_id == user.pk or obj.congress_id in _own_congresses(user)


@scope.rule("deputies.import")
def import_roster(user, obj) -> bool:
    return bool(_own_congresses(user))


@scope.rule("deputies.change_catalogue")
def change_catalogue(user, obj) -> bool:
    """Code lists and the points catalogue are shared: provincial staff (or higher) keep them."""
    return any(m.role == Role.STAFF and len(m.congress.region.code) <= 2 for m in scope.memberships(user))


@scope.rule("deputies.change_points_catalogue")
def change_points_catalogue(user, obj) -> bool:
    """Each congress keeps its own points catalogue: its staff change it."""
    return obj.congress_id in _own_congresses(user)


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    from .models import DutyKind, EthnicGroup, Party

    WRITE_ACTIONS.update(
        {
            ElectoralUnit: "deputies.change_roster",
            Delegation: "deputies.change_roster",
            DeputyGroup: "deputies.change_roster",
            GroupMembership: "deputies.change_roster",
            ContactAssignment: "deputies.change_roster",
            GuestInvitation: "deputies.change_roster",
            DutyEntry: "deputies.change_roster",
            DutyKind: "deputies.change_catalogue",
            PointsItem: "deputies.change_points_catalogue",
            EthnicGroup: "deputies.change_catalogue",
            Party: "deputies.change_catalogue",
        }
    )


_register_writes()

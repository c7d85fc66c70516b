"""Who sees which activity records and who may act on them: registered with congress.scope.

A joint activity has an organising congress and co-organising congresses. Staff of each see the activity; each
congress's staff invite, and see the invitations and attendance of, their own deputies only (the deputies of
their region and below), so no congress reads another's deputies' personal data."""

from django.db.models import Q

from congress import scope
from congress.models import Role

from .models import (
    Activity,
    Attendance,
    Correction,
    Expert,
    ExpertPool,
    Finding,
    FindingOutcome,
    Invitation,
    Material,
    Participant,
    Sitting,
    VoterReport,
)

# Who acts for a congress's office on its activities: its staff, and its integration client (a provincial system
# running activities through the API with the `activities:write` scope) the same.
OFFICE = (Role.STAFF, Role.INTEGRATION_CLIENT)


def staff_regions(user) -> dict[int, str]:
    """The congresses the user acts for the office of (OFFICE), with their division codes."""
    return {
        m.congress_id: m.congress.region.code for m in scope.memberships(user) if m.role in OFFICE and m.congress_id
    }


def activity_visibility(user) -> Q:
    """Staff, supervisors and clients read the activities of their region tree, staff of a co-organising
    congress the joint activities it takes part in, and a deputy the activities they were invited to."""
    q = scope.prefix_q("region_code", scope.region_prefixes(user))
    own = staff_regions(user)
    if own:
        q |= Q(co_congresses__in=list(own))
    if scope.has_role(user, Role.DEPUTY):
        q |= Q(pk__in=Invitation.objects.filter(mandate__person__user_id=user.pk).values("activity_id"))
    return q


def visible_activities(user):
    # A co-organiser's join may repeat a row: keep the filter in a subquery so lists stay distinct.
    return Q(pk__in=Activity.objects.filter(activity_visibility(user)).values("pk"))


def _through_activity(user) -> Q:
    return Q(activity_id__in=scope.visible(user, Activity).values("pk"))


scope.register(Activity, scope.ScopeSpec(custom=visible_activities))
scope.register(Sitting, scope.ScopeSpec(custom=_through_activity))
scope.register(Material, scope.ScopeSpec(custom=_through_activity))
scope.register(Finding, scope.ScopeSpec(custom=_through_activity))
scope.register(
    FindingOutcome,
    scope.ScopeSpec(custom=lambda user: Q(finding__activity_id__in=scope.visible(user, Activity).values("pk"))),
)
# Non-deputies' names are kept by the organiser: its staff (its region tree) read them.
scope.register(Participant, scope.ScopeSpec(region="activity__region_code"))
scope.register(Invitation, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))
scope.register(
    Attendance,
    scope.ScopeSpec(region="invitation__mandate__region_code", deputy_user="invitation__mandate__person__user_id"),
)
scope.register(Correction, scope.ScopeSpec(region="attendance__invitation__mandate__region_code"))
# A report to voters is the deputy's: their region's readers and the deputy see it, like their invitation.
scope.register(VoterReport, scope.ScopeSpec(region="mandate__region_code", deputy_user="mandate__person__user_id"))


# An expert pool and its experts are their congress's own: its staff and integration clients, nobody else (not
# even the staff of a congress above it: the experts' contact details are given to that congress alone).
EXPERT_ROLES = (Role.STAFF, Role.INTEGRATION_CLIENT)


def _own_congress(user) -> Q:
    return Q(congress_id__in=scope.congress_ids(user, EXPERT_ROLES))


scope.register(ExpertPool, scope.ScopeSpec(custom=_own_congress))
scope.register(Expert, scope.ScopeSpec(custom=_own_congress))


@scope.rule("activities.manage_experts")
def manage_experts(user, obj: Expert | ExpertPool) -> bool:
    """A congress's staff keep its expert pools and experts (its clients read them)."""
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF,))


@scope.rule("activities.answer_for_expert")
def answer_for_expert(user, obj: Participant) -> bool:
    """The staff of the invited expert's congress record their answer."""
    return obj.expert_id is not None and obj.expert.congress_id in scope.congress_ids(user, (Role.STAFF,))


def _activity_of(obj) -> Activity | None:
    if isinstance(obj, Activity):
        return obj
    if isinstance(obj, Sitting | Material | Participant | Invitation | Finding):
        return obj.activity
    if isinstance(obj, FindingOutcome):
        return obj.finding.activity
    if isinstance(obj, Attendance):
        return obj.invitation.activity
    return None


def congress_ids_of(activity: Activity) -> set[int]:
    """The organising congress and the co-organising ones."""
    ids = {activity.congress_id}
    if activity.pk:
        ids |= {c.pk for c in activity.co_congresses.all()}
    return ids


@scope.rule("activities.manage")
def manage(user, obj) -> bool:
    """The activity itself, its sittings, materials, non-deputy participants and its course of states: staff (or the
    integration client) of the organising congress."""
    activity = _activity_of(obj)
    return activity is not None and activity.congress_id in scope.congress_ids(user, OFFICE)


@scope.rule("activities.invite")
def invite(user, obj: Activity) -> bool:
    """Staff of the organising or of a co-organising congress invite (their own) deputies."""
    return bool(set(staff_regions(user)) & congress_ids_of(obj))


@scope.rule("activities.handle")
def handle(user, obj: Invitation | Attendance) -> bool:
    """An invitation and its attendance are handled by staff of a congress of the activity whose region holds the
    invited deputy's seat: each congress its own deputies."""
    invitation = obj.invitation if isinstance(obj, Attendance) else obj
    own = staff_regions(user)
    code = invitation.mandate.region_code
    return any(code.startswith(own[pk]) for pk in congress_ids_of(invitation.activity) & set(own))


@scope.rule("activities.respond")
def respond(user, obj: Invitation) -> bool:
    """The invited deputy answers and checks in for themselves."""
    invitation = obj.invitation if isinstance(obj, Attendance) else obj
    return invitation.mandate.person.user_id == user.pk


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    WRITE_ACTIONS.update(dict.fromkeys((Activity, Sitting, Material, Participant), "activities.manage"))
    WRITE_ACTIONS.update(dict.fromkeys((Expert, ExpertPool), "activities.manage_experts"))


_register_writes()

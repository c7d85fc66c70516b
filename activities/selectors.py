"""Reads of activities used by the pages (and the API later): scoped through congress.scope."""

from django.db.models import Count, Prefetch, Q

from congress import scope
from deputies.models import Mandate

from .models import Activity, Attendance, Invitation, InvitationStatus, Sitting


def activities_for_staff(user):
    return (
        scope.visible(user, Activity)
        .select_related("congress", "kind")
        .annotate(waiting=Count("invitations", filter=Q(invitations__status=InvitationStatus.WAITLISTED)))
        .order_by("-starts_on", "-id")
    )


def activity_for(user, pk) -> Activity | None:
    return (
        scope.visible(user, Activity)
        .select_related("congress__region", "kind", "organiser", "organiser_group", "organiser_station")
        .prefetch_related("co_congresses", "materials", "participants")
        .filter(pk=pk)
        .first()
    )


def invitations_seen(user, activity: Activity):
    """The activity's invitations the user may see: staff see their own congress's deputies only."""
    return (
        scope.visible(user, Invitation)
        .filter(activity=activity)
        .select_related("mandate__person", "mandate__congress")
        .order_by("status", "waitlisted_at", "mandate__person__name", "id")
    )


def my_invitations(user):
    return (
        Invitation.objects.filter(mandate__person__user=user)
        .select_related("activity__congress", "activity__kind", "mandate__congress")
        .prefetch_related(
            Prefetch("activity__sittings", queryset=Sitting.objects.order_by("starts_at")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("sitting")),
        )
        .order_by("-activity__starts_on", "-id")
    )


def waitlist_position(invitation: Invitation) -> int:
    return (
        Invitation.objects.filter(activity_id=invitation.activity_id, status=InvitationStatus.WAITLISTED)
        .filter(
            Q(waitlisted_at__lt=invitation.waitlisted_at)
            | Q(waitlisted_at=invitation.waitlisted_at, id__lt=invitation.pk)
        )
        .count()
        + 1
    )


def sitting_roll(user, sitting: Sitting) -> list[Invitation]:
    """The accepted deputies of a sitting's activity the user handles, each with `mark` (their attendance or None)."""
    marks = {a.invitation_id: a for a in Attendance.objects.filter(sitting=sitting)}
    rows = list(
        scope.visible(user, Invitation)
        .filter(activity_id=sitting.activity_id, status=InvitationStatus.ACCEPTED)
        .select_related("mandate__person")
        .order_by("mandate__person__name", "id")
    )
    for invitation in rows:
        invitation.mark = marks.get(invitation.pk)
    return rows


def report_deputies(user, activity):
    """The deputies whose report to voters this user records: accepted invitees of the user's own congress."""
    invited = scope.visible(user, Invitation).filter(activity=activity, status=InvitationStatus.ACCEPTED)
    return Mandate.objects.filter(pk__in=invited.values("mandate_id")).select_related("person").order_by("person__name")


INVITE_AT_ONCE = 5000  # the most deputies one "invite all found" invites


def invitable_found(user, activity: Activity, filterset):
    """The deputies a bound roster-directory filter finds whom the user may invite to the activity and who are not
    invited yet (the console's invitation page and the API's `filters`); None while the filter is invalid."""
    from . import services

    if not (filterset.is_bound and filterset.is_valid()):
        return None
    return services.invitable_mandates(user, activity, filterset.qs).exclude(
        person_id__in=Invitation.objects.filter(activity=activity).values("person_id")
    )

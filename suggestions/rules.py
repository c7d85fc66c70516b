"""Who sees which suggestions and who may take which action: registered with congress.scope."""

from django.db.models import Q

from congress import scope
from congress.models import Congress, Role

from .models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Category,
    ContactLog,
    CoSigner,
    ExtensionRequest,
    Feedback,
    KeySupervision,
    ReassignmentRequest,
    Reply,
    Status,
    Suggestion,
    SupervisionNote,
)


def _own_suggestion_ids(user):
    """Suggestions a deputy leads or was asked to co-sign (the handling of a merged group is read through
    its primary, see assignment_visibility)."""
    mine = Suggestion.objects.filter(
        Q(lead__person__user_id=user.pk)
        | Q(pk__in=CoSigner.objects.filter(mandate__person__user_id=user.pk).values("suggestion_id"))
    ).values("pk")
    return mine


def suggestion_visibility(user) -> Q:
    """Staff, supervisors and clients read their region tree except deputies' private drafts; units what
    was ever assigned to them; deputies what they lead or co-sign."""
    q = Q(pk__in=[])
    prefixes = scope.region_prefixes(user)
    if prefixes:
        q |= scope.prefix_q("region_code", prefixes) & ~Q(status=Status.DRAFT)
    units = scope.unit_ids(user)
    if units:
        q |= Q(pk__in=Assignment.objects.filter(unit_id__in=units).values("suggestion_id"))
    if scope.has_role(user, Role.DEPUTY):
        q |= Q(pk__in=_own_suggestion_ids(user))
    return q


def assignment_visibility(user) -> Q:
    """Units see every unit on a suggestion they handle (the lead reads the co-handlers' opinions). A unit
    released from a suggestion keeps only its own assignment (and through it its own replies, contacts and
    requests): not the handling that came after it, nor the other units' letters."""
    q = Q(pk__in=[])
    prefixes = scope.region_prefixes(user)
    if prefixes:
        q |= scope.prefix_q("region_code", prefixes)
    units = scope.unit_ids(user)
    if units:
        mine = Assignment.objects.filter(unit_id__in=units)
        handling = mine.exclude(status=AssignmentStatus.RELEASED)
        q |= Q(suggestion_id__in=handling.values("suggestion_id")) | Q(pk__in=mine.values("pk"))
    if scope.has_role(user, Role.DEPUTY):
        own = _own_suggestion_ids(user)
        q |= Q(suggestion_id__in=own) | Q(suggestion__merged__in=own)
    return q


def _through_assignment(user) -> Q:
    return Q(assignment_id__in=scope.visible(user, Assignment).values("pk"))


def _through_suggestion(user) -> Q:
    return Q(suggestion_id__in=scope.visible(user, Suggestion).values("pk"))


scope.register(Category, scope.ScopeSpec(region="congress__region__code", public=True))
scope.register(Suggestion, scope.ScopeSpec(custom=suggestion_visibility))
scope.register(Assignment, scope.ScopeSpec(custom=assignment_visibility))
scope.register(CoSigner, scope.ScopeSpec(custom=_through_suggestion))
scope.register(Attachment, scope.ScopeSpec(custom=_through_suggestion))


def _feedback_visibility(user) -> Q:
    """A deputy's rating of a reply is read with the reply: a released unit does not read the ratings of the
    replies of the units that came after it."""
    return _through_suggestion(user) & Q(reply__assignment_id__in=scope.visible(user, Assignment).values("pk"))


scope.register(Feedback, scope.ScopeSpec(custom=_feedback_visibility))
for model in (ReassignmentRequest, ContactLog, Reply, ExtensionRequest):
    scope.register(model, scope.ScopeSpec(custom=_through_assignment))
scope.register(KeySupervision, scope.ScopeSpec(region="congress__region__code", owner="leader_id"))
scope.register(SupervisionNote, scope.ScopeSpec(region="item__congress__region__code", owner="item__leader_id"))


def _staff_of(user, congress_id) -> bool:
    return congress_id in scope.congress_ids(user, (Role.STAFF,))


@scope.rule("suggestions.author")
def author(user, obj: Suggestion) -> bool:
    """The lead deputy drafts, submits, withdraws and rates; nobody else writes in their name."""
    return obj.lead.person.user_id == user.pk


@scope.rule("suggestions.cosign")
def cosign(user, obj: CoSigner) -> bool:
    return obj.mandate.person.user_id == user.pk


@scope.rule("suggestions.review")
def review(user, obj) -> bool:
    """Review, assignment, decisions on units' requests: staff of the suggestion's congress."""
    return _staff_of(user, obj.congress_id)


@scope.rule("suggestions.recommend")
def recommend(user, obj) -> bool:
    """The recommended units of a suggestion: those who assign (staff) and the congress's integration client."""
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF, Role.INTEGRATION_CLIENT))


@scope.rule("suggestions.intake")
def intake(user, obj) -> bool:
    """Entering a deputy's suggestion for them: staff or the integration client of the deputy's congress."""
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF, Role.INTEGRATION_CLIENT))


@scope.rule("suggestions.publish")
def publish(user, obj: Suggestion) -> bool:
    return _staff_of(user, obj.congress_id)


@scope.rule("suggestions.handle")
def handle(user, obj: Assignment) -> bool:
    """A unit acts only on its own assignment; it never forwards one."""
    return obj.unit_id in scope.unit_ids(user)


@scope.rule("suggestions.mark_key")
def mark_key(user, obj) -> bool:
    """Staff and the chairpersons' council (supervisors) of the congress choose key items."""
    return obj.congress_id in scope.congress_ids(user, (Role.STAFF, Role.SUPERVISOR))


@scope.rule("suggestions.supervise")
def supervise(user, obj: KeySupervision) -> bool:
    return obj.leader_id == user.pk or mark_key(user, obj)


@scope.rule("suggestions.manage_categories")
def manage_categories(user, obj: Category) -> bool:
    return _staff_of(user, obj.congress_id)


@scope.rule("suggestions.view_statistics")
def view_statistics(user, obj) -> bool:
    return obj.pk in scope.congress_ids(user, (Role.STAFF, Role.SUPERVISOR))


def _register_writes():
    from congress.rules import WRITE_ACTIONS

    WRITE_ACTIONS.update({Category: "suggestions.manage_categories"})


_register_writes()


@scope.rule("suggestions.assignment_letters")
def assignment_letters(user, obj: Congress) -> bool:
    """The letters of a congress's batches: its staff."""
    return _staff_of(user, obj.pk)


@scope.rule("suggestions.reminder_letters")
def reminder_letters(user, obj: Congress) -> bool:
    """The reminder letters (催办函) to a congress's overdue units: its staff."""
    return _staff_of(user, obj.pk)


@scope.rule("suggestions.session_documents")
def session_documents(user, obj: Congress) -> bool:
    """A congress's assignment lists and compilations: its staff."""
    return _staff_of(user, obj.pk)

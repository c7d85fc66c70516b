"""Reads of suggestions for the pages, the exports and the benchmarks: a fixed number of queries each."""

from collections import defaultdict
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from congress import deadlines, policies, scope
from congress.models import Congress, Deadline, Organisation, OrganisationKind, Role, User
from congress.params import as_identifier
from congress.workdays import Calendar
from deputies.models import GroupKind, GroupMembership, Mandate, MandateStatus

from . import workflow
from .models import (
    Assignment,
    AssignmentStatus,
    Category,
    CoSigner,
    CoSignerStatus,
    Feedback,
    KeySupervision,
    Reply,
    RequestStatus,
    Satisfaction,
    Status,
    Suggestion,
    UnitRole,
)

# An assignment owes a reply (or, for a co-handler, an opinion) in these states.
OWING = [AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED, AssignmentStatus.RELEASE_REQUESTED,
         AssignmentStatus.REHANDLING]  # fmt: skip


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}reply_due__lt": today, f"{prefix}status__in": OWING})


def handled_by_q(unit_id) -> Q:
    """Suggestions a unit handles (or handled): assigned to it and not released."""
    mine = Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit_id=unit_id).exclude(
        status=AssignmentStatus.RELEASED
    )
    return Q(Exists(mine))


def late_q(today: date) -> Q:
    """Suggestions with a unit's reply (or co-handling opinion) overdue."""
    return Q(Exists(Assignment.objects.filter(overdue_q(today), suggestion_id=OuterRef("pk"))))


def amber_periods(assignments) -> dict:
    """Each congress's amber period (working days) for the assignments' traffic lights, by congress id."""
    return policies.per_congress("suggestion.amber_period", {a.congress_id for a in assignments})


def light(assignment: Assignment, today: date, calendar: Calendar, amber: int) -> str:
    """Traffic light of a unit's assignment: red overdue, amber due within the congress's amber period."""
    if assignment.status not in OWING or assignment.reply_due is None:
        return "none"
    if assignment.reply_due < today:
        return "red"
    if calendar.workdays_between(today, assignment.reply_due) <= amber:
        return "amber"
    return "green"


def unit_portal(user, *, status: str = "", overdue: bool = False, unit=None, today: date | None = None):
    """A unit officer's assignments, the soonest due first (their rows alone: see portal_rows for a page's)."""
    today = today or timezone.localdate()
    queryset = Assignment.objects.filter(unit_id__in=scope.unit_ids(user)).order_by(
        F("reply_due").asc(nulls_last=True), "id"
    )
    if unit:
        queryset = queryset.filter(unit_id=unit)
    if status == "open":
        queryset = queryset.filter(status__in=OWING)
    elif status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(overdue_q(today))
    return queryset


def portal_rows(assignments) -> list[Assignment]:
    """A page of the unit portal with what it shows (suggestion, category, lead deputy, unit), in the page's order.

    The page is chosen on the assignments alone, which the `assignment_unit_due` and `assignment_due` indexes
    give in the portal's order, and only its rows are joined: joined before the limit, the planner read every
    assignment of the officer's units with its suggestion and deputy to sort them (issue 25)."""
    ids = [assignment.pk for assignment in assignments]
    rows = Assignment.objects.filter(pk__in=ids).select_related(
        "suggestion__category", "suggestion__lead__person", "unit"
    )
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def with_unconfirmed_cosigners(queryset):
    """Each suggestion's count of co-signers still to confirm (`unconfirmed`), for staff about to accept it."""
    invited = (
        CoSigner.objects.filter(suggestion_id=OuterRef("pk"), status=CoSignerStatus.INVITED)
        .order_by()
        .values("suggestion_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(unconfirmed=Subquery(invited))


def review_list(user, *, status="", session=None, category=None, unit=None, overdue=False, key=False, q="",
                kind="", today: date | None = None):  # fmt: skip
    """The staff list of suggestions with the filters staff think in."""
    today = today or timezone.localdate()
    queryset = (
        scope.visible(user, Suggestion).select_related("lead__person", "category", "session__term").order_by("-id")
    )
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    if session == "between":
        queryset = queryset.filter(session__isnull=True)
    elif session:
        queryset = queryset.filter(session_id=session)
    if category:
        queryset = queryset.filter(category_id=category)
    if unit:
        queryset = queryset.filter(handled_by_q(unit))
    if overdue:
        queryset = queryset.filter(late_q(today))
    if key:
        key_items = KeySupervision.suggestions.through.objects.filter(suggestion_id=OuterRef("pk"))
        queryset = queryset.filter(Exists(key_items))
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q) | Q(number_label__icontains=q) | Q(lead__person__name__icontains=q)
        )
    return queryset


def group_of(suggestion: Suggestion) -> list[Suggestion]:
    primary_id = suggestion.merged_into_id or suggestion.pk
    return list(
        Suggestion.objects.filter(Q(pk=primary_id) | Q(merged_into_id=primary_id))
        .select_related("lead__person")
        .order_by("pk")
    )


def handling_of(suggestion: Suggestion, user):
    """The units of a suggestion (of its primary when merged) the user may read, with their replies and
    contacts (a unit released from it reads its own handling only)."""
    primary_id = suggestion.merged_into_id or suggestion.pk
    return (
        scope.visible(user, Assignment)
        .filter(suggestion_id=primary_id)
        .select_related("unit")
        .prefetch_related("replies__feedback", "contacts", "reassignment_requests", "extension_requests")
        .order_by("role", "id")
    )


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def statistics(congress, *, session=None, year: int | None = None, today: date | None = None) -> dict:
    """Per session (or year) and per unit: states, on-time replies, face-to-face contacts, satisfaction,
    category mix and the overdue list. Six queries whatever the number of suggestions."""
    today = today or timezone.localdate()
    suggestions = Suggestion.objects.filter(congress=congress).exclude(status=Status.DRAFT)
    assignments = Assignment.objects.filter(congress=congress).exclude(status=AssignmentStatus.RELEASED)
    feedback = Feedback.objects.filter(congress=congress)
    if session == "between":
        suggestions, assignments = suggestions.filter(session__isnull=True), assignments.filter(session__isnull=True)
        feedback = feedback.filter(reply__assignment__session__isnull=True)
    elif session:
        suggestions, assignments = suggestions.filter(session=session), assignments.filter(session=session)
        feedback = feedback.filter(reply__assignment__session=session)
    if year:
        suggestions = suggestions.filter(submitted_at__year=year)
        assignments = assignments.filter(assigned_on__year=year)
        feedback = feedback.filter(reply__assignment__assigned_on__year=year)
    by_state = list(
        suggestions.values_list("status").annotate(n=Count("id"), late=Count("id", filter=late_q(today))).order_by()
    )
    states = {status: n for status, n, _late in by_state}
    categories = list(suggestions.values("category__name").annotate(n=Count("id")).order_by("-n", "category__name"))
    units = list(
        assignments.values("unit_id", "unit__name")
        .annotate(
            total=Count("id"),
            answering=Count("id", filter=~Q(role=UnitRole.CO)),
            replied=Count("id", filter=Q(replied_on__isnull=False)),
            on_time=Count("id", filter=Q(replied_on_time=True)),
            # Each answering assignment once, whatever its re-handling rounds: replied (judged by its first
            # reply) or overdue without any reply.
            judged=Count("id", filter=~Q(role=UnitRole.CO) & (Q(replied_on__isnull=False) | overdue_q(today))),
            overdue=Count("id", filter=overdue_q(today)),
            met=Count("id", filter=Q(replied_on__isnull=False, met_face_to_face=True)),
        )
        .order_by("unit__name")
    )
    ratings = {
        row["unit_id"]: row
        for row in feedback.values("unit_id")
        .annotate(
            rated=Count("id", filter=Q(deemed=False)),
            satisfied=Count("id", filter=Q(on_result=Satisfaction.SATISFIED)),
            basically=Count("id", filter=Q(on_result=Satisfaction.BASICALLY)),
            dissatisfied=Count("id", filter=Q(on_result=Satisfaction.DISSATISFIED)),
            attitude_satisfied=Count("id", filter=Q(on_attitude=Satisfaction.SATISFIED)),
            attitude_basically=Count("id", filter=Q(on_attitude=Satisfaction.BASICALLY)),
            attitude_dissatisfied=Count("id", filter=Q(on_attitude=Satisfaction.DISSATISFIED)),
            no_response=Count("id", filter=Q(deemed=True)),
        )
        .order_by()
    }
    silence_satisfies = bool(policies.policy(congress, "suggestion.no_response_satisfied"))
    empty = dict.fromkeys(RATING_KEYS, 0)
    totals = dict.fromkeys(("total", "answering", "replied", "on_time", "judged", "overdue", "met", *empty), 0)
    for row in units:
        row.update({key: ratings.get(row["unit_id"], empty)[key] for key in empty})
        _add_rates(row, silence_satisfies)
        for key in totals:
            totals[key] += row[key]
    _add_rates(totals, silence_satisfies)
    overdue = list(
        assignments.filter(overdue_q(today)).select_related("suggestion", "unit").order_by("reply_due", "id")[:200]
    )
    return {
        "states": [(value, label, states.get(value, 0)) for value, label in Status.choices if value != Status.DRAFT],
        "submitted": sum(states.values()),
        # Suggestions with a unit's work overdue: what the review list's overdue filter lists.
        "overdue_suggestions": sum(late for _status, _n, late in by_state),
        "categories": categories,
        "units": units,
        "totals": totals,
        "overdue": overdue,
        "today": today,
    }


RATING_KEYS = ("rated", "satisfied", "basically", "dissatisfied", "attitude_satisfied", "attitude_basically",
               "attitude_dissatisfied", "no_response")  # fmt: skip


def _add_rates(row: dict, silence_satisfies: bool = False) -> None:
    """Rates of one row: on time of the assignments judged; satisfied (or basically) of the ratings given, with the
    result and the attitude apart. No response is left out of both parts unless the congress's policy counts it
    as satisfied."""
    row["on_time_rate"] = _rate(row["on_time"], row["judged"])
    row["face_to_face_rate"] = _rate(row["met"], row["replied"])
    silent = row["no_response"] if silence_satisfies else 0
    row["satisfaction_rate"] = _rate(row["satisfied"] + row["basically"] + silent, row["rated"] + silent)
    row["attitude_rate"] = _rate(row["attitude_satisfied"] + row["attitude_basically"] + silent, row["rated"] + silent)
    row["no_response_counted"] = silence_satisfies


def public_list(*, year=None, category=None, unit=None, q=""):
    """Published suggestions for the public page; personal data were removed at publication."""
    queryset = (
        Suggestion.objects.filter(published_at__isnull=False)
        .select_related("category", "congress")
        .order_by("-published_at", "-id")
    )
    if year:
        queryset = queryset.filter(published_at__year=year)
    if category:
        queryset = queryset.filter(category__name=category)
    if unit:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    Q(suggestion_id=OuterRef("pk")) | Q(suggestion_id=OuterRef("merged_into_id")), unit_id=unit
                ).exclude(status="released")
            )
        )
    if q:
        queryset = queryset.filter(Q(public_title__icontains=q) | Q(number_label__icontains=q))
    return queryset


def supervision_items(user):
    """Key items a user supervises or may see, with their overdue assignments counted (overdue first)."""
    today = timezone.localdate()
    return (
        scope.visible(user, KeySupervision)
        .select_related("leader", "committee", "congress")
        .annotate(
            total=Count("suggestions", distinct=True),
            overdue=Count(
                "suggestions__assignments",
                filter=overdue_q(today, "suggestions__assignments__"),
                distinct=True,
            ),
        )
        .order_by(F("closed_at").asc(nulls_first=True), "-overdue", "-year", "id")
    )


# The deputy's to-do: replies to rate and requests to co-sign


# A co-signer may still answer while the suggestion is being written or waits for review.
COSIGNING = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


def attach_pending_feedback(suggestions) -> None:
    """Mark each suggestion with the replies its deputy has yet to rate (merged ones rate their primary's)."""
    primary = {s.pk: s.merged_into_id or s.pk for s in suggestions}
    replies = list(
        Reply.objects.filter(
            assignment__suggestion_id__in=set(primary.values()), assignment__status=AssignmentStatus.REPLIED
        )
        .select_related("assignment__unit")
        .order_by("assignment_id", "-round")
    )
    current = {}
    for answer in replies:
        current.setdefault(answer.assignment_id, answer)  # the newest round of each assignment
    answers = list(current.values())
    rated = set()
    due = {}
    if answers:
        given = Feedback.objects.filter(reply__in=answers, suggestion_id__in=primary)
        rated = set(given.values_list("reply_id", "suggestion_id"))
        due = dict(
            Deadline.objects.open()
            .filter(kind=workflow.FEEDBACK, content_type=ContentType.objects.get_for_model(Reply),
                    object_id__in=[a.pk for a in answers])
            .values_list("object_id", "due_date")
        )  # fmt: skip
    for suggestion in suggestions:
        suggestion.pending_feedback = [
            answer
            for answer in answers
            if answer.assignment.suggestion_id == primary[suggestion.pk] and (answer.pk, suggestion.pk) not in rated
        ]
        for answer in suggestion.pending_feedback:
            answer.feedback_due = due.get(answer.pk)


def feedback_to_give(user) -> list[tuple[Suggestion, Reply]]:
    """Every reply the deputy has yet to rate, on all the suggestions they lead, the soonest due first."""
    answered = AssignmentStatus.REPLIED
    replied = Q(assignments__status=answered) | Q(merged_into__assignments__status=answered)
    led = list(scope.visible(user, Suggestion).filter(replied, lead__person__user=user).distinct().order_by("pk"))
    attach_pending_feedback(led)
    pairs = [(suggestion, answer) for suggestion in led for answer in suggestion.pending_feedback]
    return sorted(pairs, key=lambda pair: (pair[1].feedback_due is None, pair[1].feedback_due or date.max))


def cosign_requests(user):
    """Invitations to co-sign the deputy has not answered yet, while they still may."""
    return scope.visible(user, CoSigner).filter(
        mandate__person__user=user, status=CoSignerStatus.INVITED, suggestion__status__in=COSIGNING
    )


# Choices the pages offer (the services check every choice again)


def handling_units(prefixes):
    """Active handling units of the given regions and below (a queryset: a province has thousands)."""
    return Organisation.objects.filter(
        scope.prefix_q("region__code", prefixes), kind=OrganisationKind.HANDLING_UNIT, is_active=True
    )


def units_to_name(user):
    """The units a user may name in a unit search: staff, the handling units of their congresses' regions; an
    officer, their own units."""
    staff = [c.region.code for c in congresses_of(user, (Role.STAFF,))] if scope.has_role(user, Role.STAFF) else []
    q = Q(pk__in=scope.unit_ids(user))
    if staff:
        q |= Q(pk__in=handling_units(staff).values("pk"))
    return Organisation.objects.filter(q)


def handling_units_in(prefixes) -> list[Organisation]:
    """Active handling units of the given regions and below, for the unit choices of a form."""
    return list(handling_units(prefixes).order_by("name"))


def find_units(units, text: str, limit: int = 20) -> list[Organisation]:
    """The units among `units` whose name contains `text`, or, for a label as unit_label writes it
    ("教育局（雁塔区）"), the unit of that name in that region; with their regions, nearest the top first."""
    text = text.strip()
    if not text:
        return []
    name, bracket, region = text.rstrip("）").partition("（")
    if bracket and text.endswith("）"):
        found = units.filter(name=name.strip(), region__name=region.strip())
    else:
        found = units.filter(name__icontains=text)
    return list(found.select_related("region").order_by("region__code", "name", "pk")[:limit])


def key_item_targets(user, year: int) -> list[dict]:
    """For each congress the user keeps key supervision for: its items of the year against the yearly target, and
    those a government leader leads against theirs."""
    congresses = congresses_of(user, (Role.STAFF, Role.SUPERVISOR))
    ids = [c.pk for c in congresses]
    counts = {
        pk: (items, led)
        for pk, items, led in KeySupervision.objects.filter(congress_id__in=ids, year=year)
        .values_list("congress_id")
        .annotate(n=Count("id"), led=Count("id", filter=~Q(government_leader="")))
        .order_by()
    }
    targets = policies.per_congress("supervision.key_items_per_year", ids)
    led_targets = policies.per_congress("supervision.government_led_per_year", ids)
    rows = []
    for congress in congresses:
        items, led = counts.get(congress.pk, (0, 0))
        rows.append({"congress": congress, "items": items, "target": targets[congress.pk], "government_led": led,
                     "government_target": led_targets[congress.pk],
                     "government_behind": led < led_targets[congress.pk]})  # fmt: skip
    return rows


def congresses_of(user, roles) -> list[Congress]:
    """The congresses a user holds one of the roles in (a superuser without roles: all)."""
    ids = scope.congress_ids(user, roles)
    queryset = Congress.objects.all() if user.is_superuser and not ids else Congress.objects.filter(pk__in=ids)
    return list(queryset.select_related("region").order_by("region__code"))


# A colleague's regional deputy groups (代表小组), read with the pool: cosigner_region names the first.
_REGIONAL_GROUPS = Prefetch(
    "memberships",
    queryset=GroupMembership.objects.filter(group__kind=GroupKind.REGIONAL).select_related("group").order_by("id"),
    to_attr="regional_memberships",
)


def _cosigner_pool(mandate):
    return (
        Mandate.objects.filter(congress_id=mandate.congress_id, term_id=mandate.term_id, status=MandateStatus.ACTIVE)
        .exclude(pk=mandate.pk)
        .select_related("person", "electoral_unit", "delegation")
        .prefetch_related(_REGIONAL_GROUPS)
        .order_by("person__name", "pk")
    )


def cosigner_candidates(mandate) -> list[Mandate]:
    """The colleagues a deputy may ask to co-sign: active deputies of the same congress and term.

    A deputy does not read the roster through scope (only their own mandate), yet names the colleagues who
    co-sign: the names are offered here, and the service checks them."""
    return list(_cosigner_pool(mandate))


def cosigners_named(mandate, data) -> list[Mandate]:
    """The candidates among the co-signers a posted form names (`cosigners`): what validating it needs, without
    loading the whole pool (hundreds of deputies of a provincial congress) on every save and autosave."""
    wanted = {pk for pk in map(as_identifier, data.getlist("cosigners")) if pk}
    return list(_cosigner_pool(mandate).filter(pk__in=wanted)) if wanted else []


def find_cosigners(mandate, name: str, limit: int = 20) -> list[Mandate]:
    """The co-signer candidates whose name contains `name`: the same deputies as cosigner_candidates."""
    name = name.strip()
    if not name:
        return []
    return list(_cosigner_pool(mandate).filter(person__name__icontains=name)[:limit])


def cosigner_region(mandate) -> str:
    """Where a colleague was elected (constituency or electoral unit), else their delegation or group: with
    their work unit, it tells two deputies of the same name apart."""
    body = mandate.electoral_unit or mandate.delegation
    if body is not None:
        return body.name
    regional = getattr(mandate, "regional_memberships", None)
    if regional is None:
        regional = list(_REGIONAL_GROUPS.queryset.filter(mandate_id=mandate.pk)[:1])
    return regional[0].group.name if regional else ""


def merge_candidates(user, suggestion) -> list[Suggestion]:
    """Accepted suggestions of the same congress that can be merged into this one."""
    return list(
        scope.visible(user, Suggestion)
        .filter(congress_id=suggestion.congress_id, status=Status.ACCEPTED, merged_into__isnull=True)
        .exclude(pk=suggestion.pk)
        .order_by("-id")[:500]
    )


def key_item_choices(user, congress_ids) -> dict:
    """What a key supervision item can name: its leader, its committee and its suggestions."""
    leaders = (
        User.objects.filter(is_active=True, memberships__role__in=[Role.SUPERVISOR, Role.STAFF],
                            memberships__congress_id__in=congress_ids)
        .distinct()
        .order_by("name")
    )  # fmt: skip
    return {
        "congresses": Congress.objects.filter(pk__in=congress_ids),
        "leaders": leaders,
        "committees": Organisation.objects.filter(congress_id__in=congress_ids).exclude(
            kind=OrganisationKind.HANDLING_UNIT
        ),
        "suggestions": scope.visible(user, Suggestion)
        .filter(congress_id__in=congress_ids, status__in=workflow.HANDED_OUT | {Status.ACCEPTED})
        .order_by("-id"),
    }


def key_item_units(item) -> list[Organisation]:
    """The units handling the suggestions of a key item (those a supervision notice can go to)."""
    return list(Organisation.objects.filter(assignments__suggestion__key_supervisions=item).distinct().order_by("name"))


# One suggestion and the deputy's own


def live_assignments() -> Prefetch:
    """Each suggestion's units still on it (released ones are history), as `live_assignments`."""
    live = Assignment.objects.exclude(status=AssignmentStatus.RELEASED).select_related("unit")
    return Prefetch("assignments", queryset=live, to_attr="live_assignments")


def suggestion_for(user, pk) -> Suggestion | None:
    """One suggestion the user may see, with what its page shows (None when they may not)."""
    return (
        scope.visible(user, Suggestion)
        .select_related("lead__person", "lead__congress", "category", "session__term", "term", "congress__region",
                        "delegation", "merged_into")
        .filter(pk=pk)
        .first()
    )  # fmt: skip


def own_suggestions(user):
    """The suggestions a deputy leads, newest first, with their units."""
    return (
        scope.visible(user, Suggestion)
        .filter(lead__person__user=user)
        .select_related("category", "session__term", "merged_into")
        .prefetch_related(live_assignments())
        .order_by("-id")
    )


def own_cosign_invitations(user) -> list[CoSigner]:
    """The deputy's co-signing requests, newest first, each marked whether it can still be answered."""
    cosigns = list(
        scope.visible(user, CoSigner)
        .filter(mandate__person__user=user)
        .select_related("suggestion__lead__person")
        .order_by("-id")[:50]
    )
    for cosigner in cosigns:
        cosigner.can_respond = cosigner.status == CoSignerStatus.INVITED and cosigner.suggestion.status in COSIGNING
    return cosigns


def public_units(suggestions) -> dict[int, list[Assignment]]:
    """The units (of the primary, for merged suggestions) of each published suggestion, with their replies."""
    primary = {s.pk: s.merged_into_id or s.pk for s in suggestions}
    assignments = (
        Assignment.objects.filter(suggestion_id__in=set(primary.values()))
        .exclude(status=AssignmentStatus.RELEASED)
        .select_related("unit")
        .prefetch_related("replies")
        .order_by("role", "id")
    )
    by_primary: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        replies = list(assignment.replies.all())
        assignment.latest_reply = replies[-1] if replies else None
        assignment.public_replies = [r for r in replies if r.public_text]
        by_primary.setdefault(assignment.suggestion_id, []).append(assignment)
    return {pk: by_primary.get(primary_id, []) for pk, primary_id in primary.items()}


def public_filter_choices() -> dict:
    """The categories and units the public list can be filtered by."""
    categories = Category.objects.filter(is_active=True).order_by("name").values_list("name", flat=True).distinct()
    units = Organisation.objects.filter(
        kind=OrganisationKind.HANDLING_UNIT, is_active=True, assignments__suggestion__published_at__isnull=False
    )
    return {"categories": list(categories), "units": list(units.distinct().order_by("name"))}


# The API's reads: the columns the serializers show (SuggestionOut, AssignmentOut and their nested parts). A page
# of 50 suggestions brings about 500 rows, and loading and converting the columns nobody shows (timestamps, texts
# kept for disclosure, personal data) was a third of the request.

SUGGESTION_COLUMNS = [
    "id", "kind", "number_label", "title", "content", "category", "congress", "term", "session", "status", "lead",
    "delegation", "delegation_votes_for", "delegation_members", "submitted_at", "accepted_at", "assigned_on",
    "closed_at", "review_comment", "decline_reason", "merged_into", "published_at", "updated_at",
    "lead__person__name",
]  # fmt: skip
ASSIGNMENT_COLUMNS = [
    "id", "suggestion", "unit", "role", "status", "assigned_on", "received_at", "reply_due",
    "extension_months", "replied_on", "replied_on_time", "co_opinion_at", "updated_at",
]  # fmt: skip
REPLY_COLUMNS = ["id", "assignment", "round", "result", "replied_on", "text", "follow_up_plan", "contact_person",
                 "contact_phone", "solved_on"]  # fmt: skip
COSIGNER_COLUMNS = ["suggestion", "mandate", "status", "responded_at"]


def api_suggestions(user):
    """The suggestions the API lists for user, newest first, with only the columns it shows."""
    return scope.visible(user, Suggestion).select_related("lead__person").only(*SUGGESTION_COLUMNS).order_by("-id")


def api_assignments(user):
    """The assignments the API lists for user, with their replies, and only the columns it shows."""
    return (
        scope.visible(user, Assignment)
        .only(*ASSIGNMENT_COLUMNS)
        # A subquery rather than a join: a list's count then reads the assignments alone.
        .annotate(unit_name=Subquery(Organisation.objects.filter(pk=OuterRef("unit_id")).values("name")))
        # Prefetched into lists (to_attr): Django builds no queryset per row for them.
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.only(*REPLY_COLUMNS).order_by("round"), to_attr="reply_list")
        )
    )


class Row(dict):
    """A row read with values(), answering the one model method serializers call on it: a primary-key field
    reads the key from `serializable_value`."""

    def serializable_value(self, name):
        return self[name]


def attach_nested(user, suggestions) -> None:
    """Give each suggestion its co-signers and its assignments with their replies (cosigner_list,
    assignment_list, reply_list) as plain rows, three queries for a whole page. Model instances and Django's
    prefetch machinery cost a page of 50 most of its time; the serializers read rows and instances alike."""
    ids = [suggestion.pk for suggestion in suggestions]
    cosigners, assignments, by_id = defaultdict(list), defaultdict(list), {}
    if ids:
        signed = CoSigner.objects.filter(suggestion_id__in=ids).order_by("id")
        for row in signed.values(*COSIGNER_COLUMNS, name=F("mandate__person__name")):
            cosigners[row["suggestion"]].append(Row(row))
        visible = scope.visible(user, Assignment).filter(suggestion_id__in=ids).order_by("id")
        for values in visible.values(*ASSIGNMENT_COLUMNS, unit_name=F("unit__name")):
            row = Row(values, reply_list=[])
            by_id[row["id"]] = row
            assignments[row["suggestion"]].append(row)
    if by_id:
        for row in Reply.objects.filter(assignment_id__in=by_id).order_by("round").values(*REPLY_COLUMNS):
            by_id[row["assignment"]]["reply_list"].append(Row(row))
    for suggestion in suggestions:
        suggestion.cosigner_list = cosigners[suggestion.pk]
        suggestion.assignment_list = assignments[suggestion.pk]
    attach_deadlines(suggestions, list(by_id.values()))


def _get(obj, name):
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


def _put(obj, name, value) -> None:
    if isinstance(obj, dict):
        obj[name] = value
    else:
        setattr(obj, name, value)


def attach_deadlines(suggestions, assignments, today: date | None = None) -> None:
    """Give suggestions and assignments (instances or rows, with their reply_list) their deadline_list, in one
    query: a suggestion its own clocks, an assignment its own and its replies' feedback clocks."""
    replies = {_get(reply, "id"): assignment for assignment in assignments for reply in _get(assignment, "reply_list")}
    found = deadlines.listing(
        {Suggestion: [s.pk for s in suggestions], Assignment: [_get(a, "id") for a in assignments], Reply: replies},
        today,
    )
    for suggestion in suggestions:
        suggestion.deadline_list = found.get((Suggestion, suggestion.pk), [])
    for assignment in assignments:
        _put(assignment, "deadline_list", list(found.get((Assignment, _get(assignment, "id")), [])))
    for reply_id, assignment in replies.items():
        _get(assignment, "deadline_list").extend(found.get((Reply, reply_id), []))


def unit_assignments_on(user, suggestion, unit_id=None) -> list[Assignment]:
    """The live assignments of the user's units on a suggestion (units handle the primary of a merged group)."""
    mine = (
        Assignment.objects.filter(
            suggestion_id=suggestion.merged_into_id or suggestion.pk, unit_id__in=scope.unit_ids(user)
        )
        .exclude(status=AssignmentStatus.RELEASED)
        .order_by("id")
    )
    if unit_id:
        mine = mine.filter(unit_id=unit_id)
    return list(mine[:2])


def pending_requests_on(model, suggestion, unit_id=None) -> list:
    """Units' requests of `model` (re-assignment or extension) on a suggestion waiting for a staff decision."""
    waiting = model.objects.filter(
        assignment__suggestion_id=suggestion.merged_into_id or suggestion.pk, status=RequestStatus.PENDING
    ).order_by("id")
    if unit_id:
        waiting = waiting.filter(assignment__unit_id=unit_id)
    return list(waiting[:2])

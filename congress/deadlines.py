"""The one deadline table every app uses: open, close, recompute and the reminder sweep."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import notifications, policies
from .models import Deadline, Role, RoleMembership
from .workdays import Calendar

# Apps register a human label for each deadline kind they open, and optionally who answers for it
# beyond the responsible user and unit: a function of a list of deadlines returning {deadline id: user ids}, so a
# sweep reads them for many deadlines at once.
KIND_LABELS: dict[str, str] = {}
KIND_RECIPIENTS: dict[str, object] = {}
KIND_ESCALATION: dict[str, object] = {}
# A window (e.g. the time a unit has to ask for re-assignment) is reminded before it closes but simply
# ends when it passes: nobody is overdue.
WINDOW_KINDS: set[str] = set()
# Kinds whose subject keeps a copy of the due date (an assignment's reply_due): the field, kept in step here.
COPY_FIELDS: dict[str, str] = {}


def register_kind(kind: str, label, recipients=None, *, escalate=None, window: bool = False, copy: str = "") -> None:
    """Name a deadline kind; recipients(deadlines) add people told at every stage, escalate(deadlines)
    people told only once it is overdue (both {deadline id: user ids} for a list of the kind's deadlines); copy
    names the subject's field that holds the due date too."""
    KIND_LABELS[kind] = label
    if recipients is not None:
        KIND_RECIPIENTS[kind] = recipients
    if escalate is not None:
        KIND_ESCALATION[kind] = escalate
    if window:
        WINDOW_KINDS.add(kind)
    if copy:
        COPY_FIELDS[kind] = copy


def kind_label(kind: str) -> str:
    """The kind as a person reads it (答复群众意见), not its code."""
    return str(KIND_LABELS.get(kind, kind))


def subject_label(deadline: Deadline) -> str:
    """What the deadline is about as a person reads it: the subject's own deadline_label() when it has one
    (a citizen opinion names its code and category), else its name (a suggestion's number and title); a record
    since deleted is named by its kind of record."""
    subject = deadline.subject
    if subject is None:
        return _("%(model)s (deleted)") % {"model": deadline.content_type.name}
    if hasattr(subject, "deadline_label"):
        return str(subject.deadline_label())
    return str(subject)


def subjects_prefetch():
    """Prefetch a deadline list's subjects with what their names read (an assignment names its suggestion and its
    unit), so a page of deadlines costs the same few queries for 1 row or 50. A subject model lists those
    relations in `deadline_label_related`."""
    from django.apps import apps
    from django.contrib.contenttypes.prefetch import GenericPrefetch

    querysets = [
        model._default_manager.select_related(*model.deadline_label_related)
        for model in apps.get_models()
        if getattr(model, "deadline_label_related", None)
    ]
    return GenericPrefetch("subject", querysets)


def subject_link(deadline: Deadline) -> str:
    subject = deadline.subject
    return subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else ""


def open_deadline(
    *,
    subject,
    kind: str,
    start: date,
    value: int,
    unit: str,
    congress=None,
    responsible_org=None,
    responsible_user=None,
    calendar: Calendar | None = None,
    new: bool = False,
) -> Deadline:
    """Start a clock on subject; an open deadline of the same kind is replaced. new: the subject was created in
    this transaction, so it has no deadline to replace (one statement saved on every public submission)."""
    due = (calendar or Calendar.load()).add(start, value, unit)
    content_type = ContentType.objects.get_for_model(subject)
    if not new:
        now = timezone.now()
        Deadline.objects.open().filter(content_type=content_type, object_id=subject.pk, kind=kind).update(
            cancelled_at=now, updated_at=now
        )
    return Deadline.objects.create(
        content_type=content_type,
        object_id=subject.pk,
        kind=kind,
        congress=congress,
        responsible_org=responsible_org,
        responsible_user=responsible_user,
        start_date=start,
        period_value=value,
        period_unit=unit,
        due_date=due.date,
        provisional=due.provisional,
    )


def close_deadline(subject, kind: str, *, cancelled: bool = False) -> int:
    """Mark the open deadline of this kind as met (or cancelled); returns rows changed."""
    now = timezone.now()
    field = "cancelled_at" if cancelled else "met_at"
    return (
        Deadline.objects.open()
        .filter(content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk, kind=kind)
        .update(**{field: now, "updated_at": now})
    )


def overdue_q(model, today: date) -> Q:
    """Rows of model with an open deadline past its due date (windows that passed are not overdue)."""
    late = Deadline.objects.open().filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), due_date__lt=today
    )
    return Q(Exists(late.exclude(kind__in=WINDOW_KINDS)))


# What the API says of a deadline's state.
OPEN, OVERDUE, MET, CANCELLED, ENDED = "open", "overdue", "met", "cancelled", "ended"


def listing(wanted: dict, today: date | None = None) -> dict[tuple, list[dict]]:
    """Every deadline, open or closed, of the subjects wanted ({Model: ids}), oldest first, keyed (Model, id), in
    one query: its kind and label, start and due dates, state (open, overdue, met, cancelled, or ended for a
    window that passed) and whether the date is provisional (counted over a year whose official holiday
    schedule is not entered yet, so it may still move)."""
    today = today or timezone.localdate()
    models, wanted_q = {}, Q()
    for model, ids in wanted.items():
        ids = list(ids)
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            models[content_type.pk] = model
            wanted_q |= Q(content_type_id=content_type.pk, object_id__in=ids)
    found: dict[tuple, list[dict]] = {}
    if not models:
        return found
    rows = (
        Deadline.objects.filter(wanted_q)
        .order_by("start_date", "id")
        .values_list("content_type_id", "object_id", "kind", "start_date", "due_date", "provisional", "met_at",
                     "cancelled_at")
    )  # fmt: skip
    for content_type_id, object_id, kind, start, due, provisional, met_at, cancelled_at in rows:
        if cancelled_at:
            state = CANCELLED
        elif kind in WINDOW_KINDS and (met_at or due < today):
            state = ENDED  # a window is closed by passing, never met
        elif met_at:
            state = MET
        else:
            state = OVERDUE if due < today else OPEN
        found.setdefault((models[content_type_id], object_id), []).append(
            {"kind": kind, "label": str(KIND_LABELS.get(kind, kind)), "start_date": start, "due_date": due,
             "state": state, "provisional": provisional}
        )  # fmt: skip
    return found


def recompute(*, first: date | None = None, last: date | None = None, batch_size: int = 2000) -> int:
    """Recompute open deadlines after the holiday table changed between first and last.

    Without dates, only provisional deadlines are recomputed (a year's schedule was entered)."""
    calendar = Calendar.load()
    queryset = Deadline.objects.open()
    if first is None:
        queryset = queryset.filter(provisional=True)
    else:
        queryset = queryset.filter(Q(provisional=True) | Q(start_date__lt=last, due_date__gte=first))
    changed, batch = 0, []
    for deadline in queryset.only(
        "id", "content_type_id", "object_id", "kind", "start_date", "period_value", "period_unit", "due_date",
        "provisional",
    ).iterator(chunk_size=batch_size):  # fmt: skip
        due = calendar.add(deadline.start_date, deadline.period_value, deadline.period_unit)
        if (due.date, due.provisional) != (deadline.due_date, deadline.provisional):
            if due.date != deadline.due_date:
                deadline.reminded_stage = Deadline.Stage.NONE
            deadline.due_date, deadline.provisional = due.date, due.provisional
            batch.append(deadline)
        if len(batch) >= batch_size:
            changed += _save(batch)
            batch = []
    return changed + _save(batch)


def _save(batch) -> int:
    """Store recomputed deadlines, and the copies of their due dates on their subjects, in one transaction: a
    reply on the new due date must not be judged by the old one."""
    if not batch:
        return 0
    with transaction.atomic():
        Deadline.objects.bulk_update(batch, ["due_date", "provisional", "reminded_stage"])
        copies: dict[tuple[int, str], list] = {}
        for deadline in batch:
            if deadline.kind in COPY_FIELDS:
                copies.setdefault((deadline.content_type_id, COPY_FIELDS[deadline.kind]), []).append(deadline)
        for (content_type_id, field), moved in copies.items():
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            rows = [model(pk=deadline.object_id, **{field: deadline.due_date}) for deadline in moved]
            model.objects.bulk_update(rows, [field])
    return len(batch)


def stage_of(due: date, today: date, calendar: Calendar, first_before: int, second_before: int) -> int:
    if due < today:
        return Deadline.Stage.OVERDUE
    if due == today:
        return Deadline.Stage.DUE
    left = calendar.workdays_between(today, due)
    if left <= second_before:
        return Deadline.Stage.LATE
    if left <= first_before:
        return Deadline.Stage.EARLY
    return Deadline.Stage.NONE


# Reminders are claimed and stored this many at a time, each batch in one transaction of two statements (the
# claim, and the notifications with their deliveries and outbox message); subjects and recipients are read for
# READ_CHUNK due deadlines at a time, a few queries each.
BATCH = 100
READ_CHUNK = 2000


def sweep(today: date | None = None, batch_size: int = BATCH) -> int:
    """Send the reminder each open deadline has reached; returns reminders claimed.

    Reads only open deadlines due within the reminder horizon that are not yet at their last stage
    (a partial index), so its cost follows the work due, not the deadlines stored. The reminders due are then
    claimed and stored in batches: a batch's claim (each deadline's stage moved on, only where it still stands
    where this run read it) and its notifications commit together, so a sweep that runs twice, concurrently or
    again after dying mid-batch sends each stage once."""
    today = today or timezone.localdate()
    calendar = Calendar.load()
    first, second = policies.Resolver("reminder.first_before"), policies.Resolver("reminder.second_before")
    horizon_days = first.largest()
    horizon = calendar.add_workdays(today, horizon_days).date
    candidates = Deadline.objects.open().filter(due_date__lte=horizon, reminded_stage__lt=Deadline.Stage.OVERDUE)
    due = []
    for deadline in candidates.order_by("due_date", "id").iterator(chunk_size=1000):
        stage = stage_of(
            deadline.due_date,
            today,
            calendar,
            first(deadline.congress_id),
            second(deadline.congress_id),
        )
        if stage > deadline.reminded_stage:
            due.append((deadline, stage))
    claimed = 0
    for start in range(0, len(due), READ_CHUNK):
        chunk = due[start : start + READ_CHUNK]
        messages = _reminders(chunk)
        for offset in range(0, len(chunk), batch_size):
            claimed += _claim_and_send(chunk[offset : offset + batch_size], messages)
    return claimed


def _closes(deadline: Deadline, stage: int) -> bool:
    """A window that has passed is closed, not reminded."""
    return deadline.kind in WINDOW_KINDS and stage == Deadline.Stage.OVERDUE


def _claim_and_send(batch, messages) -> int:
    with transaction.atomic():
        won = _claim(batch)
        rows = [row for deadline, _stage in batch if deadline.pk in won for row in messages[deadline.pk]]
        by_channels: dict[tuple, list] = {}
        for channels, *row in rows:
            by_channels.setdefault(channels, []).append(tuple(row))
        for channels, group in by_channels.items():
            notifications.store(group, channels)
    return len(won)


EMAIL = ("email",)
EMAIL_AND_SMS = ("email", "sms")


# Move each deadline of a batch to its new stage where it still stands at the stage this run read, and close the
# windows that passed; returns the deadlines this run won. The rows are locked in id order, so two sweeps over the
# same deadlines wait for each other instead of deadlocking, and the one that waited finds them moved on.
CLAIM_SQL = """
WITH due (id, was, stage, closes) AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(was)s::smallint[], %(stages)s::smallint[], %(closes)s::boolean[])
), won AS (
    SELECT deadline.id, due.stage, due.closes FROM congress_deadline AS deadline JOIN due ON due.id = deadline.id
    WHERE deadline.reminded_stage = due.was AND deadline.met_at IS NULL AND deadline.cancelled_at IS NULL
    ORDER BY deadline.id
    FOR UPDATE OF deadline
)
UPDATE congress_deadline AS deadline
SET reminded_stage = won.stage,
    met_at = CASE WHEN won.closes THEN %(now)s END,
    updated_at = CASE WHEN won.closes THEN %(now)s ELSE deadline.updated_at END
FROM won WHERE deadline.id = won.id
RETURNING deadline.id
"""


def _claim(batch) -> set[int]:
    now = timezone.now()
    if connection.vendor != "postgresql":
        # One conditional update per deadline (SQLite in development).
        won = set()
        for deadline, stage in batch:
            closes = {"met_at": now, "updated_at": now} if _closes(deadline, stage) else {}
            if (
                Deadline.objects.open()
                .filter(pk=deadline.pk, reminded_stage=deadline.reminded_stage)
                .update(reminded_stage=stage, **closes)
            ):
                won.add(deadline.pk)
        return won
    ordered = sorted(batch, key=lambda pair: pair[0].pk)
    params = {
        "ids": [deadline.pk for deadline, _stage in ordered],
        "was": [deadline.reminded_stage for deadline, _stage in ordered],
        "stages": [stage for _deadline, stage in ordered],
        "closes": [_closes(deadline, stage) for deadline, stage in ordered],
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, params)
        return {pk for (pk,) in cursor.fetchall()}


def _reminders(chunk) -> dict[int, list[tuple]]:
    """The notification rows (channels, user id, key, title, body, link) each due deadline sends, by deadline id; a
    passed window sends none. Subjects and recipients are read for the whole chunk at once. The person a deadline
    names (a deputy's own feedback or confirmation) is also texted, and so are the responsible unit's liaison
    officers once it is overdue; everyone else gets the inbox and e-mail."""
    from django.db.models import prefetch_related_objects

    messages: dict[int, list[tuple]] = {deadline.pk: [] for deadline, _stage in chunk}
    sending = [(deadline, stage) for deadline, stage in chunk if not _closes(deadline, stage)]
    prefetch_related_objects([deadline for deadline, _stage in sending], subjects_prefetch())
    recipients = recipients_of(sending)
    overdue_orgs = {
        d.responsible_org_id for d, stage in sending if stage == Deadline.Stage.OVERDUE and d.responsible_org_id
    }
    officers = _officers(overdue_orgs)
    for deadline, stage in sending:
        title, body, link = _message(deadline, stage)
        key = f"deadline:{deadline.pk}:{deadline.due_date.isoformat()}:{stage}"
        texted = {deadline.responsible_user_id}
        if stage == Deadline.Stage.OVERDUE:
            texted |= officers.get(deadline.responsible_org_id, set())
        messages[deadline.pk] = [
            (EMAIL_AND_SMS if user_id in texted else EMAIL, user_id, key, title, body, link)
            for user_id in recipients[deadline.pk]
        ]
    return messages


def _officers(org_ids) -> dict[int, set]:
    """The liaison officers of each unit, by unit id."""
    officers: dict[int, set] = {}
    if org_ids:
        memberships = RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation_id__in=org_ids)
        for org_id, user_id in memberships.values_list("organisation_id", "user_id"):
            officers.setdefault(org_id, set()).add(user_id)
    return officers


def recipients_of(pairs) -> dict[int, list[int]]:
    """Who is told of each (deadline, stage), by deadline id, active users only: the responsible person, the
    responsible unit's officers, the kind's own recipients, the kind's escalation once overdue, and the congress's
    staff and supervisors once overdue or when nobody else answers for it. A few queries for any number of
    deadlines (a kind's recipients and escalation take the list of its deadlines)."""
    from .models import User

    users: dict[int, set] = {deadline.pk: set() for deadline, _stage in pairs}
    officers = _officers({deadline.responsible_org_id for deadline, _stage in pairs if deadline.responsible_org_id})
    by_kind: dict[object, list] = {}
    for deadline, stage in pairs:
        if deadline.kind in KIND_RECIPIENTS:
            by_kind.setdefault(KIND_RECIPIENTS[deadline.kind], []).append(deadline)
        if stage == Deadline.Stage.OVERDUE and deadline.kind in KIND_ESCALATION:
            by_kind.setdefault(KIND_ESCALATION[deadline.kind], []).append(deadline)
    for function, kind_deadlines in by_kind.items():
        for pk, user_ids in function(kind_deadlines).items():
            users[pk].update(user_ids)
    for deadline, _stage in pairs:
        if deadline.responsible_user_id:
            users[deadline.pk].add(deadline.responsible_user_id)
        users[deadline.pk].update(officers.get(deadline.responsible_org_id, ()))
    staffed = [
        deadline
        for deadline, stage in pairs
        if (stage == Deadline.Stage.OVERDUE or not users[deadline.pk]) and deadline.congress_id
    ]
    if staffed:
        staff: dict[int, set] = {}
        memberships = RoleMembership.objects.filter(
            role__in=[Role.STAFF, Role.SUPERVISOR], congress_id__in={deadline.congress_id for deadline in staffed}
        )
        for congress_id, user_id in memberships.values_list("congress_id", "user_id"):
            staff.setdefault(congress_id, set()).add(user_id)
        for deadline in staffed:
            users[deadline.pk].update(staff.get(deadline.congress_id, ()))
    everyone = set().union(*users.values()) if users else set()
    active = (
        set(User.objects.filter(pk__in=everyone, is_active=True).values_list("pk", flat=True)) if everyone else set()
    )
    return {pk: sorted(user_ids & active) for pk, user_ids in users.items()}


STAGE_TITLES = {
    Deadline.Stage.EARLY: gettext_lazy("Due soon"),
    Deadline.Stage.LATE: gettext_lazy("Due in a few working days"),
    Deadline.Stage.DUE: gettext_lazy("Due today"),
    Deadline.Stage.OVERDUE: gettext_lazy("Overdue"),
}


def _message(deadline: Deadline, stage: int) -> tuple[str, str, str]:
    title = _("%(stage)s: %(kind)s, %(subject)s") % {
        "stage": STAGE_TITLES[stage],
        "kind": kind_label(deadline.kind),
        "subject": subject_label(deadline),
    }
    body = _("Due on %(date)s.") % {"date": deadline.due_date.isoformat()}
    if deadline.provisional:
        body += " " + _("The date is provisional: the official holiday schedule of that year is not yet entered.")
    return title, body, subject_link(deadline)


def remind_now(*, actor, subjects, today: date | None = None) -> int:
    """Remind the people answering for the open deadlines of subjects, at a staff member's request (the console's
    Remind action); the same deadline is reminded at most once a day, however often it is asked. Returns how many
    reminders were stored. The caller checks that actor may act on each subject."""
    from . import audit

    today = today or timezone.localdate()
    ids_by_type: dict[type, list[int]] = {}
    for subject in subjects:
        ids_by_type.setdefault(type(subject), []).append(subject.pk)
    wanted = Q(pk__in=[])
    for model, ids in ids_by_type.items():
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    stored = 0
    open_deadlines = list(
        Deadline.objects.open().filter(wanted).exclude(kind__in=WINDOW_KINDS).prefetch_related(subjects_prefetch())
        .order_by("due_date", "id")
    )  # fmt: skip
    recipients = recipients_of([(deadline, Deadline.Stage.NONE) for deadline in open_deadlines])
    for deadline in open_deadlines:
        subject = deadline.subject
        title = _("Reminder: %(kind)s, %(subject)s") % {
            "kind": kind_label(deadline.kind),
            "subject": subject_label(deadline),
        }
        body = _("Due on %(date)s.") % {"date": deadline.due_date.isoformat()}
        if deadline.due_date < today:
            body += " " + _("It is overdue.")
        link = subject_link(deadline)
        key = f"deadline:{deadline.pk}:asked:{today.isoformat()}"
        told = notifications.send_each(key, [(user_id, title, body, link) for user_id in recipients[deadline.pk]])
        if told:
            audit.record(actor, subject, "remind", deadline=deadline.kind, due=deadline.due_date.isoformat(), told=told)
        stored += told
    return stored

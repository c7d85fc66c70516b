"""The one deadline table every app uses: open, close, recompute and the reminder sweep."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import notifications, policies
from .models import Deadline, Role, RoleMembership
from .workdays import Calendar

# Apps register a human label for each deadline kind they open, and optionally who answers for it
# beyond the responsible user and unit (a function of the deadline returning user ids).
KIND_LABELS: dict[str, str] = {}
KIND_RECIPIENTS: dict[str, object] = {}
KIND_ESCALATION: dict[str, object] = {}
# A window (e.g. the time a unit has to ask for re-assignment) is reminded before it closes but simply
# ends when it passes: nobody is overdue.
WINDOW_KINDS: set[str] = set()
# Kinds whose subject keeps a copy of the due date (an assignment's reply_due): the field, kept in step here.
COPY_FIELDS: dict[str, str] = {}


def register_kind(kind: str, label, recipients=None, *, escalate=None, window: bool = False, copy: str = "") -> None:
    """Name a deadline kind; recipients(deadline) add people told at every stage, escalate(deadline)
    people told only once it is overdue; copy names the subject's field that holds the due date too."""
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


def sweep(today: date | None = None) -> int:
    """Send the reminder each open deadline has reached; returns reminders claimed.

    Reads only open deadlines due within the reminder horizon that are not yet at their last stage
    (a partial index), so its cost follows the work due, not the deadlines stored."""
    today = today or timezone.localdate()
    calendar = Calendar.load()
    first, second = policies.Resolver("reminder.first_before"), policies.Resolver("reminder.second_before")
    horizon_days = first.largest()
    horizon = calendar.add_workdays(today, horizon_days).date
    candidates = Deadline.objects.open().filter(due_date__lte=horizon, reminded_stage__lt=Deadline.Stage.OVERDUE)
    claimed = 0
    for deadline in candidates.order_by("due_date", "id").iterator(chunk_size=1000):
        stage = stage_of(
            deadline.due_date,
            today,
            calendar,
            first(deadline.congress_id),
            second(deadline.congress_id),
        )
        if stage <= deadline.reminded_stage:
            continue
        if deadline.kind in WINDOW_KINDS and stage == Deadline.Stage.OVERDUE:
            now = timezone.now()
            claimed += Deadline.objects.filter(pk=deadline.pk, met_at__isnull=True).update(
                met_at=now, updated_at=now, reminded_stage=stage
            )
            continue
        # Claim the stage with a conditional update so two sweeps never both send it.
        with transaction.atomic():
            won = Deadline.objects.filter(pk=deadline.pk, reminded_stage=deadline.reminded_stage).update(
                reminded_stage=stage
            )
            if won:
                claimed += 1
                _remind(deadline, stage)
    return claimed


def recipients_for(deadline: Deadline, stage: int) -> list:
    from .models import User

    users = set()
    if deadline.responsible_user_id:
        users.add(deadline.responsible_user_id)
    if deadline.responsible_org_id:
        users.update(
            RoleMembership.objects.filter(
                role=Role.UNIT_OFFICER, organisation_id=deadline.responsible_org_id
            ).values_list("user_id", flat=True)
        )
    if deadline.kind in KIND_RECIPIENTS:
        users.update(KIND_RECIPIENTS[deadline.kind](deadline))
    if stage == Deadline.Stage.OVERDUE and deadline.kind in KIND_ESCALATION:
        users.update(KIND_ESCALATION[deadline.kind](deadline))
    if (stage == Deadline.Stage.OVERDUE or not users) and deadline.congress_id:
        users.update(
            RoleMembership.objects.filter(
                role__in=[Role.STAFF, Role.SUPERVISOR], congress_id=deadline.congress_id
            ).values_list("user_id", flat=True)
        )
    return list(User.objects.filter(pk__in=users, is_active=True))


STAGE_TITLES = {
    Deadline.Stage.EARLY: gettext_lazy("Due soon"),
    Deadline.Stage.LATE: gettext_lazy("Due in a few working days"),
    Deadline.Stage.DUE: gettext_lazy("Due today"),
    Deadline.Stage.OVERDUE: gettext_lazy("Overdue"),
}


def _remind(deadline: Deadline, stage: int) -> None:
    title = _("%(stage)s: %(kind)s, %(subject)s") % {
        "stage": STAGE_TITLES[stage],
        "kind": kind_label(deadline.kind),
        "subject": subject_label(deadline),
    }
    body = _("Due on %(date)s.") % {"date": deadline.due_date.isoformat()}
    if deadline.provisional:
        body += " " + _("The date is provisional: the official holiday schedule of that year is not yet entered.")
    link = subject_link(deadline)
    key = f"deadline:{deadline.pk}:{deadline.due_date.isoformat()}:{stage}"
    notifications.send_once(key, recipients_for(deadline, stage), title, body, link)


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
    open_deadlines = Deadline.objects.open().filter(wanted).exclude(kind__in=WINDOW_KINDS).prefetch_related("subject")
    for deadline in open_deadlines.order_by("due_date", "id"):
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
        told = notifications.send_once(key, recipients_for(deadline, Deadline.Stage.NONE), title, body, link)
        if told:
            audit.record(actor, subject, "remind", deadline=deadline.kind, due=deadline.due_date.isoformat(), told=told)
        stored += told
    return stored

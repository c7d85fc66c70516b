"""The one way every workflow moves: a table per workflow, and one function that carries a row of it out.

An app's workflow.py declares a Machine: its transitions (the states an action is possible from, the state it
leads to, the scope rule deciding who may, the deadlines it starts, meets and cancels, the notices it sends) and
its clocks (for each deadline kind: the policy giving its period, the object it runs on, who answers for it).
A service locks its rows and, inside its transaction, calls

    move = workflow.SUGGESTION.allow(actor, suggestion, "accept")   # 403 unless actor may, 409 unless the state
    ...                                                             # the service's own checks and changes
    move.apply()                                                    # or machine.apply(actor, obj, action) at once

`apply` moves the state and saves, meets, cancels and opens the deadlines its row names, writes the audit entry,
emits the machine's webhook event when the state changed and stores the row's notices in the outbox, all in the
caller's transaction: a crash loses the change and its messages together, never one without the other. Adding a
state, a deadline or a notice then means editing the table alone; the scale generator reads the same clocks."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from . import audit, deadlines, policies, scope, webhooks
from .errors import InvalidTransition
from .workdays import Calendar


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: the state does not change, or the service names it (derived, or restored)
    rule: str | None  # the scope rule deciding who may (None: whoever the service let through)
    label: str
    starts: tuple = ()  # deadline kinds opened
    stops: tuple = ()  # deadline kinds met
    cancels: tuple = ()  # deadline kinds cancelled (the work is no longer owed)
    tells: tuple = ()  # notice events stored in the outbox
    audit: str | None = None  # the action name the audit log records (default: the row's own name)


def t(sources, target, rule, label, *, starts=(), stops=(), cancels=(), tells=(), audit=None) -> Transition:
    return Transition(
        frozenset(sources), target, rule, label, tuple(starts), tuple(stops), tuple(cancels), tuple(tells), audit
    )


def _always(subject) -> bool:
    return True


def _own_congress(subject):
    return subject.congress


@dataclass(frozen=True)
class Clock:
    """A deadline kind: its period is the congress's value of `policy` (in that policy's unit)."""

    kind: str
    policy: str
    label: str
    on: str | None = None  # the related object (named in apply's `related`) it runs on; None: the moving object
    applies: Callable = _always  # whether this subject gets the clock at all
    start: Callable | None = None  # its start date (default: today)
    extra: Callable | None = None  # added to the policy's value (months granted by an extension)
    congress: Callable = _own_congress
    org: Callable | None = None  # the responsible organisation
    user: Callable | None = None  # the responsible user
    keep: str | None = None  # a field of the subject that holds the due date too (kept in step here)
    window: bool = False  # a window simply ends when it passes: nobody is overdue
    recipients: Callable | None = None  # user ids told at every stage besides the responsible ones
    escalate: Callable | None = None  # user ids told once it is overdue

    def period(self, subject) -> tuple[int, str]:
        value = int(policies.policy(self.congress(subject), self.policy)) + (self.extra(subject) if self.extra else 0)
        return value, policies.REGISTRY[self.policy].unit


@dataclass
class Machine:
    name: str  # names the workflow in error messages and tests
    transitions: dict[str, Transition]
    clocks: dict[str, Clock] = field(default_factory=dict)
    refusal: str = (
        ""  # a (lazy) translated text; %(state)s, %(action)s and %(object)s and what names(obj) gives are filled in
    )
    names: Callable | None = None  # names(obj) -> more values for the refusal text
    field: str = "status"
    state_label: Callable | None = None
    event: str | None = None  # the webhook event emitted when the state changes
    payload: Callable | None = None  # payload(obj, before, target) -> dict
    region: Callable | None = None  # region(obj) -> division code the event belongs to
    notify: Callable | None = None  # notify(event, pk, **extra): stores the app's notice in the outbox

    def __post_init__(self):
        for name, row in self.transitions.items():
            for kind in (*row.starts, *row.stops, *row.cancels):
                if kind not in self.clocks:
                    raise LookupError(f"{self.name}.{name} names the deadline kind {kind!r}, which has no clock")
            if row.tells and self.notify is None:
                raise LookupError(f"{self.name}.{name} sends notices, but the machine has no notify")
        # A history names each row's action with its label.
        audit.name_actions({row.audit or name: row.label for name, row in self.transitions.items()})

    def __getitem__(self, action: str) -> Transition:
        return self.transitions[action]

    def __iter__(self):
        return iter(self.transitions.items())

    def check(self, obj, action: str) -> Transition:
        """Raise 409 naming the current state unless the action is possible now."""
        row = self.transitions[action]
        state = getattr(obj, self.field)
        if state not in row.sources:
            label = self.state_label(state) if self.state_label else state
            raise InvalidTransition(
                self.refusal
                % {"state": label, "action": row.label, "object": obj, **(self.names(obj) if self.names else {})}
            )
        return row

    def available(self, obj, actions=None) -> list[str]:
        """The actions possible in obj's state (of `actions` when given, in table order)."""
        state = getattr(obj, self.field)
        return [
            name for name, row in self.transitions.items() if state in row.sources and (not actions or name in actions)
        ]

    def allow(self, actor, obj, action: str, *, by_system: bool = False, rule_on=None) -> "Move":
        """Check that actor may take action on obj (403) and that obj's state allows it (409).

        by_system: the system acts (a beat task), nobody's permission is asked; rule_on: the object the row's rule
        is asked about when it is not obj (a deputy's feedback moves the assignment, the rule reads the
        suggestion)."""
        row = self.transitions[action]
        if row.rule and not by_system:
            scope.require(actor, row.rule, obj if rule_on is None else rule_on)
        self.check(obj, action)
        return Move(self, actor, obj, action, row)

    def apply(self, actor, obj, action: str, *, by_system: bool = False, rule_on=None, **effects) -> "Move":
        """allow() and Move.apply() at once, for a service with no checks of its own in between."""
        return self.allow(actor, obj, action, by_system=by_system, rule_on=rule_on).apply(**effects)

    def start_clock(self, kind: str, subject, *, today: date | None = None, calendar: Calendar | None = None,
                    save: bool = True, new: bool = False):  # fmt: skip
        """Open the deadline `kind` on subject as its clock declares, and set the subject's copy of the due date
        (saved unless save=False). Transitions open clocks through their rows; this serves a record born in a
        state with a running clock too (a new opinion waits for triage), whose creation is its audit entry.
        new: subject was created in this transaction (no open deadline of its own to replace)."""
        clock = self.clocks[kind]
        value, unit = clock.period(subject)
        deadline = deadlines.open_deadline(
            subject=subject, kind=kind, start=clock.start(subject) if clock.start else (today or timezone.localdate()),
            value=value, unit=unit, congress=clock.congress(subject), calendar=calendar,
            responsible_org=clock.org(subject) if clock.org else None,
            responsible_user=clock.user(subject) if clock.user else None, new=new,
        )  # fmt: skip
        if clock.keep:
            setattr(subject, clock.keep, deadline.due_date)
            if save:
                _save(subject, [clock.keep])
        return deadline

    def register(self) -> None:
        """Name this machine's deadline kinds for the reminders and the pages (an AppConfig.ready calls it; the app
        registers its webhook events itself)."""
        for clock in self.clocks.values():
            deadlines.register_kind(clock.kind, clock.label, clock.recipients, escalate=clock.escalate,
                                    window=clock.window, copy=clock.keep or "")  # fmt: skip


@dataclass
class Move:
    """A transition allowed for one actor on one object, to be carried out by apply()."""

    machine: Machine
    actor: object
    obj: object
    action: str
    row: Transition
    before: str = ""
    opened: dict = field(default_factory=dict)  # deadline kind -> Deadline opened

    def __post_init__(self):
        self.before = getattr(self.obj, self.machine.field)

    @property
    def target(self):
        return self.row.target

    def apply(
        self,
        *,
        target: str | None = None,
        fields: list[str] | None = None,
        related: dict | None = None,
        about=None,
        changes: dict | None = None,
        today: date | None = None,
        calendar: Calendar | None = None,
        record: bool = True,
        audit_action: str | None = None,
        tell: dict | None = None,
        event_data: dict | None = None,
        **audit_extra,
    ) -> "Move":
        """Carry the transition out in the caller's transaction.

        - target: the new state, when the row leaves it to the service.
        - fields: what else of obj to save (None: obj whole; nothing to save and no state change: no write). A due
          date copied on obj (a clock's `keep`) is saved with it, and its change audited.
        - related: the other objects clocks run on, by name; about: what the notices are about (default obj).
        - changes, audit_extra: more for the audit entry; record=False: no entry, for a row whose creation in this
          transaction is its entry already; audit_action: the name the entry records, for a derived move that
          records the action causing it.
        - tell: extra arguments of the notices; event_data: more for the webhook event's payload."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("a transition runs inside the transaction of the change it makes")
        machine, obj, row = self.machine, self.obj, self.row
        if target is not None and row.target is not None and target != row.target:
            raise ValueError(f"{machine.name}.{self.action} leads to {row.target}, not {target}")
        after = target if target is not None else (row.target if row.target is not None else self.before)
        setattr(obj, machine.field, after)
        today = today or timezone.localdate()
        related = {None: obj, **(related or {})}
        for kind in row.stops:
            deadlines.close_deadline(self._subject(kind, related), kind)
        for kind in row.cancels:
            deadlines.close_deadline(self._subject(kind, related), kind, cancelled=True)
        kept, moved = {}, {}  # copies of due dates saved with obj; and those that changed, for the audit entry
        for kind in row.starts:
            subject = self._subject(kind, related)
            if subject is None or not machine.clocks[kind].applies(subject):
                continue
            keep = machine.clocks[kind].keep
            before = getattr(subject, keep) if keep else None
            calendar = calendar or Calendar.load()
            self.opened[kind] = deadline = machine.start_clock(kind, subject, today=today, calendar=calendar,
                                                               save=subject is not obj)  # fmt: skip
            if keep and subject is obj:
                kept[keep] = True
                if before != deadline.due_date:
                    moved[keep] = (before, deadline.due_date)
        if fields is None:
            _save(obj, None)
        elif fields or kept or after != self.before:
            _save(obj, [machine.field, *fields, *kept])
        changed = {**(changes or {}), **moved}
        if after != self.before:
            changed[machine.field] = (self.before, after)
        if record:
            audit.record(self.actor, obj, audit_action or row.audit or self.action, changed, **audit_extra)
        if machine.event and after != self.before:
            payload = {**machine.payload(obj, self.before, after), **(event_data or {})}
            webhooks.emit(machine.event, payload, region_code=machine.region(obj))
        for event in row.tells:
            machine.notify(event, (about or obj).pk, **(tell or {}))
        return self

    def _subject(self, kind: str, related: dict):
        name = self.machine.clocks[kind].on
        if name not in related:
            raise LookupError(f"{self.machine.name}.{self.action}: the {kind} clock runs on {name!r}; pass it")
        return related[name]


def _save(obj, fields) -> None:
    if fields is None:
        obj.save()
        return
    names = {f.name for f in obj._meta.concrete_fields}
    obj.save(update_fields=sorted({*fields, *(["updated_at"] if "updated_at" in names else [])}))

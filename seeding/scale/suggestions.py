"""The suggestions' part of `manage.py seed_scale`: suggestions and motions of every congress of the province,
from draft to closed, with their units, replies, feedback, contacts and the open deadlines of the work still
to do, written with Postgres COPY (congress.bulk) rather than one save per row.

Each suggestion is simulated from the day it was written: filed during a session or between sessions of its
deputy's term, reviewed, numbered, assigned to a lead unit with co-handlers (or separately to several units),
received, replied to (mostly on time, some late, a few with an extension), rated (a few dissatisfied and
handled again, a few never rated and so recorded as no response), followed up and published. Whatever has not happened
by today is the suggestion's state; so the open work is the recent intake and the late units, as in real life.

Open deadlines are then derived from the stored rows (`open_deadlines`), the one place that knows which clock
each open state runs, so the benchmarks can rebuild them after another case cleared the deadline table. Their
reminder stage is the one yesterday's sweep would have sent, so today's sweep does one day's work.

What a suggestion says follows the issue it is about (seeding/scale/issues.py): some sixty concrete issues, each
with the department that should lead and its usual co-handlers, phrased anew each time from several titles and
content sentences mixed with sentences every department's suggestions share, remarks on other issues and noise;
a few are filed under another category. Its stored words (`terms`) are written with it, segmented once per distinct
title or sentence. About 6.5% of assigned suggestions first go to a plausible but wrong lead unit, released on its
approved request before the right one is assigned; in a session, half the suggestions that another deputy wrote on
an issue already accepted are merged into that first one (并案), one to four per group, without units of their own
and following its state.
docs/intake-help.md describes this history and what the bench learns from it.

Not generated at scale: attachments, audit entries and duty record entries; the demo data
(seeding/demo/suggestions.py) has each of them through the services."""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from congress import bulk, deadlines, policies, text
from congress.models import Congress, Deadline, Organisation, Session
from congress.workdays import Calendar
from seeding.demo.suggestions import CATEGORIES
from seeding.scale import issues as catalogue
from seeding.scale.issues import ISSUES, TOWNSHIP_OFFICE, TOWNSHIP_UNITS
from suggestions import workflow
from suggestions.models import (
    NO_RESPONSE,
    Assignment,
    AssignmentStatus,
    Category,
    ContactLog,
    CoSigner,
    ExtensionRequest,
    Feedback,
    Kind,
    NumberSeries,
    ReassignmentRequest,
    Reply,
    Status,
    Suggestion,
    UnitRole,
)

CHUNK = 20_000  # suggestions generated and written at a time
REBUILD_INDEXES_FROM = 100_000  # suggestions added at once from which indexes are built after the load
IN_SESSION = 0.7  # share of suggestions written during a session (the rest between sessions)
MOTIONS = 0.02
RESULTS = [("A", 0.45), ("B", 0.30), ("C", 0.15), ("D", 0.10)]
MISFILED = 0.07  # suggestions filed under another category than their issue's
LEAD_SWAP = 0.10  # staff make the first co-handler the lead (units differ on who leads in practice)
REASSIGNED = 0.065  # assigned suggestions that first went to a wrong unit, which was released
MERGED = 0.5  # share of same-issue suggestions of one session by another deputy that staff merge (并案)
MERGED_AT_MOST = 4  # suggestions merged into one primary; the next accepted one on the issue starts a group
STRAY = 0.2  # suggestions with a sentence about another issue
CO_OPINION = "同意主办单位意见，将积极配合办理。"
EXTENSION_REASON = "需协调多个部门和安排资金，申请延期答复。"
OBJECTION = "建议涉及尚在论证的事项，暂不宜公开。"
REASSIGNMENT_REASON = "该事项不属于本单位职责，申请调整承办单位。"
# Kinds of clock this app opens, from the workflow's table; the benchmarks rebuild exactly these.
KINDS = list(workflow.CLOCKS)
TABLES = [Suggestion, CoSigner, Assignment, ReassignmentRequest, ExtensionRequest, ContactLog, Reply, Feedback]
NUMBERED = [Suggestion, Assignment, Reply]  # tables whose ids the generator gives, so other rows can point at them


def add_arguments(parser) -> None:
    parser.add_argument(
        "--suggestions", type=int, default=0,
        help="Suggestions and motions to generate in the province (0: none; a larger number than stored adds "
             "the difference)",
    )  # fmt: skip
    parser.add_argument(
        "--assignments-per-suggestion", type=int, default=3,
        help="Units per assigned suggestion on average: a lead unit and co-handlers",
    )  # fmt: skip


def seed(context) -> None:
    wanted = context.options["suggestions"]
    if not wanted:
        return
    code = context.province.code
    existing = Suggestion.objects.filter(region_code__startswith=code).count()
    if existing >= wanted:
        context.report.append(("suggestions (kept)", existing, 0.0))
        return
    started = time.perf_counter()
    world = _prepare(context)
    if not world.mandates:
        context.report.append(("suggestions (no deputies)", 0, 0.0))
        return
    context.timed("suggestion set-up", len(world.congresses), started)
    started = time.perf_counter()
    generator = Generator(world, context.rng, context.options["assignments_per_suggestion"])
    first_id = None
    remaining = wanted - existing
    # One transaction: a failure leaves nothing half written (nor indexes missing).
    with transaction.atomic(), _bulk_load(TABLES, rebuild_indexes=remaining >= REBUILD_INDEXES_FROM):
        while remaining:
            count = min(CHUNK, remaining)
            first = generator.write(count)
            first_id = first_id or first
            remaining -= count
    counts = generator.counts
    context.timed("suggestions", counts["suggestions"], started)
    for what in ("assignments", "replies", "feedback", "contacts", "co-signers", "released", "merged"):
        context.report.append((f"  {what}", counts[what], 0.0))
    started = time.perf_counter()
    opened = open_deadlines(code, first_id=first_id)
    context.timed("suggestion deadlines (open)", opened, started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in [*TABLES, Deadline]:
                cursor.execute(f"ANALYZE {model._meta.db_table}")


# The world the suggestions live in: congresses with terms and sessions, deputies, units with officers.


@dataclass
class Place:
    """A congress as the generator sees it."""

    id: int
    region_code: str
    level: str
    term_id: int
    term_number: int
    term_start: date
    span_days: int
    sessions: list = field(default_factory=list)  # (id, number, start, days)
    units: list = field(default_factory=list)  # (unit id, officer user id)
    departments: dict = field(default_factory=dict)  # department (or township office) name: unit
    categories: list = field(default_factory=list)  # (category id, name)
    mandates: list = field(default_factory=list)  # mandate ids, for co-signers
    staff_id: int | None = None
    threshold: int = 10


@dataclass
class World:
    today: date
    congresses: dict
    mandates: list  # (mandate id, congress id, lead's user id)


def _prepare(context) -> World:
    """Sessions, categories, township units and the logins the work needs, each added once."""
    code = context.province.code
    today = timezone.localdate()
    congresses = list(Congress.objects.filter(region__code__startswith=code).select_related("region__parent"))
    with transaction.atomic():
        _sessions(context, congresses, today)
        Category.objects.bulk_create(
            [Category(congress=c, name=name, position=n) for c in congresses for n, name in enumerate(CATEGORIES)],
            batch_size=10_000, ignore_conflicts=True,
        )  # fmt: skip
        Organisation.objects.bulk_create(
            [
                Organisation(name=f"{c.region.parent.name}{c.region.name}{name}", kind="handling_unit",
                             unit_category="government", region_id=c.region_id)
                for c in congresses
                if c.level == "township"
                for name in TOWNSHIP_UNITS
            ],
            batch_size=10_000, ignore_conflicts=True,
        )  # fmt: skip
        _logins(code)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Persons just got their logins: with the statistics of before, the planner believes no deputy
            # has one and picks nested loops over every person (1.4 s for one reminder's recipients).
            for table in ("deputies_person", "congress_user", "congress_rolemembership", "congress_organisation"):
                cursor.execute(f"ANALYZE {table}")
    places = {}
    for c in congresses:
        term = context.terms.get(c.pk)
        if term is None:
            continue
        last = min(today, term.end_date)
        places[c.pk] = Place(
            id=c.pk, region_code=c.region.code, level=c.level, term_id=term.pk, term_number=term.number,
            term_start=term.start_date, span_days=max((last - term.start_date).days, 1),
            threshold=int(policies.REGISTRY["motion.cosigner_threshold"].default_for(c.level)),
        )  # fmt: skip
    by_term = {place.term_id: place for place in places.values()}
    for pk, term_id, number, start, end in Session.objects.filter(term_id__in=by_term).values_list(
        "pk", "term_id", "number", "start_date", "end_date"
    ):
        if start <= today:
            by_term[term_id].sessions.append((pk, number, start, (min(end, today) - start).days + 1))
    officers = dict(
        _rows(
            "SELECT m.organisation_id, MIN(m.user_id) FROM congress_rolemembership m "
            "JOIN congress_organisation o ON o.id = m.organisation_id JOIN congress_region r ON r.id = o.region_id "
            "WHERE m.role = 'unit_officer' AND r.code LIKE %s GROUP BY m.organisation_id",
            [code + "%"],
        )
    )
    by_region = {c.region_id: c.pk for c in congresses}
    names = sorted({*catalogue.DEPARTMENTS, *TOWNSHIP_UNITS}, key=len, reverse=True)
    for pk, region_id, name in Organisation.objects.filter(
        kind="handling_unit", is_active=True, region__code__startswith=code
    ).values_list("pk", "region_id", "name"):
        # A congress's suggestions go to the units of its own region (its government's departments).
        if by_region.get(region_id) in places:
            place = places[by_region[region_id]]
            unit = (pk, officers.get(pk))
            place.units.append(unit)
            department = next((d for d in names if name.endswith(d)), None)
            if department:
                place.departments.setdefault(department, unit)
    for pk, congress_id, name in Category.objects.filter(congress__in=places, parent__isnull=True).values_list(
        "pk", "congress_id", "name"
    ):
        if name in catalogue.BY_CATEGORY:
            places[congress_id].categories.append((pk, name))
    for congress_id, user_id in _rows(
        "SELECT m.congress_id, MIN(m.user_id) FROM congress_rolemembership m JOIN congress_congress c "
        "ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id WHERE m.role = 'staff' "
        "AND r.code LIKE %s GROUP BY m.congress_id",
        [code + "%"],
    ):
        if congress_id in places:
            places[congress_id].staff_id = user_id
    mandates = []
    for pk, congress_id, term_id, user_id in _rows(
        "SELECT m.id, m.congress_id, m.term_id, p.user_id FROM deputies_mandate m "
        "JOIN deputies_person p ON p.id = m.person_id "
        "JOIN congress_congress c ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id "
        "WHERE m.status = 'active' AND r.code LIKE %s ORDER BY m.id",
        [code + "%"],
    ):
        place = places.get(congress_id)
        # A congress whose region has no handling units cannot assign; its deputies write nothing here.
        if place is not None and place.term_id == term_id and place.units and place.categories:
            place.mandates.append(pk)
            mandates.append((pk, congress_id, user_id))
    return World(today=today, congresses=places, mandates=mandates)


def _sessions(context, congresses, today) -> None:
    """One session a year for each term that has none yet (seed_scale's structure has terms only)."""
    rows = []
    for c in congresses:
        term = context.terms.get(c.pk)
        if term is None:
            continue
        for number, year in enumerate(range(term.start_date.year, term.end_date.year + 1), start=1):
            start = term.start_date if number == 1 else date(year, 1, 8) + timedelta(days=c.pk % 20)
            length = 2 if c.level == "township" else 5
            end = min(start + timedelta(days=length - 1), term.end_date)
            if start > today or start > term.end_date:
                break
            rows.append(Session(term=term, number=number, start_date=start, end_date=end))
    Session.objects.bulk_create(rows, batch_size=10_000, ignore_conflicts=True)


def _logins(code: str) -> None:
    """Deputies, unit officers and staff of the province's congresses get logins, so reminders have recipients.

    Deputies' usernames are those liaison_stations' part gives, so either part may run first."""
    like = code + "%"
    user_columns = "password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, "
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO congress_user ({user_columns} name, phone) "
            "SELECT '!', false, 'scale-' || p.id, '', '', '', false, true, now(), p.name, '' FROM deputies_person p "
            "WHERE p.user_id IS NULL AND EXISTS (SELECT 1 FROM deputies_mandate m JOIN congress_congress c "
            "ON c.id = m.congress_id JOIN congress_region r ON r.id = c.region_id "
            "WHERE m.person_id = p.id AND r.code LIKE %s) ON CONFLICT (username) DO NOTHING",
            [like],
        )
        cursor.execute(
            "UPDATE deputies_person p SET user_id = u.id FROM congress_user u "
            "WHERE p.user_id IS NULL AND u.username = 'scale-' || p.id"
        )
        for prefix, source, role, anchor, is_staff in (
            ("scale-unit-", "SELECT o.id, o.name FROM congress_organisation o JOIN congress_region r "
             "ON r.id = o.region_id WHERE o.kind = 'handling_unit' AND r.code LIKE %s", "unit_officer",
             "organisation_id", False),
            ("scale-staff-", "SELECT c.id, c.name FROM congress_congress c JOIN congress_region r "
             "ON r.id = c.region_id WHERE r.code LIKE %s", "staff", "congress_id", True),
        ):  # fmt: skip
            cursor.execute(
                f"INSERT INTO congress_user ({user_columns} name, phone) "
                f"SELECT '!', false, '{prefix}' || s.id, '', '', '', {is_staff}, true, now(), LEFT(s.name, 50), '' "
                f"FROM ({source}) s ON CONFLICT (username) DO NOTHING",
                [like],
            )
            cursor.execute(
                f"INSERT INTO congress_rolemembership (created_at, updated_at, user_id, role, {anchor}) "
                f"SELECT now(), now(), u.id, '{role}', s.id FROM ({source}) s "
                f"JOIN congress_user u ON u.username = '{prefix}' || s.id ON CONFLICT DO NOTHING",
                [like],
            )
        # The officer also heads the unit here: overdue reminders escalate to the head.
        cursor.execute(
            "UPDATE congress_organisation o SET head_id = u.id FROM congress_user u, congress_region r "
            "WHERE o.head_id IS NULL AND u.username = 'scale-unit-' || o.id AND r.id = o.region_id AND r.code LIKE %s",
            [like],
        )


@contextmanager
def _bulk_load(models, *, rebuild_indexes: bool):
    """Prepare the tables for a load inside the current transaction, and restore them after it.

    - The tables are locked against other writers: the generator hands out ids from their sequences itself.
    - The foreign-key triggers are skipped when the database user may (a superuser, as on the bench and
      development databases): the rows are consistent by construction, and checking their 27 references per
      suggestion at commit took longer than writing them.
    - For a large load, the secondary indexes are dropped and built again at the end: updating some thirty
      indexes row by row took most of the time; building each once takes seconds. Primary keys and other
      constraints stay; unique indexes are checked when they are built again."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        unchecked = cursor.fetchone()[0]
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role = replica")
        saved = []
        if rebuild_indexes:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY(%s) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                [tables],
            )
            saved = cursor.fetchall()
            for name, _ in saved:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        if unchecked:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        if saved:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, definition in saved:
                cursor.execute(definition)


def _rows(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The simulation


class _Unit:
    """What workflow.derived_status needs of an assignment."""

    __slots__ = ("role", "status")

    def __init__(self, role, status):
        self.role, self.status = role, status

    @property
    def answers(self) -> bool:
        return self.role != UnitRole.CO


class Generator:
    """Writes suggestions in chunks; ids are reserved from each table's sequence so rows can refer to each other
    before they are written."""

    def __init__(self, world: World, rng, per_suggestion: int):
        self.world, self.rng, self.today = world, rng, world.today
        self.co_choices = [max(n, 0) for n in (per_suggestion - 2, per_suggestion - 1, per_suggestion - 1,
                                                per_suggestion)]  # fmt: skip
        calendar = Calendar.load()
        # Few distinct dates occur, so the calendar arithmetic and the timestamps are computed once per date.
        self.workdays = lru_cache(maxsize=None)(lambda day, n: calendar.add_workdays(day, n).date)
        self.months = lru_cache(maxsize=None)(lambda day, n: calendar.add_months(day, n).date)
        # Dates and times go to COPY as text made once per date: adapting date objects row by row cost more
        # than generating the rows.
        tz = timezone.get_current_timezone()
        self.at = lru_cache(maxsize=None)(lambda day: datetime.combine(day, clock(10), tzinfo=tz).isoformat(" "))
        self.iso = lru_cache(maxsize=None)(lambda day: day and day.isoformat())
        self.series = dict(NumberSeries.objects.values_list("key", "last"))
        self.counts = dict.fromkeys(
            ["suggestions", "assignments", "replies", "feedback", "contacts", "co-signers", "released", "merged"], 0
        )
        cumulative, total = [], 0.0
        for result, share in RESULTS:
            total += share
            cumulative.append((total, result))
        self.results = cumulative
        self.replies: list = []  # replies of the current suggestion, written once its publication is known
        self.words = lru_cache(maxsize=None)(lambda piece: list(text.words(piece)))
        # (session id, issue): [suggestion id, lead mandate, state, room left] of the group's primary
        self.primaries: dict = {}

    # Writing

    def write(self, count: int) -> int:
        """Generate and COPY `count` suggestions with everything that hangs on them; returns the first id."""
        self.rows = {model: [] for model in TABLES}
        self.next_id, self.touched_series = {}, set()
        with connection.cursor() as cursor:
            for model in NUMBERED:
                self.next_id[model] = _first_free_id(cursor, model)
        first = self.next_id[Suggestion]
        mandates = self.world.mandates
        with bulk.paused_gc():
            for _ in range(count):
                self.suggestion(mandates[self.below(len(mandates))])
            for model, rows in self.rows.items():
                if rows:
                    bulk.copy_insert(model, FIELDS[model], rows)
        with connection.cursor() as cursor:
            for model in NUMBERED:
                _claim_ids(cursor, model, self.next_id[model] - 1)
        bulk.copy_insert(
            NumberSeries, ["key", "last"], [(key, self.series[key]) for key in sorted(self.touched_series)],
            unique=["key"], update=["last"],
        )  # fmt: skip
        self.counts["suggestions"] += count
        for what, model in (("assignments", Assignment), ("replies", Reply), ("feedback", Feedback),
                            ("contacts", ContactLog), ("co-signers", CoSigner)):  # fmt: skip
            self.counts[what] += len(self.rows[model])
        self.rows = None
        return first

    def below(self, n: int) -> int:
        """A random whole number under n (random.randrange is several times slower, and this runs millions of times)."""
        return int(self.rng.random() * n)

    def pick(self, items):
        return items[int(self.rng.random() * len(items))]

    def new_id(self, model) -> int:
        pk = self.next_id[model]
        self.next_id[model] = pk + 1
        return pk

    # One suggestion, from the day it was written to today

    def suggestion(self, mandate) -> None:
        rng, today = self.rng, self.today
        mandate_id, congress_id, user_id = mandate
        place = self.world.congresses[congress_id]
        session = None
        if place.sessions and rng.random() < IN_SESSION:
            session = self.pick(place.sessions)
            filed = min(session[2] + timedelta(days=self.below(session[3])), today)
        else:
            filed = place.term_start + timedelta(days=self.below(place.span_days))
        # Motions are made for a session (the default of motion.between_sessions); the draw is made either way so
        # the rest of the data stays the same.
        motion = rng.random() < MOTIONS and len(place.mandates) > place.threshold and session is not None
        kind = Kind.MOTION if motion else Kind.SUGGESTION
        category_id, category = self.pick(place.categories)
        index = self.pick(catalogue.BY_CATEGORY[category])
        if rng.random() < MISFILED:  # the deputy chose another category than the issue's
            category_id, _ = self.pick(place.categories)
        title, content, terms = self.text(ISSUES[index], kind)
        pk = self.new_id(Suggestion)
        self.current = (pk, user_id)
        self.issue = (index, ISSUES[index], mandate_id)
        s = {"status": Status.SUBMITTED, "submitted_at": self.at(filed), "accepted_at": None, "assigned_on": None,
             "closed_at": None, "published_at": None, "review_comment": "", "decline_reason": "",
             "withdraw_reason": "", "sequence": "", "number": None, "number_label": "", "public": False,
             "objection": "", "updated": filed, "merged_into": None}  # fmt: skip
        reviewed = filed + timedelta(days=1 + self.below(6))
        roll = rng.random()
        if (today - filed).days <= 3 and roll < 0.4:
            s["status"], s["submitted_at"] = Status.DRAFT, None
        elif reviewed > today:
            pass
        elif roll < 0.03:
            s["status"], s["decline_reason"], s["updated"] = (
                Status.DECLINED,
                "personal" if roll < 0.015 else "litigation",
                reviewed,
            )  # noqa: E501
            s["review_comment"] = "不属于代表建议受理范围，已告知代表通过其他渠道反映。"
        elif roll < 0.04:
            s["status"], s["withdraw_reason"], s["updated"] = Status.WITHDRAWN, "经进一步调研，现书面撤回。", reviewed
        elif roll < 0.06 and (today - reviewed).days < 30:
            s["status"], s["review_comment"], s["updated"] = (
                Status.RETURNED,
                "请补充具体情况和可操作的措施后重新提交。",
                reviewed,
            )  # noqa: E501
        else:
            self.accepted(place, session, kind, reviewed, s)
        confirmed = s["status"] not in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)
        self.cosigners(pk, mandate_id, place, kind, filed, confirmed)
        self.rows[Suggestion].append((
            pk, kind, congress_id, place.region_code, place.term_id, session[0] if session else None, mandate_id,
            title, content, category_id, s["status"], s["sequence"], s["number"], s["number_label"],
            s["submitted_at"], s["accepted_at"], self.iso(s["assigned_on"]), s["closed_at"], s["review_comment"],
            s["decline_reason"], s["withdraw_reason"], s["published_at"], title if s["public"] else "",
            content if s["public"] else "", s["objection"], self.at(filed), self.at(s["updated"]), s["merged_into"],
            terms,
        ))  # fmt: skip

    def text(self, issue, kind) -> tuple[str, str, str]:
        """A title, a content and their stored words (text.document's), phrased anew from the issue's topics and
        facts with shared, stray and noise sentences. Words are segmented once per distinct title or sentence:
        jieba segments between punctuation independently, so the words of a content are its sentences' words."""
        rng = self.rng
        topic = self.pick(issue.topics)
        title = (catalogue.MOTION_TITLE if kind == Kind.MOTION else self.pick(catalogue.TITLES)).format(t=topic)
        sentences = []
        opener = self.pick(catalogue.OPENERS)
        if opener:
            sentences.append(opener.format(t=topic, p=self.pick(catalogue.PLACES)))
        facts = rng.sample(issue.facts, 1 + self.below(len(issue.facts)))
        if rng.random() < STRAY:  # a remark on another issue, as deputies make
            facts.insert(self.below(len(facts) + 1), self.pick(self.pick(ISSUES).facts))
        sentences += facts
        sentences += rng.sample(catalogue.SHARED, self.below(3))
        sentences += [n.format(p=self.pick(catalogue.PLACES)) for n in rng.sample(catalogue.NOISE, self.below(3))]
        words = self.words
        title_words = words(title)
        terms = title_words + title_words
        for sentence in sentences:
            terms += words(sentence)
        return title, "".join(sentences), " ".join(terms)

    def cosigners(self, pk, lead_id, place, kind, filed, confirmed) -> None:
        """A motion has the co-signers its threshold needs; some suggestions have one to three."""
        rng = self.rng
        if kind == Kind.MOTION:
            wanted = place.threshold - 1
        elif rng.random() < 0.15 and len(place.mandates) > 4:
            wanted = 1 + self.below(3)
        else:
            return
        chosen = [m for m in rng.sample(place.mandates, wanted + 1) if m != lead_id][:wanted]
        at = self.at(filed)
        for mandate_id in chosen:
            self.rows[CoSigner].append((pk, mandate_id, "confirmed" if confirmed else "invited",
                                        at if confirmed else None, at, at))  # fmt: skip

    def number(self, place, session, kind, accepted: date) -> tuple[str, int, str]:
        """The next number of the series services._next_number would use."""
        year = accepted.year
        series = f"{kind}:{place.term_id}:" + (f"s{session[0]}" if session else f"y{year}")
        last = self.series.get(series, 0) + 1
        self.series[series] = last
        self.touched_series.add(series)
        term = place.term_number
        where = f"第{term}届第{session[1]}次会议" if session else f"第{term}届 {year}年闭会期间"
        return series, last, f"{where} {'议案' if kind == Kind.MOTION else '建议'}第{last:04d}号"

    def accepted(self, place, session, kind, reviewed: date, s: dict) -> None:
        rng, today = self.rng, self.today
        s["status"], s["accepted_at"], s["updated"] = Status.ACCEPTED, self.at(reviewed), reviewed
        s["sequence"], s["number"], s["number_label"] = self.number(place, session, kind, reviewed)
        index, issue, mandate_id = self.issue
        key = (session[0], index) if session and kind == Kind.SUGGESTION else None
        primary = self.primaries.get(key) if key else None
        if primary and primary[1] != mandate_id and rng.random() < MERGED:
            # Staff merge it into the first accepted suggestion on the issue (并案): it has no units of its own
            # and follows the primary's state, as review.merge and review.assign leave it.
            first = primary[2]
            s["merged_into"] = primary[0]
            if first["assigned_on"]:
                for name in ("status", "assigned_on", "closed_at", "published_at", "public"):
                    s[name] = first[name]
                s["updated"] = max(reviewed, first["updated"])
            self.counts["merged"] += 1
            primary[3] -= 1
            if not primary[3]:  # staff merge a few at a time: a later one starts a group of its own
                del self.primaries[key]
            return
        if key and key not in self.primaries:
            self.primaries[key] = [self.current[0], mandate_id, s, 1 + self.below(MERGED_AT_MOST)]
        if session:
            # Suggestions of a session are assigned together once it ends.
            assigned = max(reviewed, session[2] + timedelta(days=session[3])) + timedelta(days=5 + self.below(10))
        else:
            late = 5 + self.below(5) if rng.random() < 0.05 else 0
            assigned = self.workdays(reviewed, 1 + self.below(5) + late)
        if assigned > today:
            return
        units = place.units
        departments = [issue.lead, *issue.co]
        if issue.co and rng.random() < LEAD_SWAP:
            departments[0], departments[1] = departments[1], departments[0]
        chosen = self.units_for(place, departments)
        if not chosen:  # a congress without the issue's departments: any of its units
            chosen = rng.sample(units, len(units))
        chosen = chosen[: 1 + self.pick(self.co_choices)]
        if len(chosen) > 1 and rng.random() < 0.05:
            plan = [(unit, UnitRole.SEPARATE) for unit in chosen[: 2 + self.below(2)]]
        else:
            plan = [(chosen[0], UnitRole.LEAD)] + [(unit, UnitRole.CO) for unit in chosen[1:]]
            if rng.random() < REASSIGNED:
                # First handed to a plausible but wrong lead unit, which asks to be released; staff approve
                # and assign the right one (handling.decide_reassignment).
                wrong = self.wrong_unit(place, issue, chosen[0])
                asked = assigned + timedelta(days=1 + self.below(4))
                decided = asked + timedelta(days=1 + self.below(3))
                if wrong and decided <= today:
                    self.released(place, session, wrong, chosen[0], assigned, asked, decided)
                    assigned = decided
        s["assigned_on"] = s["updated"] = assigned
        outcomes = [self.assignment(place, session, unit, role, assigned) for unit, role in plan]
        s["status"] = workflow.derived_status([_Unit(role, status) for role, status, _, _ in outcomes])
        answering = [(first, done) for role, _, first, done in outcomes if role != UnitRole.CO]
        if s["status"] == Status.CLOSED:
            s["updated"] = max(done for _, done in answering)
            s["closed_at"] = self.at(s["updated"])
        elif s["status"] in (Status.REPLIED, Status.FOLLOW_UP, Status.REHANDLING, Status.IN_HANDLING):
            s["updated"] = today
        if s["status"] in (Status.REPLIED, Status.FOLLOW_UP, Status.CLOSED):
            publish = max(first for first, _ in answering) + timedelta(days=5 + self.below(24))
            if publish > today:
                pass
            elif rng.random() < 0.97:
                s["published_at"], s["public"] = self.at(publish), True
            else:
                s["objection"] = OBJECTION  # kept unpublished: the deputy objected
        for reply in self.replies:
            self.rows[Reply].append((*reply, reply[3] if s["public"] else ""))
        self.replies = []

    def units_for(self, place, departments) -> list:
        """The congress's units for the departments, in order and once each (a township's office does the work of
        several departments)."""
        township = place.level == "township"
        seen, units = set(), []
        for department in departments:
            unit = place.departments.get(TOWNSHIP_OFFICE[department] if township else department)
            if unit and unit[0] not in seen:
                seen.add(unit[0])
                units.append(unit)
        return units

    def wrong_unit(self, place, issue, right):
        """A unit staff could mistake for the right one: a co-handler of the issue or the lead of another issue
        of its category."""
        plausible = [*issue.co, *(ISSUES[i].lead for i in catalogue.BY_CATEGORY[issue.category])]
        candidates = [unit for unit in self.units_for(place, plausible) if unit[0] != right[0]]
        if not candidates:
            candidates = [unit for unit in place.units if unit[0] != right[0]]
        return self.pick(candidates) if candidates else None

    def released(self, place, session, unit, right, assigned: date, asked: date, decided: date) -> None:
        """The wrong lead unit's assignment, released on its approved request."""
        pk = self.new_id(Assignment)
        unit_id, officer_id = unit
        received = min(assigned + timedelta(days=self.below(2)), asked)
        self.rows[ReassignmentRequest].append((pk, REASSIGNMENT_REASON, right[0], AssignmentStatus.RECEIVED,
                                               "approved", officer_id, place.staff_id, self.at(decided), "同意调整。",
                                               self.at(asked), self.at(decided)))  # fmt: skip
        self.rows[Assignment].append((
            pk, self.current[0], unit_id, UnitRole.LEAD, AssignmentStatus.RELEASED, place.id, place.region_code,
            session[0] if session else None, self.iso(assigned), place.staff_id, self.at(received),
            self.iso(self.months(assigned, 3)), 0, None, None, False, "", None, self.at(decided),
            self.at(assigned), self.at(decided),
        ))  # fmt: skip
        self.counts["released"] += 1

    def assignment(self, place, session, unit, role, assigned: date):
        """One unit's part; returns (role, status, first reply date, date done or None)."""
        rng, today = self.rng, self.today
        pk = self.new_id(Assignment)
        unit_id, officer_id = unit
        received = assigned + timedelta(days=self.below(5))
        status = AssignmentStatus.ASSIGNED if received > today else AssignmentStatus.RECEIVED
        reply_due = replied_on = on_time = co_opinion_at = first = done = None
        co_opinion, extension = "", 0
        if role == UnitRole.CO:
            reply_due = self.months(assigned, 1)  # the co-handler's opinion, as its clock keeps it
            opinion_on = assigned + timedelta(days=10 + self.below(30))
            if opinion_on <= today and status == AssignmentStatus.RECEIVED:
                status, co_opinion, done = AssignmentStatus.DONE, CO_OPINION, opinion_on
                co_opinion_at = self.at(opinion_on)
        else:
            if rng.random() < 0.04:
                extension = 1 + self.below(3)
            reply_due = self.months(assigned, 3 + extension)
            if rng.random() < 0.88:
                first = assigned + timedelta(days=20 + self.below(max((reply_due - assigned).days - 20, 1)))
            else:
                first = reply_due + timedelta(days=1 + self.below(60))  # late
            if extension and self.months(assigned, 2) <= today:
                asked = self.at(self.months(assigned, 2))
                self.rows[ExtensionRequest].append((pk, extension, EXTENSION_REASON, "approved", officer_id,
                                                    place.staff_id, asked, "同意延期。", asked, asked))  # fmt: skip
            if first <= today and status == AssignmentStatus.RECEIVED:
                replied_on, on_time = first, first <= reply_due
                status, done = self.handle(pk, first, officer_id, place.id, unit_id)
                if status == AssignmentStatus.REHANDLING:
                    reply_due, done = done, None  # the portal shows the re-handling deadline
            else:
                first = None
                if (
                    status == AssignmentStatus.RECEIVED
                    and not extension
                    and (today - assigned).days > 60
                    and (rng.random() < 0.03)
                ):
                    asked = self.at(today)
                    self.rows[ExtensionRequest].append((pk, 1, EXTENSION_REASON, "pending", officer_id, None, None, "",
                                                        asked, asked))  # fmt: skip
        fresh = status in (AssignmentStatus.ASSIGNED, AssignmentStatus.RECEIVED) and (today - assigned).days <= 5
        if fresh and rng.random() < 0.02:  # within the window, a unit asks to be released
            asked = self.at(today)
            self.rows[ReassignmentRequest].append((pk, REASSIGNMENT_REASON, None, status, "pending", officer_id, None,
                                                   None, "", asked, asked))  # fmt: skip
            status = AssignmentStatus.RELEASE_REQUESTED
        met = False
        if role != UnitRole.CO and status != AssignmentStatus.ASSIGNED:
            met = self.contacts(pk, received, replied_on or today, officer_id)
        self.rows[Assignment].append((
            pk, self.current[0], unit_id, role, status, place.id, place.region_code, session[0] if session else None,
            self.iso(assigned), place.staff_id, self.at(received) if received <= today else None,
            self.iso(reply_due), extension, self.iso(replied_on), on_time, met, co_opinion, co_opinion_at, None,
            self.at(assigned), self.at(done or today),
        ))  # fmt: skip
        return role, status, first, done

    def handle(self, assignment_id, replied: date, officer_id, congress_id, unit_id):
        """Replies and ratings from the first reply on; returns (status, date done or re-handling due)."""
        rng, today = self.rng, self.today
        suggestion_id, user_id = self.current
        for round_number in (1, 2):
            pick = rng.random()
            result = next(result for bound, result in self.results if pick <= bound)
            reply_id = self.new_id(Reply)
            plan = "纳入明年工作计划，分步推进并及时向代表反馈进展。" if result in ("B", "C") else ""
            text = "经认真研究，现将办理情况答复如下：已会同有关部门制定工作方案，明确任务分工和完成时限。"
            reply = [reply_id, assignment_id, round_number, text, result, plan, self.iso(replied), officer_id, None, "",
                     self.at(replied), self.at(replied)]  # fmt: skip
            self.replies.append(reply)
            due = self.workdays(replied, 20)
            rated = replied + timedelta(days=3 + self.below(35))
            deemed = rated > due  # not rated in time: the lapse task records no response
            if deemed:
                rated = due + timedelta(days=1)
            if rated > today:
                return AssignmentStatus.REPLIED, None
            pleased = deemed or rng.random() < (0.95 if round_number == 1 else 0.85)
            on_result = ("satisfied" if rng.random() < 0.82 else "basically_satisfied") if pleased else "dissatisfied"
            on_attitude = "satisfied" if pleased else "basically_satisfied"
            if deemed:
                on_result = on_attitude = NO_RESPONSE  # as the lapse task records it
            self.rows[Feedback].append((
                reply_id, suggestion_id, congress_id, unit_id, on_result, on_attitude,
                "" if pleased else "答复缺少具体措施，请重新研究。", deemed, None if deemed else user_id,
                self.at(rated), self.at(rated),
            ))  # fmt: skip
            if not pleased:
                if round_number == 2:
                    decided = rated + timedelta(days=10)  # staff close it by decision
                    return (AssignmentStatus.DISPUTED, None) if decided > today else (AssignmentStatus.DONE, decided)
                rehandle_due = self.months(rated, 1)
                replied = rated + timedelta(days=15 + self.below(30))
                if replied > today:
                    return AssignmentStatus.REHANDLING, rehandle_due
                continue
            if result in ("B", "C"):
                solved = rated + timedelta(days=60 + self.below(440))
                if solved > today:
                    return AssignmentStatus.FOLLOW_UP, None
                reply[8], reply[9] = self.iso(solved), "承诺事项已落实。"
                return AssignmentStatus.DONE, solved
            return AssignmentStatus.DONE, rated
        raise AssertionError("a second dissatisfaction always ends the loop")

    def contacts(self, assignment_id, received: date, until: date, officer_id) -> bool:
        """One contact with the deputy, most face to face, sometimes a call as well, before the reply; says
        whether they met face to face."""
        rng, met = self.rng, False
        for mode in ("face_to_face" if rng.random() < 0.7 else "phone", "phone" if rng.random() < 0.3 else None):
            on = received + timedelta(days=1 + self.below(20))
            if mode is None or on > until or on > self.today:
                continue
            at = self.at(on)
            summary = "与代表当面沟通办理思路，听取意见。" if mode == "face_to_face" else "电话沟通办理进展。"
            self.rows[ContactLog].append((assignment_id, self.iso(on), mode, summary, officer_id, at, at))
            met = met or mode == "face_to_face"
        return met


# Rows are written in these column orders (the generator's tuples follow them).
FIELDS = {
    Suggestion: ["id", "kind", "congress_id", "region_code", "term_id", "session_id", "lead_id", "title", "content",
                 "category_id", "status", "sequence", "number", "number_label", "submitted_at", "accepted_at",
                 "assigned_on", "closed_at", "review_comment", "decline_reason", "withdraw_reason", "published_at",
                 "public_title", "public_content", "disclosure_objection", "created_at", "updated_at",
                 "merged_into_id", "terms"],
    CoSigner: ["suggestion_id", "mandate_id", "status", "responded_at", "created_at", "updated_at"],
    Assignment: ["id", "suggestion_id", "unit_id", "role", "status", "congress_id", "region_code", "session_id",
                 "assigned_on", "assigned_by_id", "received_at", "reply_due", "extension_months", "replied_on",
                 "replied_on_time", "met_face_to_face", "co_opinion", "co_opinion_at", "ended_at", "created_at",
                 "updated_at"],
    ReassignmentRequest: ["assignment_id", "reason", "suggested_unit_id", "previous_status", "status",
                          "requested_by_id", "decided_by_id", "decided_at", "decision_note", "created_at",
                          "updated_at"],
    ExtensionRequest: ["assignment_id", "months", "reason", "status", "requested_by_id", "decided_by_id",
                       "decided_at", "decision_note", "created_at", "updated_at"],
    ContactLog: ["assignment_id", "date", "mode", "summary", "recorded_by_id", "created_at", "updated_at"],
    Reply: ["id", "assignment_id", "round", "text", "result", "follow_up_plan", "replied_on", "replied_by_id",
            "solved_on", "solved_note", "created_at", "updated_at", "public_text"],
    Feedback: ["reply_id", "suggestion_id", "congress_id", "unit_id", "on_result", "on_attitude", "comment",
               "deemed", "given_by_id", "created_at", "updated_at"],
}  # fmt: skip


def _first_free_id(cursor, model) -> int:
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
    else:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _claim_ids(cursor, model, last: int) -> None:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(%s, 1))", [model._meta.db_table, last])


# Open deadlines, derived from the stored rows


ASSIGNMENT_CLOCKS = (
    "SELECT a.id, a.congress_id, a.unit_id, a.role, a.status, a.assigned_on, a.received_at, a.extension_months, "
    "CASE WHEN a.status = 'rehandling' THEN (SELECT MAX(f.created_at) FROM suggestions_reply r "
    "JOIN suggestions_feedback f ON f.reply_id = r.id WHERE r.assignment_id = a.id) END "
    "FROM suggestions_assignment a WHERE a.region_code LIKE %s AND a.suggestion_id >= %s "
    "AND a.status IN ('assigned', 'received', 'release_requested', 'rehandling')"
)
FEEDBACK_CLOCKS = (
    "SELECT DISTINCT ON (r.assignment_id) r.id, a.congress_id, r.replied_on, p.user_id "
    "FROM suggestions_assignment a JOIN suggestions_reply r ON r.assignment_id = a.id "
    "JOIN suggestions_suggestion s ON s.id = a.suggestion_id JOIN deputies_mandate m ON m.id = s.lead_id "
    "JOIN deputies_person p ON p.id = m.person_id "
    "WHERE a.region_code LIKE %s AND a.suggestion_id >= %s AND a.status = 'replied' "
    "ORDER BY r.assignment_id, r.round DESC"
)
SUGGESTION_CLOCKS = (
    "SELECT s.id, s.congress_id, s.status, s.accepted_at, s.submitted_at, "
    "(SELECT MAX(a.replied_on) FROM suggestions_assignment a "
    "WHERE a.suggestion_id = COALESCE(s.merged_into_id, s.id) AND a.role <> 'co') "
    "FROM suggestions_suggestion s WHERE s.region_code LIKE %s AND s.id >= %s AND ("
    "(s.status = 'accepted' AND s.session_id IS NULL AND s.merged_into_id IS NULL) "
    "OR (s.status IN ('replied', 'rehandling', 'follow_up', 'closed') AND s.published_at IS NULL))"
)


def open_deadlines(code: str, *, first_id: int = 0, today: date | None = None) -> int:
    """Open the clocks of the province's suggestions still at work (those from first_id on; all of them, replacing
    what is stored, without first_id), as the services would have; returns how many were opened.

    Each gets the reminder stage yesterday's sweep would have sent, so today's sweep has one day's work."""
    if connection.vendor != "postgresql":
        return 0
    today = today or timezone.localdate()
    clocks = _Clocks(today)
    like = code + "%"
    if not first_id:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM congress_deadline d USING congress_congress c, congress_region r "
                "WHERE c.id = d.congress_id AND r.id = c.region_id AND r.code LIKE %s AND d.kind = ANY(%s)",
                [like, KINDS],
            )
    types = {model: ContentType.objects.get_for_model(model).pk for model in (Suggestion, Assignment, Reply)}
    local = timezone.localdate
    rows = []
    for pk, congress_id, status, accepted_at, submitted_at, replied_on in _rows(SUGGESTION_CLOCKS, [like, first_id]):
        if status == Status.ACCEPTED:
            from_acceptance = clocks.value(congress_id, "suggestion.assign_from_acceptance") or submitted_at is None
            start = local(accepted_at if from_acceptance else submitted_at)
            rows += clocks.row(types[Suggestion], pk, workflow.ASSIGN, congress_id, start)
        elif replied_on is not None:
            rows += clocks.row(types[Suggestion], pk, workflow.DISCLOSURE, congress_id, replied_on)
    for pk, congress_id, unit_id, role, status, assigned_on, received_at, extension, rated_at in _rows(
        ASSIGNMENT_CLOCKS, [like, first_id]
    ):
        common = (types[Assignment], pk)
        if status == AssignmentStatus.REHANDLING:
            rows += clocks.row(*common, workflow.REHANDLE, congress_id, local(rated_at), org=unit_id)
            continue
        if received_at is None:
            rows += clocks.row(*common, workflow.RECEIPT, congress_id, assigned_on, org=unit_id)
        rows += clocks.row(*common, workflow.REASSIGN_WINDOW, congress_id, assigned_on, org=unit_id)
        if role == UnitRole.CO:
            rows += clocks.row(*common, workflow.CO_OPINION, congress_id, assigned_on, org=unit_id)
        else:
            rows += clocks.row(*common, workflow.REPLY, congress_id, assigned_on, org=unit_id, extra=extension)
    for pk, congress_id, replied_on, user_id in _rows(FEEDBACK_CLOCKS, [like, first_id]):
        rows += clocks.row(types[Reply], pk, workflow.FEEDBACK, congress_id, replied_on, user=user_id)
    bulk.copy_insert(Deadline, _Clocks.FIELDS, rows)
    return len(rows)


class _Clocks:
    """Due dates and yesterday's reminder stage of each kind, with each congress's policy values."""

    FIELDS = ["content_type_id", "object_id", "kind", "congress_id", "responsible_org_id", "responsible_user_id",
              "start_date", "period_value", "period_unit", "due_date", "provisional", "reminded_stage", "created_at",
              "updated_at"]  # fmt: skip

    def __init__(self, today: date):
        self.yesterday = today - timedelta(days=1)
        self.calendar = Calendar.load()
        keys = {
            *(clock.policy for clock in workflow.CLOCKS.values()),
            "suggestion.assign_from_acceptance",
            "reminder.first_before",
            "reminder.second_before",
        }
        self.resolvers = {key: policies.Resolver(key) for key in keys}
        self.due = lru_cache(maxsize=None)(self.calendar.add)
        self.stage = lru_cache(maxsize=None)(self._stage)
        self.now = timezone.now()

    def value(self, congress_id, key) -> int:
        return int(self.resolvers[key](congress_id))

    def _stage(self, due: date, first: int, second: int) -> int:
        return deadlines.stage_of(due, self.yesterday, self.calendar, first, second)

    def row(self, content_type_id, pk, kind, congress_id, start: date, *, org=None, user=None, extra=0) -> list:
        clock = workflow.CLOCKS[kind]  # the period's policy and unit, as the services open it
        value = self.value(congress_id, clock.policy) + extra
        unit = policies.REGISTRY[clock.policy].unit
        due = self.due(start, value, unit)
        stage = self.stage(due.date, self.value(congress_id, "reminder.first_before"),
                           self.value(congress_id, "reminder.second_before"))  # fmt: skip
        if clock.window and stage == Deadline.Stage.OVERDUE:
            return []  # a window that has passed was closed by the sweep, not left open
        return [(content_type_id, pk, kind, congress_id, org, user, start, value, unit, due.date, due.provisional,
                 stage, self.now, self.now)]  # fmt: skip


def rebuild_deadlines(code: str, today: date | None = None) -> int:
    """Replace the province's suggestion deadlines with the open ones its stored rows call for."""
    opened = open_deadlines(code, today=today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE congress_deadline")
    return opened

"""Activities' part of `manage.py seed_scale`: per congress with deputies (township congresses aside, as training
does), activities in proportion to its deputies, two in three held earlier this year and closed, the others to come
with their invitations out. Held ones have two sittings and their roll, the attendance's duty entries (once per
deputy, as the service writes them), a report with findings, and at a report to voters each present deputy's report
and the voters' appraisal. Written with batched inserts and COPY; run again, it keeps what is there.

Findings stay open here: turning one into a suggestion or a referral writes suggestions and deadlines through
their services, which a benchmark set does not need."""

import time
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from activities.models import (
    Activity,
    Attendance,
    Finding,
    Invitation,
    Sitting,
    VoterReport,
    new_checkin_code,
)
from activities.services import ABSENCE_DUTY_KIND
from congress import bulk
from seeding.scale.deputies import active_by_congress

KINDS = ["inspection", "research", "law_enforcement_check", "group_activity", "report_to_voters"]
KIND_NAMES = {"inspection": "专题视察", "research": "专题调研", "law_enforcement_check": "执法检查",
              "group_activity": "代表小组活动", "report_to_voters": "代表向选民述职"}  # fmt: skip
THEMES = ["乡村振兴", "生态环境保护", "“一老一小”", "优化营商环境", "基层社会治理"]
FINDINGS = ["相关政策落实不到位，基层反映配套资金不足", "部门之间协调机制不健全，群众办事仍需多头跑",
            "专业人才短缺，服务能力与群众需求仍有差距"]  # fmt: skip
CAPACITY = 30
# Each level holds its activities on its own weekday, so a deputy sitting at two levels is never due twice a day.
LEVEL_DAY = {"provincial": 3, "municipal": 4, "county": 5}


def add_arguments(parser) -> None:
    parser.add_argument(
        "--activities-per-100", type=int, default=1,
        help="Deputies' activities per 100 active deputies of a congress (at least one per congress with deputies)",
    )  # fmt: skip


def seed(context) -> None:
    code = context.province.code
    existing = Activity.objects.filter(region_code__startswith=code).count()
    per_100 = context.options["activities_per_100"]
    if existing or not per_100:
        context.report.append(("activities (kept)", existing, 0.0))
        return
    started = time.perf_counter()
    today = timezone.localdate()
    pools = active_by_congress(code, "person_id")
    congresses = {c.pk: c for level in LEVEL_DAY for c in context.congresses.get(level, [])}
    with transaction.atomic():
        activities, sittings = _activities(context, pools, congresses, today, per_100)
        invitations = _invitations(context.rng, activities, pools, today)
        marks = _attendance(context.rng, activities, sittings, invitations, today)
        findings = _findings(activities, today)
        reports = _voter_reports(context.rng, activities, invitations, marks, today)
        duty = _duty_entries(code)
    context.timed("activities", len(activities), started)
    context.report.append(("activity invitations", len(invitations), 0.0))
    context.report.append(("activity attendance", len(marks), 0.0))
    context.report.append(("activity findings", findings, 0.0))
    context.report.append(("reports to voters", reports, 0.0))
    context.report.append(("activity duty entries", duty, 0.0))


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def _activities(context, pools, congresses, today, per_100):
    """Two in three held this year (closed, with a report), the others to come (invitations sent); two sittings
    each."""
    rows = []
    now = timezone.now()
    year_start = date(today.year, 1, 1)
    serial = 0
    for congress_id, pool in pools.items():
        congress = congresses.get(congress_id)
        if congress is None:
            continue
        for index in range(max(1, len(pool) * per_100 // 100)):
            # Kinds, themes and past or coming run on across congresses, so small congresses hold every kind.
            serial += 1
            weeks = index // 2 + 1
            if serial % 3:
                day = today - timedelta(days=weeks * 7 + LEVEL_DAY[congress.level])
                if day < year_start:  # early in the year: held in its first weeks instead
                    day = year_start + timedelta(days=(index // 2) % max((today - year_start).days, 1))
            else:
                day = today + timedelta(days=weeks * 7 + LEVEL_DAY[congress.level])
            held = day < today
            kind = KINDS[serial % len(KINDS)]
            theme = THEMES[serial % len(THEMES)]
            rows.append(Activity(
                congress=congress, region_code=congress.region.code, kind_id=kind,
                title=f"{congress.region.name}人大代表“{theme}”{KIND_NAMES[kind]}（第{index + 1}次）", theme=theme,
                places=f"{congress.region.name}", starts_on=day, ends_on=day, capacity=CAPACITY,
                status="closed" if held else "inviting",
                report=f"关于“{theme}”的{KIND_NAMES[kind]}报告。" if held else "",
                report_submitted_at=now if held else None, closed_at=now if held else None,
            ))  # fmt: skip
    activities = Activity.objects.bulk_create(rows, batch_size=2000)
    sittings = Sitting.objects.bulk_create(
        [Sitting(activity=activity, number=number, starts_at=_at(activity.starts_on, start),
                 ends_at=_at(activity.starts_on, start + 3), place=activity.places,
                 checkin_code=f"{new_checkin_code()[:4]}{activity.pk:07d}{number}")
         for activity in activities for number, start in ((1, 9), (2, 14))],
        batch_size=5000,
    )  # fmt: skip
    by_activity: dict[int, list[Sitting]] = {}
    for sitting in sittings:
        by_activity.setdefault(sitting.activity_id, []).append(sitting)
    return activities, by_activity


def _invitations(rng, activities, pools, today) -> list[Invitation]:
    """Each activity invites the next deputies of its congress in turn, up to its places: held ones answered (most
    accepted), coming ones partly still to answer; accepted ones take the places."""
    rows, taken = [], {}
    cursor = dict.fromkeys(pools, 0)
    now = timezone.now()
    for activity in activities:
        pool = pools[activity.congress_id]
        size = min(len(pool), CAPACITY)
        start = cursor[activity.congress_id]
        cursor[activity.congress_id] = (start + size) % len(pool)
        accepted = 0
        for n in range(size):
            mandate_id, person_id = pool[(start + n) % len(pool)]
            weights = [85, 15, 0] if activity.starts_on < today else [50, 10, 40]
            status = rng.choices(["accepted", "declined", "invited"], weights)[0]
            accepted += status == "accepted"
            rows.append(Invitation(
                activity=activity, mandate_id=mandate_id, person_id=person_id, status=status,
                responded_at=None if status == "invited" else now,
                decline_reason="同期有其他公务安排" if status == "declined" else "",
            ))  # fmt: skip
        taken[activity.pk] = accepted
    invitations = Invitation.objects.bulk_create(rows, batch_size=5000)
    Activity.objects.bulk_update([Activity(pk=pk, taken=n) for pk, n in taken.items()], ["taken"], batch_size=5000)
    return invitations


def _attendance(rng, activities, sittings, invitations, today) -> dict[int, str]:
    """The roll of held activities: per accepted deputy one mark at both sittings. Returns the marks by invitation."""
    held = {activity.pk for activity in activities if activity.starts_on < today}
    rows, marks = [], {}
    for invitation in invitations:
        if invitation.activity_id not in held or invitation.status != "accepted":
            continue
        status = rng.choices(["present", "leave", "absent"], [85, 10, 5])[0]
        marks[invitation.pk] = status
        for sitting in sittings[invitation.activity_id]:
            checked_in = sitting.starts_at if status == "present" else None
            rows.append((sitting.pk, invitation.pk, status, "code" if checked_in else "staff", checked_in))
    bulk.copy_insert(Attendance, ["sitting_id", "invitation_id", "status", "channel", "checked_in_at"], rows)
    return marks


def _findings(activities, today) -> int:
    rows = [
        Finding(activity=activity, number=number, text=text)
        for activity in activities
        if activity.starts_on < today and activity.kind_id != "report_to_voters"
        for number, text in enumerate(FINDINGS, start=1)
    ]
    Finding.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _voter_reports(rng, activities, invitations, marks, today) -> int:
    """At each held report to voters, each deputy present reports and the voters appraise."""
    meetings = {a.pk for a in activities if a.starts_on < today and a.kind_id == "report_to_voters"}
    rows = []
    for invitation in invitations:
        if invitation.activity_id not in meetings or marks.get(invitation.pk) != "present":
            continue
        voters = rng.randint(30, 80)
        satisfied = rng.randint(voters // 2, voters - 2)
        basically = rng.randint(0, voters - satisfied - 1)
        rows.append(VoterReport(
            activity_id=invitation.activity_id, mandate_id=invitation.mandate_id, voters=voters, satisfied=satisfied,
            basically_satisfied=basically, dissatisfied=rng.randint(0, voters - satisfied - basically),
            text="本人一年来依法履职，围绕群众关心的问题提出建议，深入选区联系选民……",
        ))  # fmt: skip
    VoterReport.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _duty_entries(code: str) -> int:
    """The duty record, as the service writes it: the kind's duty item once per deputy present at a sitting, the
    unexcused-absence deduction once per deputy absent without leave and never present."""
    zone = timezone.get_current_timezone_name()
    written = 0
    with connection.cursor() as cursor:
        for status, kind, source, condition in (
            ("present", "k.duty_kind_id", "activities:invitation:", "k.duty_kind_id IS NOT NULL"),
            ("absent", "%s", "activities:absence:", "EXISTS (SELECT 1 FROM deputies_dutykind d WHERE d.code = %s)"),
        ):
            extra = [ABSENCE_DUTY_KIND] if status == "absent" else []
            cursor.execute(
                f"INSERT INTO deputies_dutyentry (created_at, updated_at, mandate_id, kind_id, date, year, title, "
                f"quantity, source, recorded_by_id) "
                f"SELECT now(), now(), i.mandate_id, {kind}, min((s.starts_at AT TIME ZONE %s)::date), "
                f"EXTRACT(YEAR FROM min(s.starts_at AT TIME ZONE %s)), left(a.title, 200), 1, %s || i.id, NULL "
                f"FROM activities_attendance t JOIN activities_invitation i ON i.id = t.invitation_id "
                f"JOIN activities_sitting s ON s.id = t.sitting_id JOIN activities_activity a ON a.id = i.activity_id "
                f"JOIN activities_activitykind k ON k.code = a.kind_id "
                f"WHERE t.status = %s AND a.region_code LIKE %s AND {condition} "
                f"GROUP BY i.id, i.mandate_id, k.duty_kind_id, a.title "
                f"ON CONFLICT DO NOTHING",
                [*extra, zone, zone, source, status, code + "%", *extra],
            )
            written += cursor.rowcount
    return written

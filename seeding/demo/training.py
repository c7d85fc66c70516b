"""Demo training for the Guangdong provincial congress (and one Tianhe course): a five-year plan and annual
plans with goals, courses in the past (induction at the start of the term, duty training, thematic study) and
in the future (one starting tomorrow that is full with a waiting list, one open for sign-up, one draft).

Every enrolment, answer and roll goes through training.services. A past course is run as the real pages
would have run it: its sittings are first set in the future so deputies can be nominated and answer, then
moved to their real (past) dates before the roll is taken, so credit hours and duty-record entries carry the
real dates. Safe to run again: the plans are found, and the courses are added only once.

Uses the demo logins of the roster, stations and suggestions demos: deputy (李秀英), gd_deputy01…10,
th_deputy01, gd_staff and th_staff."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from congress.models import Congress, Organisation, User
from deputies.models import Mandate, MandateStatus
from training import selectors, services
from training.models import AttendanceStatus, Course, CourseKind, Goal, GoalKind, Mode, Plan, PlanKind, Sitting

MARKER = "第十四届省人大代表初任培训班"


def seed() -> None:
    province = Congress.objects.filter(region__code="44").first()
    staff = User.objects.filter(username="gd_staff").first()
    if province is None or staff is None:
        return  # seed_demo's structure is missing
    with transaction.atomic():
        demo = Demo(province, staff)
        demo.plans()
        if Course.objects.filter(title=MARKER).exists():
            return
        demo.run()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Demo:
    def __init__(self, province: Congress, staff: User):
        self.today = timezone.localdate()
        self.province = province
        self.staff = staff
        self.term = province.terms.order_by("-number").first()
        self.mandates = list(
            Mandate.objects.filter(congress=province, term=self.term, status=MandateStatus.ACTIVE)
            .select_related("person__user")
            .order_by("pk")
        )
        self.body = Organisation.objects.filter(name="广东省人大常委会代表工作委员会").first()
        self.lead = next((m for m in self.mandates if m.person.user and m.person.user.username == "deputy"), None)
        self.with_login = [m for m in self.mandates if m.person.user_id and m != self.lead]
        self.spare_day = self.today + timedelta(days=400)  # where past courses' sittings wait until their roll

    # Plans

    def plans(self) -> None:
        self.five_year = self._plan(
            PlanKind.FIVE_YEAR, None, f"第{self.term.number}届省人大代表学习培训五年规划",
            self.term.start_date, self.term.end_date,
        )  # fmt: skip
        if not self.five_year.goals.exists():
            self._goal(self.five_year, GoalKind.INDUCTION, "新任代表任职第一年参加初任培训", 100, position=1)
            self._goal(self.five_year, GoalKind.TRAINED, "每位代表本届至少参加3次学习培训", 90, min_courses=3,
                       position=2)  # fmt: skip
        self.annual = {}
        for year in range((self.today - timedelta(days=150)).year, (self.today + timedelta(days=90)).year + 1):
            if not (self.term.start_date.year <= year <= self.term.end_date.year):
                continue
            plan = self._plan(PlanKind.ANNUAL, year, f"{year}年省人大代表学习培训计划", None, None)
            if not plan.goals.exists():
                self._goal(plan, GoalKind.TRAINED, "每位代表全年至少参加1次学习培训", 95, position=1)
                self._goal(plan, GoalKind.TRAINED, "基层代表全年至少参加1次履职学习", 100, grassroots_only=True,
                           course_kind=CourseKind.DUTY, position=2)  # fmt: skip
                self._goal(plan, GoalKind.INDUCTION, "年内补选的新任代表一年内参加初任培训", 100, position=3)
            self.annual[year] = plan

    def _plan(self, kind, year, title, start, end) -> Plan:
        existing = Plan.objects.filter(term=self.term, kind=kind, year=year).first()
        if existing:
            return existing
        plan = Plan(congress=self.province, term=self.term, kind=kind, year=year, title=title, start_date=start,
                    end_date=end, parent=self.five_year if kind == PlanKind.ANNUAL else None,
                    description="坚持把学习培训作为代表履职的基础工作，分层分类开展。")  # fmt: skip
        return services.save_plan(actor=self.staff, plan=plan)

    def _goal(self, plan, kind, title, target, **fields) -> Goal:
        return services.save_goal(actor=self.staff, goal=Goal(plan=plan, kind=kind, title=title,
                                                              target_percent=target, **fields))  # fmt: skip

    def _plan_for(self, day: date) -> Plan:
        return self.annual.get(day.year, self.five_year)

    # Courses

    def course(self, title, kind, mode, first_day: date, sittings, *, capacity, congress=None, staff=None, plan=None,
               place="广东省人大常委会代表培训中心", link="", publish=True, **fields) -> Course:  # fmt: skip
        course = Course(
            congress=congress or self.province, title=title, kind=kind, mode=mode, capacity=capacity,
            plan=plan, organiser=self.body if congress is None else None,
            place=place if mode != Mode.ONLINE else "", link=link or ("https://example.cn/live" if mode != Mode.OFFLINE else ""),
            description=f"{title}。围绕代表履职需要安排专题授课、交流研讨和案例教学。", **fields,
        )  # fmt: skip
        course = services.save_course(actor=staff or self.staff, course=course)
        for number, (offset, start, end, topic) in enumerate(sittings, start=1):
            day = first_day + timedelta(days=offset)
            services.save_sitting(
                actor=staff or self.staff,
                sitting=Sitting(
                    course=course, number=number, starts_at=_at(day, *start), ends_at=_at(day, *end), topic=topic
                ),
            )
        if publish:
            services.publish_course(actor=staff or self.staff, course_id=course.pk)
        services.add_material(actor=staff or self.staff, course_id=course.pk, title="课程表及学习资料",
                              url="https://example.cn/training/materials")  # fmt: skip
        return course

    def move(self, course: Course, first_day: date) -> None:
        """Demo only: set a course's sittings to their real (past) days, keeping their times."""
        sittings = list(course.sittings.order_by("starts_at"))
        shift = first_day - timezone.localtime(sittings[0].starts_at).date()
        for sitting in sittings:
            Sitting.objects.filter(pk=sitting.pk).update(
                starts_at=sitting.starts_at + shift, ends_at=sitting.ends_at + shift
            )
        course.refresh_from_db()
        services._refresh_days(course)

    def nominate(self, course, mandates, staff=None):
        return services.nominate(actor=staff or self.staff, course_id=course.pk, mandate_ids=[m.pk for m in mandates])

    def answer_all(self, result, *, decline=(), leave_open=(), staff=None):
        for enrolment in result.nominated:
            mandate = enrolment.mandate
            if mandate in leave_open:
                continue
            # Deputies without a login answered the office by phone; the office records their answer.
            actor = mandate.person.user or staff or self.staff
            if mandate in decline:
                services.decline(actor=actor, enrolment_id=enrolment.pk, note="工作冲突，无法参加")
            else:
                services.confirm(actor=actor, enrolment_id=enrolment.pk)

    def roll(self, course, absent=(), leave=()) -> None:
        """Take the roll of every sitting: everyone present except those named (by sitting number)."""
        confirmed = list(course.enrolments.filter(status="confirmed").select_related("mandate"))
        for sitting in course.sittings.order_by("number"):
            marks = {}
            for enrolment in confirmed:
                mandate = enrolment.mandate
                if (mandate, sitting.number) in absent or (mandate, None) in absent:
                    marks[enrolment.pk] = AttendanceStatus.ABSENT
                elif (mandate, sitting.number) in leave:
                    marks[enrolment.pk] = AttendanceStatus.LEAVE
                else:
                    marks[enrolment.pk] = AttendanceStatus.PRESENT
            services.record_attendance(actor=self.staff, sitting_id=sitting.pk, marks=marks)
            sitting.attendance.filter(status=AttendanceStatus.PRESENT).update(checked_in_at=sitting.starts_at)

    def run(self) -> None:
        morning, afternoon = ((9, 0), (12, 0)), ((14, 30), (17, 30))
        everyone = self.mandates

        # 1. Induction at the start of the term: all new deputies nominated; two decline, two never come.
        induction_day = self.term.start_date + timedelta(days=40)
        induction = self.course(
            MARKER, CourseKind.INDUCTION, Mode.OFFLINE, self.spare_day,
            [(0, *morning, "人民代表大会制度"), (0, *afternoon, "代表的权利和义务"), (1, *morning, "如何提出议案和建议")],
            capacity=80, plan=self.five_year, self_enrolment=False, new_deputies_only=True, hours_per_sitting=3,
        )  # fmt: skip
        result = services.nominate_new_deputies(actor=self.staff, course_id=induction.pk)
        nominated = [e.mandate for e in result.nominated]
        decliners = [m for m in nominated if m != self.lead][-2:]
        self.answer_all(result, decline=decliners)
        self.move(induction, induction_day)
        confirmed = [e.mandate for e in induction.enrolments.filter(status="confirmed").select_related("mandate")]
        others = [m for m in confirmed if m != self.lead]
        self.roll(induction, absent={(m, None) for m in others[:2]} | {(others[2], 3)},
                  leave={(others[3], 2), (others[4], 2)})  # fmt: skip

        # 2. Duty training a few months ago: sign-ups and nominations, decided by the office.
        first = self.today - timedelta(days=120)
        duty = self.course(
            "代表履职能力提升培训班", CourseKind.DUTY, Mode.MIXED, self.spare_day + timedelta(days=5),
            [(0, *morning, "代表建议的撰写与办理"), (0, *afternoon, "视察调研方法")], capacity=30,
            plan=self._plan_for(first),
        )  # fmt: skip
        for mandate in self.with_login[:8]:
            enrolment = services.sign_up(actor=mandate.person.user, course_id=duty.pk, mandate_id=mandate.pk)
            if mandate == self.with_login[7]:
                services.refuse(actor=self.staff, enrolment_id=enrolment.pk, note="本期名额优先安排基层代表")
            else:
                services.approve(actor=self.staff, enrolment_id=enrolment.pk)
        grassroots = [m for m in everyone if m.person.grassroots and m not in self.with_login[:8]][:12]
        self.answer_all(self.nominate(duty, grassroots))
        self.move(duty, first)
        attendees = [e.mandate for e in duty.enrolments.filter(status="confirmed").select_related("mandate")]
        self.roll(duty, absent={(attendees[-1], None)}, leave={(attendees[-2], 2)})

        # 3. Thematic study last month, online, for every deputy with a login.
        first = self.today - timedelta(days=30)
        thematic = self.course(
            "学习贯彻全过程人民民主重大理念专题学习", CourseKind.THEMATIC, Mode.ONLINE, self.spare_day + timedelta(days=10),
            [(0, (19, 0), (21, 0), "全过程人民民主的实践要求")], capacity=100, plan=self._plan_for(first),
            hours_per_sitting=2,
        )  # fmt: skip
        logged = [m for m in everyone if m.person.user_id]
        self.answer_all(self.nominate(thematic, logged))
        self.move(thematic, first)
        self.roll(thematic, leave={(logged[-1], 1)})

        # 4. Tomorrow: a full course with people still to confirm, sign-ups to decide and a waiting list.
        tomorrow = self.today + timedelta(days=1)
        budget = self.course(
            "预算审查监督专题培训班", CourseKind.THEMATIC, Mode.OFFLINE, tomorrow,
            [(0, *morning, "人大预算审查监督重点"), (0, *afternoon, "预算联网监督系统操作")], capacity=8,
            plan=self._plan_for(tomorrow), sign_up_until=self.today,
        )  # fmt: skip
        result = self.nominate(budget, [m for m in [self.lead, *self.with_login[:2]] if m])
        self.answer_all(result, leave_open=self.with_login[:2])
        queue = self.with_login[2:9]
        for index, mandate in enumerate(queue):
            enrolment = services.sign_up(actor=mandate.person.user, course_id=budget.pk, mandate_id=mandate.pk)
            if index < 3:
                services.approve(actor=self.staff, enrolment_id=enrolment.pk)

        # 5. In six weeks: open for sign-up.
        later = self.today + timedelta(days=45)
        law = self.course(
            "地方立法与代表履职专题培训班", CourseKind.DUTY, Mode.MIXED, later,
            [(0, *morning, "地方立法程序"), (1, *morning, "立法调研与意见征集"), (1, *afternoon, "分组研讨")],
            capacity=40, plan=self._plan_for(later), sign_up_until=later - timedelta(days=7),
        )  # fmt: skip
        for mandate in self.with_login[9:12]:
            services.sign_up(actor=mandate.person.user, course_id=law.pk, mandate_id=mandate.pk)

        # 6. Being prepared.
        self.course("乡村振兴专题学习班", CourseKind.THEMATIC, Mode.OFFLINE, self.today + timedelta(days=90),
                    [(0, *morning, "乡村振兴战略")], capacity=60, plan=self._plan_for(self.today + timedelta(days=90)),
                    publish=False)  # fmt: skip

        self.tianhe()

    def tianhe(self) -> None:
        congress = Congress.objects.filter(region__code="440106").first()
        staff = User.objects.filter(username="th_staff").first()
        if congress is None or staff is None:
            return
        term = congress.terms.order_by("-number").first()
        plan = Plan.objects.filter(term=term, kind=PlanKind.FIVE_YEAR).first() or services.save_plan(
            actor=staff, plan=Plan(congress=congress, term=term, kind=PlanKind.FIVE_YEAR,
                                   title=f"天河区第{term.number}届人大代表学习培训规划"),
        )  # fmt: skip
        if not plan.goals.exists():
            services.save_goal(actor=staff, goal=Goal(plan=plan, kind=GoalKind.TRAINED, target_percent=80,
                                                      title="每位代表本届至少参加2次学习培训", min_courses=2))  # fmt: skip
        day = self.today + timedelta(days=20)
        course = self.course(
            "天河区人大代表履职学习班", CourseKind.DUTY, Mode.OFFLINE, day, [(0, (9, 0), (12, 0), "基层治理与代表履职")],
            capacity=40, congress=congress, staff=staff, plan=plan, place="天河区人大常委会会议室",
        )  # fmt: skip
        eligible = selectors.eligible_mandates(course).filter(congress=congress).select_related("person__user")
        mandates = list(eligible.filter(person__user__isnull=False)) + list(
            eligible.filter(person__user__isnull=True).order_by("pk")[:10]
        )
        result = self.nominate(course, mandates, staff=staff)
        lead = [m for m in mandates if m.person.user and m.person.user.username == "deputy"]
        self.answer_all(result, leave_open=lead, staff=staff)

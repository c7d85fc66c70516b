"""Demo activities of the Guangdong provincial congress: a closed inspection with its roll, report and one
corrected mark; a joint law-enforcement check with the Tianhe district congress starting next week, full with a
waiting list, and an invitation the demo deputy (李秀英) has still to answer; a planned group activity. The
inspection's findings (left for staff to take up on the page); and a report to voters a month ago with the voters'
appraisal, so the dashboard's activities panel and the exports show real figures. (A finding taken up here would
make the newest suggestion a draft without assignments and the newest deadline a finding's, which the list
query-count guard, tests/flows/test_query_counts.py, reads as lists whose queries grow with their rows.)

Every invitation, answer and roll goes through activities.services. The past inspection is run as the pages would
have run it: its sittings are first set in the future so deputies can be invited and answer, then moved to their
real (past) dates before the roll, so the duty-record entries carry the real dates. Safe to run again: the
activities are added only once."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from activities import experts, services
from activities.models import Activity, ActivityKind, AttendanceStatus, Expert, ExpertPool, Participant, Sitting
from congress.models import Congress, Organisation, User
from deputies.models import Mandate, MandateStatus

MARKER = "粤港澳大湾区建设专题视察"
FINDINGS = [
    "横琴、南沙跨境要素流动仍有堵点，人员、车辆往来通关便利化措施有待扩大",
    "南沙科技创新产业园周边教育、医疗等公共服务配套不足，影响人才落户",
    "部分支持政策申报流程繁琐，中小科技企业知晓率不高",
]


def seed() -> None:
    province = Congress.objects.filter(region__code="44").first()
    staff = User.objects.filter(username="gd_staff").first()
    if province is None or staff is None or Activity.objects.filter(title=MARKER).exists():
        return  # seed_demo's structure is missing, or the activities are there
    with transaction.atomic():
        Demo(province, staff).run()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


class Demo:
    def __init__(self, province: Congress, staff: User):
        self.today = timezone.localdate()
        self.province, self.staff = province, staff
        self.mandates = list(
            Mandate.objects.filter(congress=province, status=MandateStatus.ACTIVE, person__user__isnull=False)
            .select_related("person__user")
            .order_by("pk")
        )
        self.lead = next((m for m in self.mandates if m.person.user.username == "deputy"), None)
        self.others = [m for m in self.mandates if m != self.lead]
        self.body = Organisation.objects.filter(name="广东省人大常委会代表工作委员会").first()

    def activity(self, title, kind, first_day: date, sittings, *, capacity, co_congresses=(), **fields) -> Activity:
        days = max(offset for offset, *_rest in sittings) if sittings else 0
        activity = services.save_activity(
            actor=self.staff,
            activity=Activity(
                congress=self.province, kind=ActivityKind.objects.get(pk=kind), title=title, capacity=capacity,
                organiser=self.body, starts_on=first_day, ends_on=first_day + timedelta(days=days), **fields,
            ),
            co_congresses=list(co_congresses),
        )  # fmt: skip
        for number, (offset, start, end, topic) in enumerate(sittings, start=1):
            day = first_day + timedelta(days=offset)
            services.save_sitting(actor=self.staff, sitting=Sitting(activity=activity, number=number, topic=topic,
                                                                    starts_at=_at(day, *start), ends_at=_at(day, *end)))  # fmt: skip
        services.add_material(actor=self.staff, activity_id=activity.pk, title="活动方案及日程安排",
                              url="https://example.cn/activities/plan")  # fmt: skip
        return activity

    def invite(self, activity, mandates, staff=None):
        return services.invite(actor=staff or self.staff, activity_id=activity.pk,
                               mandate_ids=[m.pk for m in mandates]).invited  # fmt: skip

    def experts(self, check: Activity) -> None:
        """The province's legal and financial expert pools, and two legal experts invited to the law-enforcement
        check (one has told the office they will come)."""
        pools = {
            code: experts.save_pool(actor=self.staff, pool=ExpertPool(congress=self.province, code=code, name=name,
                                                                       position=position))
            for position, (code, name) in enumerate((("law", "法律专家库"), ("finance", "财经专家库")), start=1)
        }  # fmt: skip
        made = [
            experts.save_expert(
                actor=self.staff, pool_ids=[pools[pool].pk],
                expert=Expert(congress=self.province, name=name, expertise=expertise, title=title, work_unit=unit,
                              phone=phone, email=email),
            )
            for name, pool, expertise, title, unit, phone, email in (
                ("周立平", "law", "环境资源法、行政法", "教授", "中山大学法学院", "13902001001", "zhoulp@example.cn"),
                ("吴敏", "law", "立法学、地方立法", "研究员", "广东省社会科学院法学研究所", "13902001002",
                 "wumin@example.cn"),
                ("郑国华", "law", "民商法、营商环境法治", "律师", "广东广和律师事务所", "13902001003", ""),
                ("何静", "finance", "财政预算、审计监督", "教授", "暨南大学经济学院", "13902001004",
                 "hejing@example.cn"),
            )
        ]  # fmt: skip
        invited = experts.invite_experts(actor=self.staff, activity_id=check.pk, expert_ids=[e.pk for e in made[:2]])
        experts.record_answer(actor=self.staff, participant_id=invited[0].pk, answer="accepted")

    def run(self) -> None:
        morning, afternoon = ((9, 0), (12, 0)), ((14, 30), (17, 30))

        # 1. A closed inspection two months ago: invited, answered, the roll taken, the report, one correction.
        past = self.today - timedelta(days=60)
        spare = self.today + timedelta(days=400)
        inspection = self.activity(
            MARKER, "inspection", spare,
            [(0, *morning, "横琴粤澳深度合作区"), (0, *afternoon, "南沙科技创新产业园"), (1, *morning, "座谈交流")],
            capacity=12, theme="推动粤港澳大湾区高质量发展", places="珠海市横琴、广州市南沙区",
            description="围绕省人大常委会年度监督重点，组织代表实地视察并召开座谈会，听取政府有关部门情况汇报。",
        )  # fmt: skip
        services.send_invitations(actor=self.staff, activity_id=inspection.pk)
        invited = self.invite(inspection, ([self.lead] if self.lead else []) + self.others[:7])
        for invitation in invited:
            user = invitation.mandate.person.user
            if invitation is invited[-1]:
                services.decline(actor=user, invitation_id=invitation.pk, reason="同期参加全国人大代表专题调研")
            else:
                services.accept(actor=user, invitation_id=invitation.pk)
        services.start(actor=self.staff, activity_id=inspection.pk)
        self.past(inspection, spare, past)
        accepted = list(inspection.invitations.filter(status="accepted").order_by("pk"))
        for sitting in inspection.sittings.order_by("number"):
            marks = {i.pk: AttendanceStatus.PRESENT for i in accepted}
            marks[accepted[-1].pk] = AttendanceStatus.LEAVE if sitting.number < 3 else AttendanceStatus.ABSENT
            services.record_attendance(actor=self.staff, sitting_id=sitting.pk, marks=marks)
            sitting.attendance.filter(status=AttendanceStatus.PRESENT).update(checked_in_at=sitting.starts_at)
        for name, kind, affiliation in (("陈志远", "expert", "中山大学粤港澳发展研究院"),
                                        ("黄丽华", "citizen", "南沙区居民")):  # fmt: skip
            services.save_participant(actor=self.staff, participant=Participant(
                activity=inspection, kind=kind, name=name, affiliation=affiliation))  # fmt: skip
        services.submit_report(
            actor=self.staff, activity_id=inspection.pk,
            report="一、基本情况：代表视察了横琴粤澳深度合作区和南沙科技创新产业园。\n"
                   "二、发现的问题：跨境要素流动仍有堵点；产业园配套公共服务不足。\n"
                   "三、意见建议：加快规则衔接；完善园区教育医疗配套。",
            findings=FINDINGS,
        )  # fmt: skip
        services.close(actor=self.staff, activity_id=inspection.pk)
        last = inspection.sittings.get(number=3)
        services.correct_attendance(actor=self.staff, sitting_id=last.pk, invitation_id=accepted[-1].pk,
                                    status=AttendanceStatus.LEAVE, reason="补交请假手续，经核实属因公请假")  # fmt: skip

        # 2. A joint law-enforcement check with Tianhe next week: full, with a waiting list; the demo deputy has an
        # invitation to answer, and Tianhe's staff invite their own deputy.
        tianhe = Congress.objects.filter(region__code="440106").first()
        check = self.activity(
            "《广东省水污染防治条例》执法检查", "law_enforcement_check", self.today + timedelta(days=7),
            [(0, *morning, "听取省生态环境厅汇报"), (0, *afternoon, "实地检查猎德污水处理厂")],
            capacity=2, theme="生态环境保护", places="广州市天河区", co_congresses=[tianhe] if tianhe else [],
        )  # fmt: skip
        services.send_invitations(actor=self.staff, activity_id=check.pk)
        for invitation in self.invite(check, self.others[7:10]):
            services.accept(actor=invitation.mandate.person.user, invitation_id=invitation.pk)
        if self.lead:
            self.invite(check, [self.lead])
        th_staff = User.objects.filter(username="th_staff").first()
        th_deputy = Mandate.objects.filter(congress=tianhe, person__user__username="th_deputy01").first()
        if th_staff and th_deputy:
            self.invite(check, [th_deputy], staff=th_staff)
        self.experts(check)

        # 3. A report to voters a month ago at a station: two deputies reported and the voters appraised them.
        self.report_to_voters(self.today - timedelta(days=30), spare + timedelta(days=7), morning)

        # 4. A group activity still being planned.
        self.activity(
            "代表小组“一老一小”专题调研", "group_activity", self.today + timedelta(days=30),
            [(0, *afternoon, "社区养老服务中心和托育机构调研")], capacity=15, theme="一老一小",
            places="广州市越秀区",
        )  # fmt: skip

    def past(self, activity, spare: date, day: date) -> None:
        """Move an activity run with spare (future) dates to its real past day, before its roll is taken."""
        shift = day - spare
        for sitting in activity.sittings.all():
            Sitting.objects.filter(pk=sitting.pk).update(starts_at=sitting.starts_at + shift,
                                                         ends_at=sitting.ends_at + shift)  # fmt: skip
        Activity.objects.filter(pk=activity.pk).update(starts_on=day, ends_on=day + (activity.ends_on - spare))

    def report_to_voters(self, day: date, spare: date, hours) -> None:
        meeting = self.activity(
            "省人大代表向原选区选民述职会", "report_to_voters", spare, [(0, *hours, "代表述职及满意度测评")],
            capacity=4, theme="代表向选民述职", places="广州市越秀区代表联络站",
        )  # fmt: skip
        services.send_invitations(actor=self.staff, activity_id=meeting.pk)
        reporting = self.others[:3]
        for invitation in self.invite(meeting, reporting):
            services.accept(actor=invitation.mandate.person.user, invitation_id=invitation.pk)
        services.start(actor=self.staff, activity_id=meeting.pk)
        self.past(meeting, spare, day)
        accepted = list(meeting.invitations.filter(status="accepted").order_by("pk"))
        sitting = meeting.sittings.get()
        services.record_attendance(actor=self.staff, sitting_id=sitting.pk, marks={
            i.pk: AttendanceStatus.PRESENT if n < 2 else AttendanceStatus.LEAVE for n, i in enumerate(accepted)})  # fmt: skip
        for invitation, counts in zip(accepted[:2], ((62, 50, 9, 3), (48, 41, 5, 2)), strict=False):
            voters, satisfied, basically, dissatisfied = counts
            services.record_voter_report(
                actor=self.staff, activity_id=meeting.pk, mandate_id=invitation.mandate_id, voters=voters,
                satisfied=satisfied, basically_satisfied=basically, dissatisfied=dissatisfied,
                text="一年来，本人围绕教育、养老等群众关心的问题深入调研，提出建议4件，均已办复……",
            )  # fmt: skip
        services.submit_report(actor=self.staff, activity_id=meeting.pk,
                               report="两名代表向选民述职，选民进行了满意度测评。")  # fmt: skip
        services.close(actor=self.staff, activity_id=meeting.pk)

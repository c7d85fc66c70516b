"""Demo suggestions and motions in every state, for the demo congresses of Guangdong (province 44) and Tianhe.

Every change goes through suggestions.services, so numbers, deadlines, audit entries and duty records are what
the real pages would have produced. The services act "today"; to give the demo a history (and some overdue
work), each suggestion is aged between steps: `Demo.age` moves everything it has so far back by some days and
recomputes its due dates on the working calendar (the audit log is append-only and keeps the real time of each
step). Safe to run again: the taxonomy, logins and officers are found or created, and the suggestions are
added only once.

Logins added (password as the other demo logins): gd_deputy01…gd_deputy10 and th_deputy01 (deputies),
gd_edu_officer, gd_transport_officer, gd_health_officer, gd_medicare_officer, gd_finance_officer, gd_env_officer
and th_housing_officer (unit officers).

Each suggestion goes to units whose remit its category is (tests/seeding/test_demo_realism.py holds the demo to
that); a mis-assignment story is one a real office could make, between units of the same field."""

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from congress.models import Congress, Deadline, Organisation, Role, RoleMembership, Session, User
from congress.services import grant_role
from congress.workdays import Calendar
from deputies.models import DutyEntry, Mandate, MandateStatus
from seeding.demo.congress import CONGRESSES, DEMO_PASSWORD
from suggestions import services, workflow
from suggestions.models import (
    Assignment,
    Category,
    ContactLog,
    CoSigner,
    ExtensionRequest,
    Feedback,
    KeySupervision,
    ReassignmentRequest,
    Reply,
    Suggestion,
)

# The taxonomy every demo congress files suggestions under; the province also has a few subheadings.
CATEGORIES = ["教育", "医疗卫生", "交通", "城乡建设", "生态环境", "农业农村", "社会保障", "科技创新", "财政经济",
              "文化旅游", "法治建设", "其他"]  # fmt: skip
SUBHEADINGS = {"教育": ["学前教育", "义务教育", "职业教育"], "医疗卫生": ["医疗保障", "基层医疗"]}

# Units of the province the demo needs besides those of seed_demo: unit name, officer login, officer name.
UNITS = [
    ("广东省教育厅", "gd_edu_officer", "吴晓燕"),
    ("广东省交通运输厅", "gd_transport_officer", "郑国华"),
    ("广东省卫生健康委员会", "gd_health_officer", "何丽萍"),
    ("广东省医疗保障局", "gd_medicare_officer", "黄志明"),
    ("广东省财政厅", "gd_finance_officer", "冯志刚"),
    ("广东省生态环境厅", "gd_env_officer", "梁秀琴"),
]
# The marker of a seeded demo: its first suggestion.
MARKER = "关于推进社区嵌入式托育服务发展的建议"


def seed() -> None:
    province = Congress.objects.filter(region__code="44").first()
    if province is None:
        return  # seed_demo's structure is missing; nothing to attach suggestions to
    with transaction.atomic():
        demo_congresses = Congress.objects.filter(region__code__in=[code for code, *_ in CONGRESSES])
        for congress in demo_congresses.select_related("region"):
            _categories(congress)
        if Suggestion.objects.filter(title=MARKER).exists():
            return
        Demo(province).run()


def _categories(congress) -> None:
    for position, name in enumerate(CATEGORIES):
        parent, _ = Category.objects.get_or_create(congress=congress, name=name, defaults={"position": position})
        if congress.region.code == "44":
            for index, child in enumerate(SUBHEADINGS.get(name, [])):
                Category.objects.get_or_create(
                    congress=congress, name=child, defaults={"parent": parent, "position": position * 10 + index}
                )


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% demo signed letter\n%%EOF\n", content_type="application/pdf")


class Demo:
    """The demo's cast (staff, deputies, units and their officers) and its stories, one method each."""

    def __init__(self, province: Congress):
        self.today = timezone.localdate()
        self.calendar = Calendar.load()
        self.province = province
        self.tianhe = Congress.objects.get(region__code="440106")
        self.password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow, and the logins share it
        self.staff = User.objects.get(username="gd_staff")
        self.th_staff = User.objects.get(username="th_staff")
        self.supervisor = User.objects.get(username="supervisor")
        self.units = {name: self._unit(name, login, person) for name, login, person in UNITS}
        self.units["广州市教育局"] = self._unit("广州市教育局", "unit_officer", "王建国")
        self.units["广州市交通运输局"] = Organisation.objects.get(name="广州市交通运输局")
        self.units["天河区住房和建设局"] = self._unit("天河区住房和建设局", "th_housing_officer", "邓海涛")
        self.lead = self._deputy_of("deputy", self.province)  # 李秀英, the demo deputy
        self.deputies = [self._new_deputy(f"gd_deputy{n:02d}", self.province) for n in range(1, 11)]
        self.th_lead = self._deputy_of("deputy", self.tianhe)
        self.th_deputy = self._new_deputy("th_deputy01", self.tianhe)
        self.session = Session.objects.filter(term=self.lead.term, start_date__lte=self.today).order_by("-number")[0]
        self.th_session = Session.objects.filter(term=self.th_lead.term, start_date__lte=self.today).order_by(
            "-number"
        )[0]

    # The cast

    def _user(self, username: str, name: str) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"name": name, "email": f"{username}@example.cn", "password": self.password}
        )
        return user

    def _unit(self, name: str, login: str, person: str) -> Organisation:
        """The unit (created in the province if missing) with an officer (the demo's, unless it has one)."""
        unit = Organisation.objects.filter(name=name, kind="handling_unit").first()
        if unit is None:
            unit = Organisation.objects.create(
                name=name, kind="handling_unit", unit_category="government", region=self.province.region
            )
        if not RoleMembership.objects.filter(role=Role.UNIT_OFFICER, organisation=unit).exists():
            grant_role(actor=None, user=self._user(login, person), role=Role.UNIT_OFFICER, organisation=unit)
        return unit

    def _officer(self, unit: Organisation) -> User:
        return services.officers_of(unit.pk).order_by("pk").first()

    def _deputy_of(self, username: str, congress: Congress) -> Mandate:
        return Mandate.objects.select_related("person__user", "term").get(
            person__user__username=username, congress=congress, status=MandateStatus.ACTIVE
        )

    def _new_deputy(self, username: str, congress: Congress) -> Mandate:
        """Give a demo deputy of the congress a login (the next one without, in roster order)."""
        live = Mandate.objects.select_related("person", "term").filter(congress=congress, status=MandateStatus.ACTIVE)
        mandate = live.filter(person__user__username=username).first()
        if mandate is None:
            mandate = live.filter(person__user__isnull=True).order_by("pk").first()
            mandate.person.user = self._user(username, mandate.person.name)
            mandate.person.save(update_fields=["user"])
        if not RoleMembership.objects.filter(user_id=mandate.person.user_id, role=Role.DEPUTY,
                                             congress=congress).exists():  # fmt: skip
            grant_role(actor=None, user=mandate.person.user, role=Role.DEPUTY, congress=congress)
        return Mandate.objects.select_related("person__user", "term").get(pk=mandate.pk)

    def category(self, name: str, congress: Congress | None = None) -> Category:
        return Category.objects.get(congress=congress or self.province, name=name)

    # Steps, acting as whoever takes them in real life

    def draft(self, mandate, title, content, category, *, session=None, kind="suggestion", cosigners=(),
              delegation=None, vote=(None, None)) -> Suggestion:  # fmt: skip
        fields = {"title": title, "content": content, "category": category, "session": session, "kind": kind,
                  "delegation": delegation, "delegation_votes_for": vote[0], "delegation_members": vote[1]}  # fmt: skip
        return services.create_draft(actor=mandate.person.user, mandate_id=mandate.pk, fields=fields,
                                     cosigner_ids=[m.pk for m in cosigners])  # fmt: skip

    def submitted(self, mandate, *args, **kwargs) -> Suggestion:
        suggestion = self.draft(mandate, *args, **kwargs)
        return services.submit(actor=mandate.person.user, suggestion_id=suggestion.pk)

    def accepted(self, mandate, *args, staff=None, **kwargs) -> Suggestion:
        suggestion = self.submitted(mandate, *args, **kwargs)
        return services.accept(actor=staff or self.staff, suggestion_id=suggestion.pk)

    def assign(self, suggestion, lead=None, co=(), separate=(), staff=None) -> list[Assignment]:
        """Assign and return the assignments in the order the units were named (lead first)."""
        names = [lead] if lead else []
        names += [*co, *separate]
        services.assign(
            actor=staff or self.staff, suggestion_id=suggestion.pk, lead_id=self.units[lead].pk if lead else None,
            co_ids=[self.units[n].pk for n in co], separate_ids=[self.units[n].pk for n in separate],
        )  # fmt: skip
        return [self.assignment(suggestion, name) for name in names]

    def assignment(self, suggestion, unit_name) -> Assignment:
        return (
            Assignment.objects.select_related("unit")
            .exclude(status="released")
            .get(suggestion=suggestion, unit=self.units[unit_name])
        )

    def receive(self, *assignments) -> None:
        for assignment in assignments:
            services.confirm_receipt(actor=self._officer(assignment.unit), assignment_id=assignment.pk)

    def contact(self, assignment, mode, summary, days_ago=0) -> None:
        assignment.refresh_from_db()
        on = max(self.today - timedelta(days=days_ago), assignment.assigned_on)
        services.record_contact(actor=self._officer(assignment.unit), assignment_id=assignment.pk, on=on, mode=mode,
                                summary=summary)  # fmt: skip

    def reply(self, assignment, result, text, plan="") -> Reply:
        return services.reply(actor=self._officer(assignment.unit), assignment_id=assignment.pk, text=text,
                              result=result, follow_up_plan=plan, letter=_pdf(f"reply-{assignment.pk}.pdf"))  # fmt: skip

    def rate(self, suggestion, answer, on_result, on_attitude="satisfied", comment="") -> None:
        services.give_feedback(actor=suggestion.lead.person.user, suggestion_id=suggestion.pk, reply_id=answer.pk,
                               on_result=on_result, on_attitude=on_attitude, comment=comment)  # fmt: skip

    # Ageing

    def age(self, *suggestions, days: int) -> None:
        """Move what these suggestions have so far `days` back in time, due dates recomputed on the calendar."""
        delta = timedelta(days=days)
        ids = {s.pk for s in suggestions}
        ids |= set(Suggestion.objects.filter(merged_into_id__in=ids).values_list("pk", flat=True))
        assignments = Assignment.objects.filter(suggestion_id__in=ids)
        assignment_ids = list(assignments.values_list("pk", flat=True))
        reply_ids = list(Reply.objects.filter(assignment_id__in=assignment_ids).values_list("pk", flat=True))
        stamps = ["created_at", "updated_at"]
        rows = {
            Suggestion: (Suggestion.objects.filter(pk__in=ids),
                         ["submitted_at", "accepted_at", "assigned_on", "closed_at", "published_at"]),
            CoSigner: (CoSigner.objects.filter(suggestion_id__in=ids), ["responded_at"]),
            Assignment: (assignments, ["assigned_on", "received_at", "replied_on", "co_opinion_at", "ended_at"]),
            ReassignmentRequest: (ReassignmentRequest.objects.filter(assignment_id__in=assignment_ids), ["decided_at"]),
            ExtensionRequest: (ExtensionRequest.objects.filter(assignment_id__in=assignment_ids), ["decided_at"]),
            ContactLog: (ContactLog.objects.filter(assignment_id__in=assignment_ids), ["date"]),
            Reply: (Reply.objects.filter(pk__in=reply_ids), ["replied_on", "solved_on"]),
            Feedback: (Feedback.objects.filter(suggestion_id__in=ids), []),
        }  # fmt: skip
        for queryset, fields in rows.values():
            _shift(queryset, [*fields, *stamps], delta)
        subjects = Q(pk__in=[])
        for model, pks in ((Suggestion, ids), (Assignment, assignment_ids), (Reply, reply_ids)):
            subjects |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=pks)
        deadlines = list(Deadline.objects.filter(subjects))
        for deadline in deadlines:
            deadline.start_date -= delta
            due = self.calendar.add(deadline.start_date, deadline.period_value, deadline.period_unit)
            deadline.due_date, deadline.provisional = due.date, due.provisional
            for name in ("met_at", "cancelled_at", "created_at", "updated_at"):
                if getattr(deadline, name) is not None:
                    setattr(deadline, name, getattr(deadline, name) - delta)
        Deadline.objects.bulk_update(deadlines, ["start_date", "due_date", "provisional", "met_at", "cancelled_at",
                                            "created_at", "updated_at"])  # fmt: skip
        self._copy_due_dates(assignment_ids, deadlines)
        entries = list(DutyEntry.objects.filter(source__in=[f"suggestions:{pk}" for pk in ids]))
        for entry in entries:
            entry.date -= delta
            entry.year = entry.date.year
        DutyEntry.objects.bulk_update(entries, ["date", "year"])

    def _copy_due_dates(self, assignment_ids, deadlines) -> None:
        """Assignment.reply_due copies the reply (re-handling, co-handling opinion) deadline; on-time follows the
        first reply's."""
        assignment_type = ContentType.objects.get_for_model(Assignment)
        by_assignment = {}
        for deadline in sorted(deadlines, key=lambda d: d.pk):
            if deadline.content_type_id == assignment_type.pk and deadline.cancelled_at is None:
                by_assignment.setdefault(deadline.object_id, {})[deadline.kind] = deadline
        rows = list(Assignment.objects.filter(pk__in=assignment_ids))
        for assignment in rows:
            kinds = by_assignment.get(assignment.pk, {})
            reply = kinds.get(workflow.REPLY)
            latest = [d for d in (reply, kinds.get(workflow.REHANDLE), kinds.get(workflow.CO_OPINION)) if d is not None]
            if assignment.reply_due is not None and latest:
                assignment.reply_due = max(latest, key=lambda d: d.pk).due_date
            if assignment.replied_on is not None and reply is not None:
                assignment.replied_on_time = assignment.replied_on <= reply.due_date
        Assignment.objects.bulk_update(rows, ["reply_due", "replied_on_time"])

    # The stories

    def run(self) -> None:
        for story in (self.pre_review, self.accepted_and_merged, self.assigned, self.in_handling,
                      self.separately_assigned, self.replied, self.session_items, self.rehandling_and_disputes,
                      self.motions, self.tianhe_items):  # fmt: skip
            story()
        self.key_items()

    def pre_review(self) -> None:
        """Draft (with a co-signer invited), submitted, returned, declined and withdrawn."""
        d = self.deputies
        draft = self.draft(self.lead, MARKER, "双职工家庭0至3岁婴幼儿照护需求大，建议在社区综合服务设施中嵌入托育点，给予场地和运营补贴。",
                           self.category("学前教育"), cosigners=[d[0]])  # fmt: skip
        self.age(draft, days=2)
        fresh = self.submitted(d[0], "关于加快城镇老旧燃气管道更新改造的建议",
                               "全省仍有大量运行超过20年的燃气管道，存在泄漏和爆燃隐患，建议制定三年改造计划并明确资金分担。",
                               self.category("城乡建设"))  # fmt: skip
        self.age(fresh, days=1)
        returned = self.submitted(d[1], "关于加强校园周边交通安全管理的建议",
                                  "上下学时段校园周边车辆拥堵、人车混行，存在安全隐患，建议加强管理。", self.category("交通"))  # fmt: skip
        services.return_for_revision(actor=self.staff, suggestion_id=returned.pk,
                                     comment="请补充具体路段和事故数据，并提出可操作的措施后重新提交。")  # fmt: skip
        self.age(returned, days=3)
        declined = self.submitted(d[2], "关于督促法院尽快审结本人合同纠纷案件的建议",
                                  "本人与某公司的合同纠纷已起诉两年仍未审结，请人大督促法院尽快判决。", self.category("其他"))  # fmt: skip
        services.decline(actor=self.staff, suggestion_id=declined.pk, reason="litigation",
                         comment="个案正在诉讼中，不属于代表建议受理范围，可通过信访或司法途径反映。")  # fmt: skip
        self.age(declined, days=20)
        withdrawn = self.submitted(d[3], "关于在全省中小学推广午休课桌椅的建议",
                                   "中小学生午休条件差，多数只能趴在桌上，建议推广可躺式午休课桌椅。", self.category("义务教育"))  # fmt: skip
        services.withdraw(actor=d[3].person.user, suggestion_id=withdrawn.pk,
                          reason="经进一步调研，相关工作已在推进，现书面撤回。")  # fmt: skip
        self.age(withdrawn, days=15)

    def accepted_and_merged(self) -> None:
        """Accepted and waiting for assignment (overdue: between sessions it should have gone within 5 working
        days), and two same-topic suggestions merged and handled once."""
        d = self.deputies
        waiting = self.accepted(d[4], "关于完善新就业形态劳动者职业伤害保障的建议",
                                "外卖骑手、网约车司机等新就业形态劳动者职业伤害保障不足，建议扩大试点范围并简化认定程序。",
                                self.category("社会保障"))  # fmt: skip
        self.age(waiting, days=9)
        first = self.accepted(d[5], "关于加快高速公路服务区充电设施建设的建议",
                              "节假日高速公路服务区充电排队时间长，建议加快建设超充设施并推行预约充电。", self.category("交通"))  # fmt: skip
        second = self.accepted(d[6], "关于完善高速公路服务区新能源汽车充电网络的建议",
                               "新能源汽车保有量快速增长，服务区充电桩数量不足、故障率高，建议统一规划建设和运维。", self.category("交通"))  # fmt: skip
        services.merge(actor=self.staff, primary_id=first.pk, other_ids=[second.pk])
        [lead, co] = self.assign(first, lead="广东省交通运输厅", co=["广东省财政厅"])
        self.age(first, days=20)
        self.receive(lead, co)
        self.contact(lead, "phone", "电话沟通两位代表，介绍服务区充电设施建设计划，听取对选址的意见。", days_ago=5)
        self.merged_primary = first

    def assigned(self) -> None:
        """Assigned and not yet received; a unit asking to be released (pending) and a release approved."""
        d = self.deputies
        fresh = self.accepted(self.lead, "关于扩大义务教育阶段公办学位供给的建议",
                              "随着人口流入，部分城区公办学位紧张，建议加快新建改扩建学校，推进集团化办学。", self.category("义务教育"))  # fmt: skip
        self.assign(fresh, lead="广东省教育厅", co=["广东省财政厅"])
        self.age(fresh, days=1)
        self.school_places = fresh
        # Urban rail is the city's remit, not the province's: the provincial department asks to hand it over.
        wrong = self.accepted(d[7], "关于加快城市轨道交通线网规划建设的建议",
                              "城市外围组团与中心城区轨道交通联系不足，通勤时间长，建议优化线网规划，加快在建线路进度。", self.category("交通"))  # fmt: skip
        [lead] = self.assign(wrong, lead="广东省交通运输厅")
        services.request_reassignment(
            actor=self._officer(lead.unit), assignment_id=lead.pk, suggested_unit_id=self.units["广州市交通运输局"].pk,
            reason="城市轨道交通线网规划和建设由市人民政府负责，建议改由广州市交通运输局办理。",
        )  # fmt: skip
        self.age(wrong, days=2)
        insurance = self.accepted(d[8], "关于提高城乡居民医保财政补助标准的建议",
                                  "城乡居民医保个人缴费逐年提高，部分低收入群体参保意愿下降，建议提高财政补助标准。", self.category("医疗保障"))  # fmt: skip
        lead, mistaken, finance = self.assign(
            insurance, lead="广东省医疗保障局", co=["广东省卫生健康委员会", "广东省财政厅"]
        )
        request = services.request_reassignment(actor=self._officer(mistaken.unit), assignment_id=mistaken.pk,
                                                reason="城乡居民医保筹资和财政补助标准由医疗保障部门负责，不属于我委职责。")  # fmt: skip
        services.decide_reassignment(actor=self.staff, request_id=request.pk, approve=True,
                                     note="同意，由医疗保障局主办、财政厅会办。")  # fmt: skip
        self.receive(lead, finance)
        self.age(insurance, days=50)
        services.send_co_opinion(actor=self._officer(finance.unit), assignment_id=finance.pk,
                                 opinion="财政厅将在明年预算中统筹考虑提高补助标准。")  # fmt: skip
        self.contact(lead, "face_to_face", "到代表所在单位当面沟通，介绍医保筹资机制和补助测算情况。", days_ago=3)
        self.age(insurance, days=10)
        services.request_extension(actor=self._officer(lead.unit), assignment_id=lead.pk, months=1,
                                   reason="补助标准调整需与国家医保局政策衔接，申请延期一个月答复。")  # fmt: skip

    def in_handling(self) -> None:
        """In handling: one with an approved extension, one overdue (its reply was due last month)."""
        d = self.deputies
        river = self.accepted(d[9], "关于加强珠江流域水生态保护修复的建议",
                              "珠江部分支流水生生物多样性下降，建议开展系统修复，建立跨市生态补偿机制。", self.category("生态环境"))  # fmt: skip
        [lead] = self.assign(river, lead="广东省生态环境厅")
        self.receive(lead)
        services.save_plan(actor=self._officer(lead.unit), assignment_id=lead.pk,
                           plan="会同水利、农业农村部门开展调研，形成修复方案后答复代表。")  # fmt: skip
        self.age(river, days=80)
        request = services.request_extension(actor=self._officer(lead.unit), assignment_id=lead.pk, months=2,
                                             reason="跨市生态补偿方案需征求沿线各市意见。")  # fmt: skip
        services.decide_extension(actor=self.staff, request_id=request.pk, approve=True, note="同意延期两个月。")
        self.age(river, days=10)
        medicine = self.accepted(self.lead, "关于优化基层医疗卫生机构药品配备的建议",
                                 "基层医疗机构药品目录与上级医院不衔接，慢病患者常需到大医院开药，建议统一用药目录。", self.category("基层医疗"))  # fmt: skip
        [lead] = self.assign(medicine, lead="广东省卫生健康委员会")
        self.receive(lead)
        self.age(medicine, days=60)
        self.contact(lead, "face_to_face", "与代表当面座谈，了解基层用药需求。", days_ago=1)
        self.age(medicine, days=45)

    def separately_assigned(self) -> None:
        """Assigned separately to two units: one replied (A, rated satisfied), the other overdue."""
        d = self.deputies
        vocational = self.accepted(d[0], "关于推动职业教育产教融合的建议",
                                   "职业院校专业设置与产业需求脱节，企业参与办学积极性不高，建议完善校企合作激励政策。", self.category("职业教育"))  # fmt: skip
        province, city = self.assign(vocational, separate=["广东省教育厅", "广州市教育局"])
        self.receive(province, city)
        self.age(vocational, days=40)
        self.contact(province, "meeting", "在职业教育座谈会上与代表交流。", days_ago=2)
        answer = self.reply(province, "A", "我厅已出台产教融合型企业认定办法，对参与办学企业给予税费优惠。")
        self.rate(vocational, answer, "satisfied")
        self.age(vocational, days=60)

    def replied(self) -> None:
        """Replied (B) and waiting for the deputy's rating; the deputy objects to its publication."""
        d = self.deputies
        sewage = self.accepted(d[1], "关于加快推进农村生活污水治理的建议",
                               "部分农村生活污水处理设施建而不用、运维经费不足，建议建立长效运维机制。", self.category("农业农村"))  # fmt: skip
        [lead] = self.assign(sewage, lead="广东省生态环境厅")
        self.receive(lead)
        self.contact(lead, "phone", "电话了解代表调研的村庄情况。")
        self.age(sewage, days=30)
        self.reply(lead, "B", "已将农村生活污水治理运维经费纳入省级专项，正在制定运维管理办法。",
                   plan="2027年6月前出台运维管理办法，并将进展告知代表。")  # fmt: skip
        services.object_to_disclosure(actor=d[1].person.user, suggestion_id=sewage.pk,
                                      reason="建议涉及尚在论证的项目选址，暂不宜公开。")  # fmt: skip
        self.age(sewage, days=3)

    def session_items(self) -> None:
        """Suggestions of the last session: closed (A, published), under follow-up (B, published) and closed after
        the unit reported a C item solved."""
        d = self.deputies
        after_school = self.accepted(self.lead, "关于加强中小学课后服务经费保障的建议",
                                     "课后服务经费来源单一，教师参与积极性不高，建议建立财政补助、家长合理分担的经费保障机制。",
                                     self.category("义务教育"), session=self.session)  # fmt: skip
        self.age(after_school, days=10)
        lead, co = self.assign(after_school, lead="广东省教育厅", co=["广东省财政厅"])
        self.receive(lead, co)
        self.age(after_school, days=30)
        services.send_co_opinion(actor=self._officer(co.unit), assignment_id=co.pk,
                                 opinion="省财政已安排课后服务补助资金，支持各地建立分担机制。")  # fmt: skip
        self.contact(lead, "face_to_face", "到代表所在学校当面沟通课后服务开展情况。", days_ago=5)
        self.age(after_school, days=40)
        answer = self.reply(lead, "A", "经研究，全省已建立课后服务经费保障机制，课后服务时间延长至下午6点。")
        self.age(after_school, days=10)
        self.rate(after_school, answer, "satisfied")
        self.age(after_school, days=5)
        services.publish(actor=self.staff, suggestion_id=after_school.pk)
        self.age(after_school, days=220)
        self.after_school = after_school

        buses = self.accepted(d[2], "关于完善城乡公交一体化的建议",
                              "偏远乡村公交班次少、末班车早，群众出行不便，建议推进城乡公交一体化，优化线路和班次。",
                              self.category("交通"), session=self.session)  # fmt: skip
        self.age(buses, days=12)
        [lead] = self.assign(buses, lead="广东省交通运输厅")
        self.receive(lead)
        self.age(buses, days=50)
        self.contact(lead, "phone", "电话沟通代表关注的线路。", days_ago=3)
        answer = self.reply(lead, "B", "已将城乡公交一体化纳入年度重点工作，正在分批优化线路。",
                            plan="年底前完成首批30条线路优化，明年完成其余线路。")  # fmt: skip
        self.age(buses, days=15)
        self.rate(buses, answer, "basically_satisfied", comment="希望加快进度。")
        self.age(buses, days=5)
        services.publish(actor=self.staff, suggestion_id=buses.pk)
        self.age(buses, days=210)
        self.buses = buses

        roads = self.accepted(d[3], "关于加快农村公路安全生命防护工程建设的建议",
                              "部分农村公路临水临崖路段缺少护栏和警示标志，事故多发，建议加快安全生命防护工程建设。",
                              self.category("交通"), session=self.session)  # fmt: skip
        self.age(roads, days=12)
        [lead] = self.assign(roads, lead="广东省交通运输厅")
        self.receive(lead)
        self.age(roads, days=60)
        self.contact(lead, "face_to_face", "与代表一同实地查看临水临崖路段。", days_ago=10)
        answer = self.reply(
            lead, "C", "受资金限制，今年先完成最危险路段整治。", plan="明年争取中央车购税资金，完成剩余路段。"
        )
        self.rate(roads, answer, "satisfied")
        self.age(roads, days=150)
        services.report_solved(actor=self._officer(lead.unit), assignment_id=lead.pk,
                               note="剩余路段已于今年完成护栏和警示标志安装。")  # fmt: skip
        services.publish(actor=self.staff, suggestion_id=roads.pk)
        self.age(roads, days=40)
        self.roads = roads

    def rehandling_and_disputes(self) -> None:
        """Dissatisfied feedback sending a reply back (re-handling); a reply never rated (no response);
        dissatisfied twice and closed by the staff's decision."""
        d = self.deputies
        parking = self.accepted(d[4], "关于解决老城区停车难问题的建议",
                                "老城区停车位严重不足，车辆占道停放影响通行和消防安全，建议挖潜建设公共停车设施。", self.category("城乡建设"))  # fmt: skip
        [lead] = self.assign(parking, lead="广东省交通运输厅")
        self.receive(lead)
        self.age(parking, days=70)
        answer = self.reply(
            lead, "C", "老城区用地紧张，将结合城市更新逐步建设停车设施。", plan="结合城市更新规划逐步解决。"
        )
        self.age(parking, days=8)
        self.rate(parking, answer, "dissatisfied", "basically_satisfied",
                  comment="答复没有具体措施和时间表，请重新研究。")  # fmt: skip
        self.age(parking, days=12)

        heritage = self.accepted(d[5], "关于设立省级非物质文化遗产保护专项资金的建议",
                                 "部分非遗项目传承人年龄偏大、后继乏人，建议设立省级专项资金支持传承和展示。", self.category("文化旅游"))  # fmt: skip
        [lead] = self.assign(heritage, lead="广东省财政厅")
        self.receive(lead)
        self.age(heritage, days=60)
        self.reply(lead, "D", "相关意见已转有关部门在制定文化发展规划时参考。")
        self.age(heritage, days=35)
        services.lapse_feedback()  # the deputy did not rate within 20 working days: the reply counts as accepted

        holidays = self.accepted(d[6], "关于调整中小学寒暑假时间安排的建议",
                                 "南方夏季炎热时间长，建议适当延长暑假、缩短寒假，调整中小学校历安排。", self.category("义务教育"),
                                 session=self.session)  # fmt: skip
        self.age(holidays, days=12)
        [lead] = self.assign(holidays, lead="广东省教育厅")
        self.receive(lead)
        self.age(holidays, days=60)
        first = self.reply(lead, "D", "校历由国家统一规定，建议留作参考。")
        self.rate(holidays, first, "dissatisfied", comment="省里有权调整校历，请研究试点的可能。")
        self.age(holidays, days=25)
        second = self.reply(lead, "D", "经再次研究，暂不具备调整条件，留作参考。")
        self.rate(holidays, second, "dissatisfied", "dissatisfied", comment="仍未回应试点问题。")
        services.close(actor=self.staff, suggestion_id=holidays.pk,
                       decision="经主任会议研究，答复符合现行规定，作办结处理，并向代表说明。")  # fmt: skip
        self.age(holidays, days=200)
        self.holidays = holidays

    def delegation_majority(self, delegation) -> tuple[int, int]:
        """The delegation's recorded vote for its motion: a bare majority of all its members on the roster."""
        members = Mandate.objects.filter(delegation=delegation, status=MandateStatus.ACTIVE).count()
        return members // 2 + 1, members

    def motions(self) -> None:
        """A motion with nine co-signers (ten signatures, the provincial threshold), and a delegation's motion
        the staff converted into a suggestion."""
        d = self.deputies
        motion = self.draft(self.lead, "关于制定《广东省学前教育条例》的议案",
                            "案由：学前教育立法滞后。案据：学前教育法已施行，需制定配套地方性法规。方案：明确政府投入、师资待遇和监管责任。",
                            self.category("学前教育"), kind="motion", cosigners=d[:9],
                            session=self.session)  # fmt: skip
        for cosigner in CoSigner.objects.filter(suggestion=motion).select_related("mandate__person__user"):
            services.respond_cosign(actor=cosigner.mandate.person.user, cosigner_id=cosigner.pk, confirm=True)
        services.submit(actor=self.lead.person.user, suggestion_id=motion.pk)
        services.accept(actor=self.staff, suggestion_id=motion.pk)
        [lead] = self.assign(motion, lead="广东省教育厅")
        self.receive(lead)
        self.age(motion, days=25)
        self.contact(lead, "meeting", "召开立法调研座谈会，邀请领衔代表参加。", days_ago=4)
        self.motion = motion
        delegate = next(m for m in d if m.delegation_id)
        converted = self.submitted(delegate, "关于加强城市内涝治理的议案",
                                   "近年来城市内涝频发，建议加快排水管网改造，完善应急预案。", self.category("城乡建设"),
                                   kind="motion", delegation=delegate.delegation, session=self.session,
                                   vote=self.delegation_majority(delegate.delegation))  # fmt: skip
        services.convert_motion(actor=self.staff, suggestion_id=converted.pk)
        services.accept(actor=self.staff, suggestion_id=converted.pk)
        self.age(converted, days=2)

    def tianhe_items(self) -> None:
        """The district congress of Tianhe: one closed (A), one in handling."""
        lift = self.accepted(self.th_lead, "关于加快老旧小区加装电梯的建议",
                             "辖区老旧小区老年人多，上下楼困难，建议简化加装电梯审批，加大补贴力度。",
                             self.category("城乡建设", self.tianhe), session=self.th_session, staff=self.th_staff)  # fmt: skip
        [lead] = self.assign(lift, lead="天河区住房和建设局", staff=self.th_staff)
        self.receive(lead)
        self.age(lift, days=40)
        self.contact(lead, "face_to_face", "到小区现场与代表和居民座谈。", days_ago=5)
        answer = self.reply(lead, "A", "已简化加装电梯审批流程，补贴标准提高至每台20万元。")
        self.age(lift, days=6)
        services.give_feedback(actor=self.th_lead.person.user, suggestion_id=lift.pk, reply_id=answer.pk,
                               on_result="satisfied", on_attitude="satisfied")  # fmt: skip
        self.age(lift, days=250)
        fire = self.accepted(self.th_deputy, "关于加强城中村消防安全整治的建议",
                             "城中村出租屋密集，消防通道堵塞，电动车违规充电隐患突出，建议开展专项整治。",
                             self.category("城乡建设", self.tianhe), staff=self.th_staff)  # fmt: skip
        [lead] = self.assign(fire, lead="天河区住房和建设局", staff=self.th_staff)
        self.receive(lead)
        self.age(fire, days=20)
        self.contact(lead, "phone", "电话沟通整治重点区域。")

    def key_items(self) -> None:
        """This year's key supervision items: one led by a supervisor, one by a special committee."""
        year = self.today.year
        education = services.save_key_item(
            actor=self.staff,
            item=KeySupervision(congress=self.province, year=year, title="推进义务教育优质均衡发展",
                                leader=self.supervisor, plan="每季度听取教育厅办理进展汇报，组织代表视察两次。"),
            suggestion_ids=[self.school_places.pk, self.after_school.pk, self.holidays.pk],
        )  # fmt: skip
        services.add_progress(actor=self.supervisor, item_id=education.pk,
                              text="第一季度：听取办理情况汇报，新增公办学位建设进度符合计划。")  # fmt: skip
        services.add_progress(actor=self.supervisor, item_id=education.pk, unit_id=self.units["广东省教育厅"].pk,
                              text="请教育厅于下月底前报送学位建设项目清单。")  # fmt: skip
        committee = Organisation.objects.get(name="广东省人民代表大会财政经济委员会")
        transport = services.save_key_item(
            actor=self.staff,
            item=KeySupervision(congress=self.province, year=year, title="加快补齐综合交通运输短板",
                                committee=committee, plan="财政经济委员会牵头，开展专题调研并形成督办报告。"),
            suggestion_ids=[self.merged_primary.pk, self.buses.pk, self.roads.pk],
        )  # fmt: skip
        services.add_progress(actor=self.staff, item_id=transport.pk, unit_id=self.units["广东省交通运输厅"].pk,
                              text="请交通运输厅补充服务区充电设施建设资金安排情况。")  # fmt: skip


def _shift(queryset, fields, delta) -> None:
    rows = list(queryset)
    for row in rows:
        for name in fields:
            value = getattr(row, name)
            if value is not None:
                setattr(row, name, value - delta)
    if rows:
        queryset.model.objects.bulk_update(rows, fields)

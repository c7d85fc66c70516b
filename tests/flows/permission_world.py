"""The one world the permission matrix asks its questions of: a province with two counties, A and B.

Everything the matrix reads or acts on belongs to county A (its congress, its handling unit, its station, its
deputy); county B has the same people, so that "the other deputy", "the other unit" and "the other county's
staff" have something of their own and nothing of A's. Built once per test module through the real services
(so the rows are in the states the workflows leave them in), and rolled back afterwards."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from congress import services as core_services
from congress import webhooks
from congress.models import (
    ApiClient,
    CalendarDay,
    CalendarYear,
    ConsoleJob,
    Deadline,
    DocumentTemplate,
    IssuedDocument,
    PolicyValue,
    Role,
    RoleMembership,
    SmsAuthenticator,
    WebhookDelivery,
)
from tests import factories as core
from tests.deputies.factories import MandateFactory, PersonFactory, current_term

TZ = ZoneInfo("Asia/Shanghai")
# A working Wednesday: the campaign's public vote is open, the course's first sitting is past, its second ahead.
NOW = datetime(2026, 6, 10, 10, 0, tzinfo=TZ)
PHONE = "13912345678"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
AREAS = ["reference", "deputies", "stations", "suggestions", "training", "activities", "cases"]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%signed letter\n", content_type="application/pdf")


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@dataclass
class Client:
    """An integration client and its bearer token."""

    client: ApiClient
    token: str


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role name -> User
    clients: dict = field(default_factory=dict)  # client name -> Client
    o: SimpleNamespace = field(default_factory=SimpleNamespace)  # the objects rows point at


def _deputy(congress, name):
    user = core.UserFactory(username=name)
    RoleMembership.objects.create(user=user, role=Role.DEPUTY, congress=congress)
    mandate = MandateFactory(congress=congress, person=PersonFactory(user=user, name=name))
    return mandate, user


def _side(w: World, suffix: str, region, prefix: str):
    """A county with its congress, term and session, staff, a handling unit with its officer and a deputy."""
    o = w.o
    congress = core.CongressFactory(region=region, name=f"{region.name}人民代表大会")
    term = current_term(congress)
    session = core.SessionFactory(term=term, number=4, start_date=date(2026, 1, 10), end_date=date(2026, 1, 14))
    unit = core.OrganisationFactory(region=region, name=f"{region.name}教育局")
    setattr(o, f"congress_{suffix}", congress)
    setattr(o, f"term_{suffix}", term)
    setattr(o, f"session_{suffix}", session)
    setattr(o, f"unit_{suffix}", unit)
    w.users[f"county_staff_{suffix}"] = core.staff_of(congress, username=f"{prefix}_staff")
    w.users[f"unit_officer_{suffix}"] = core.officer_of(unit, username=f"{prefix}_officer")
    mandate, user = _deputy(congress, f"{prefix}_deputy")
    setattr(o, f"mandate_{suffix}", mandate)
    w.users[f"deputy_{suffix}"] = user


def _clients(w: World):
    """Provincial clients holding exactly one scope, or every scope but one, or none; and one of county B with
    every scope. The county A client is the one the console's client pages show."""
    o = w.o
    every = [value for value, _label in core_services.api_scopes()]

    # Issued by the system (actor None grants what it is told) to a staff member of the client's congress.
    owners = {o.congress_p: w.users["provincial_staff"], o.congress_a: w.users["county_staff_a"],
              o.congress_b: w.users["county_staff_b"]}  # fmt: skip

    def make(name, congress, scopes):
        client, token = core_services.create_api_client(
            actor=None, name=name, congress=congress, scopes=scopes, owner=owners[congress], rate_per_minute=100000
        )
        w.clients[name] = Client(client, token)

    for scope_name in every:
        make(f"only {scope_name}", o.congress_p, [scope_name])
        make(f"all but {scope_name}", o.congress_p, [s for s in every if s != scope_name])
    make("all", o.congress_p, every)
    make("none", o.congress_p, [])
    make("county b", o.congress_b, every)
    make("county a", o.congress_a, every)
    o.client_a = w.clients["county a"].client
    o.endpoint_a, _secret = webhooks.add_endpoint(
        actor=None, client=o.client_a, url="https://a.example.cn/hook", events=sorted(webhooks.EVENTS)[:1]
    )
    o.endpoint, _secret = webhooks.add_endpoint(
        actor=None, client=w.clients["all"].client, url="https://p.example.cn/hook", events=sorted(webhooks.EVENTS)[:1]
    )
    import uuid

    o.delivery_a = WebhookDelivery.objects.create(
        endpoint=o.endpoint_a, event_id=uuid.uuid4(), event=o.endpoint_a.events[0], payload={}, status="failed"
    )
    o.delivery = WebhookDelivery.objects.create(
        endpoint=o.endpoint, event_id=uuid.uuid4(), event=o.endpoint.events[0], payload={}, status="failed"
    )


def _roster(w: World):
    from deputies import services as roster
    from deputies.models import (
        ContactAssignment,
        Delegation,
        DeputyGroup,
        ElectoralUnit,
        GroupMembership,
        GuestInvitation,
        ImportJob,
        PointsItem,
        PointsTable,
    )

    o, staff = w.o, w.users["county_staff_a"]
    o.assignment_contact = ContactAssignment.objects.create(
        member=w.users["supervisor"], mandate=o.mandate_a, congress=o.congress_a
    )
    o.contact_record = roster.record_contact(
        actor=w.users["supervisor"],
        assignment_id=o.assignment_contact.pk,
        on=date(2026, 6, 1),
        mode="visit",
        topic="了解履职情况",
    )
    o.duty_entry = roster.record_duty(
        mandate=o.mandate_a, kind_code="award", on=date(2026, 5, 20), title="获得表彰", actor=staff
    )
    o.import_job = ImportJob.objects.create(
        file="imports/roster/a.xlsx", original_name="a.xlsx", created_by=staff, status=ImportJob.Status.CHECKED
    )
    o.points_table = PointsTable.objects.create(
        congress=o.congress_a, term=o.term_a, year=2025, published_at=NOW - timedelta(days=30), published_by=staff
    )
    o.points_item = PointsItem.objects.get(congress=o.congress_a, kind="station_visit")
    o.invitation = GuestInvitation.objects.create(
        mandate=o.mandate_a, meeting="常委会第十次会议", meeting_date=date(2026, 5, 28)
    )
    o.electoral_unit = ElectoralUnit.objects.create(congress=o.congress_a, term=o.term_a, name="第一选区")
    o.delegation = Delegation.objects.create(congress=o.congress_a, term=o.term_a, name="天河代表团")
    o.group = DeputyGroup.objects.create(congress=o.congress_a, term=o.term_a, name="第一代表小组")
    o.group_membership = GroupMembership.objects.create(group=o.group, mandate=o.mandate_a, role="member")
    o.qr = None
    person = o.mandate_a.person
    person.photo.save("a.png", ContentFile(PNG), save=True)
    o.person = person
    o.console_job = ConsoleJob.objects.create(
        kind="export", title="代表名册导出", status=ConsoleJob.Status.DONE, total=1, processed=1, created_by=staff
    )
    o.console_job.file.save("roster.xlsx", ContentFile(b"PK\x03\x04"), save=True)


def _stations(w: World):
    from liaison_stations import services as stations
    from liaison_stations.models import RatingCriterion, Stationing
    from tests.liaison_stations.factories import StationFactory, held_reception

    o = w.o
    manager = core.UserFactory(username="a_manager")
    o.station = StationFactory(congress=o.congress_a, region=o.congress_a.region, name="天河第一代表联络站")
    o.station.managers.add(manager)
    RoleMembership.objects.create(user=manager, role=Role.STATION_MANAGER, congress=o.congress_a)
    w.users["station_manager"] = manager
    o.stationing = Stationing.objects.create(station=o.station, mandate=o.mandate_a, start_date=o.mandate_a.start_date)
    deputy = w.users["deputy_a"]
    o.reception = stations.plan_reception(
        actor=manager,
        station_id=o.station.pk,
        day=date(2026, 6, 20),
        start=time(9),
        end=time(11),
        topic="养老服务",
        mandate_ids=[o.mandate_a.pk],
    )
    o.visit = stations.check_in(
        actor=deputy,
        station_id=o.station.pk,
        mandate_id=o.mandate_a.pk,
        activity="reception",
        visited_at=NOW - timedelta(days=1),
        citizens_received=2,
        topics="养老",
    )
    o.qr = stations.qr_code_for(actor=deputy, mandate=o.mandate_a)
    # A reception day held last week, where the manager recorded deputy A present: it awaits A's confirmation.
    o.held_reception = held_reception(o.station, [o.mandate_a], day=(NOW - timedelta(days=7)).date())
    [o.reception_attendance] = stations.mark_present(
        actor=manager, reception_id=o.held_reception.pk, mandate_ids=[o.mandate_a.pk]
    )
    # Addressed to deputy A through their QR page, heard at their station, referred to unit A.
    o.opinion = stations.submit_opinion(
        qr=o.qr, phone=PHONE, category="urban", content="小区路灯坏了一个月。", files=[png()]
    )
    stations.triage(actor=manager, opinion_id=o.opinion.pk, route="referred", unit_id=o.unit_a.pk)
    o.opinion.refresh_from_db()
    o.opinion_attachment = o.opinion.attachments.get()
    o.criterion = RatingCriterion.objects.create(congress=o.congress_a, name="场所标识", weight=100)
    o.rating = stations.evaluate_station(
        actor=w.users["county_staff_a"], station_id=o.station.pk, year=2025, scores={o.criterion.pk: 92}, note=""
    )
    o.honour = stations.record_honour(
        station_id=o.station.pk, year=2025, title="示范联络站", on=date(2025, 12, 1), source="manual"
    )


def _suggestions(w: World):
    from suggestions import services as handling
    from suggestions.models import KeySupervision
    from tests.suggestions.factories import CategoryFactory

    o, staff, deputy, officer = w.o, w.users["county_staff_a"], w.users["deputy_a"], w.users["unit_officer_a"]
    o.category = CategoryFactory(congress=o.congress_a, name="教育")
    fields = {
        "title": "关于延长课后服务时间的建议",
        "category": o.category,
        "content": "目前课后服务结束时间早于多数家长下班时间，建议延长至十八时并增加经费保障。",
    }
    draft = handling.create_draft(actor=deputy, mandate_id=o.mandate_a.pk, fields=fields)
    [o.suggestion_attachment] = handling.add_attachments(actor=deputy, suggestion_id=draft.pk, files=[pdf("a.pdf")])
    handling.submit(actor=deputy, suggestion_id=draft.pk)
    handling.accept(actor=staff, suggestion_id=draft.pk)
    handling.assign(actor=staff, suggestion_id=draft.pk, lead_id=o.unit_a.pk)
    o.suggestion = draft
    o.assignment = draft.assignments.get()
    handling.confirm_receipt(actor=officer, assignment_id=o.assignment.pk)
    o.reply = handling.reply(
        actor=officer, assignment_id=o.assignment.pk, text="经研究，已延长课后服务时间。", result="A", letter=pdf()
    )
    handling.publish(actor=staff, suggestion_id=draft.pk)
    o.suggestion.refresh_from_db()
    o.assignment.refresh_from_db()
    # A colleague's suggestion deputy A is asked to co-sign (submitted, so staff see it too).
    colleague, colleague_user = _deputy(o.congress_a, "a_colleague")
    o.colleague = colleague
    other = handling.create_draft(
        actor=colleague_user,
        mandate_id=colleague.pk,
        fields={**fields, "title": "关于增设社区食堂的建议"},
        cosigner_ids=[o.mandate_a.pk],
    )
    handling.submit(actor=colleague_user, suggestion_id=other.pk)
    o.cosigned = other
    o.cosigner = other.cosigners.get(mandate=o.mandate_a)
    # Deputy A's private draft: nobody else reads it, not even the staff of A's congress.
    o.draft = handling.create_draft(actor=deputy, mandate_id=o.mandate_a.pk, fields={**fields, "title": "草稿建议"})
    [o.draft_attachment] = handling.add_attachments(actor=deputy, suggestion_id=o.draft.pk, files=[pdf("d.pdf")])
    o.key_item = handling.save_key_item(
        actor=staff,
        item=KeySupervision(congress=o.congress_a, year=2026, title="课后服务专项督办", leader=w.users["supervisor"]),
        suggestion_ids=[o.suggestion.pk],
    )
    o.deadline = Deadline.objects.filter(congress=o.congress_a).order_by("pk").first()


def _training(w: World):
    from tests.training import factories as t
    from training import services as training
    from training.models import Attendance

    o, staff = w.o, w.users["county_staff_a"]
    with time_machine.travel(at("2026-05-11 10:00"), tick=False):
        o.plan = t.plan(staff, o.congress_a)
        o.course = t.course(
            staff,
            o.congress_a,
            title="代表履职学习班",
            sittings=(("2026-06-01 09:00", "2026-06-01 12:00"), ("2026-06-20 09:00", "2026-06-20 12:00")),
        )
        o.enrolment = t.confirmed(o.mandate_a, o.course, staff)
        # Not yet published: deputies do not see it.
        o.draft_course = t.course(
            staff,
            o.congress_a,
            title="筹备中的专题学习班",
            publish=False,
            sittings=(("2026-07-01 09:00", "2026-07-01 12:00"),),
        )
    o.sitting, o.later_sitting = o.course.sittings.order_by("starts_at")
    o.material = training.add_material(actor=staff, course_id=o.course.pk, title="学习资料", file=pdf("m.pdf"))
    training.record_attendance(actor=staff, sitting_id=o.sitting.pk, marks={o.enrolment.pk: "present"})
    o.attendance = Attendance.objects.get(sitting=o.sitting, enrolment=o.enrolment)


def _activities(w: World):
    from activities import services as activities
    from activities.models import ActivityKind, Attendance, Correction, Participant
    from tests.activities import factories as a

    o, staff = w.o, w.users["county_staff_a"]
    with time_machine.travel(at("2026-05-11 10:00"), tick=False):
        o.activity = a.activity(
            staff,
            o.congress_a,
            title="乡村振兴专题视察",
            capacity=5,
            sittings=(("2026-06-01 09:00", "2026-06-01 12:00"), ("2026-06-20 09:00", "2026-06-20 12:00")),
        )
        o.activity_invitation = a.invite_and_accept(staff, o.activity, o.mandate_a)
        # Closed, with a correction of its attendance.
        o.closed_activity = a.activity(
            staff, o.congress_a, title="执法检查（已结束）", sittings=(("2026-06-02 09:00", "2026-06-02 12:00"),)
        )
        closed_invitation = a.invite_and_accept(staff, o.closed_activity, o.mandate_a)
    o.activity_sitting, o.activity_later_sitting = o.activity.sittings.order_by("starts_at")
    o.activity_material = activities.add_material(
        actor=staff, activity_id=o.activity.pk, title="视察路线", file=pdf("route.pdf")
    )
    with time_machine.travel(at("2026-06-02 10:00"), tick=False):
        activities.record_attendance(
            actor=staff, sitting_id=o.activity_sitting.pk, marks={o.activity_invitation.pk: "present"}
        )
        closed_sitting = o.closed_activity.sittings.get()
        activities.record_attendance(actor=staff, sitting_id=closed_sitting.pk, marks={closed_invitation.pk: "present"})
        for step in (activities.start, activities.close):
            if step is activities.close:
                activities.submit_report(actor=staff, activity_id=o.closed_activity.pk, report="检查报告",
                                         findings=["农田水利设施老化", "执法检查台账不全"])  # fmt: skip
            step(actor=staff, activity_id=o.closed_activity.pk)
        activities.correct_attendance(actor=staff, sitting_id=closed_sitting.pk, invitation_id=closed_invitation.pk,
                                      status="leave", reason="经核实已请假")  # fmt: skip
        o.activity_finding, o.referred_finding = o.closed_activity.findings.order_by("number")
        activities.finding_to_unit(actor=staff, finding_id=o.referred_finding.pk, unit_id=o.unit_a.pk, workdays=10)
    o.activity_attendance = Attendance.objects.get(sitting=o.activity_sitting, invitation=o.activity_invitation)
    o.activity_correction = Correction.objects.get(attendance__invitation=closed_invitation)
    o.activity_participant = activities.save_participant(
        actor=staff, participant=Participant(activity=o.activity, kind="expert", name="李明", affiliation="兰州大学")
    )
    # A report-to-voters meeting under way, deputy A's report recorded.
    with time_machine.travel(at("2026-05-11 10:00"), tick=False):
        o.voter_meeting = a.activity(
            staff, o.congress_a, title="向选民述职会", kind=ActivityKind.objects.get(pk="report_to_voters"),
            sittings=(("2026-06-03 09:00", "2026-06-03 12:00"),),
        )  # fmt: skip
        a.invite_and_accept(staff, o.voter_meeting, o.mandate_a)
        activities.start(actor=staff, activity_id=o.voter_meeting.pk)
        o.voter_report = activities.record_voter_report(actor=staff, activity_id=o.voter_meeting.pk,
                                                        mandate_id=o.mandate_a.pk, text="述职报告", voters=30,
                                                        satisfied=25)  # fmt: skip
    _experts(w)


def _experts(w: World):
    """County A's legal pool with an expert invited to its activity; the province's own, for its clients."""
    from activities import experts
    from tests.activities import factories as a

    o, staff, prov = w.o, w.users["county_staff_a"], w.users["provincial_staff"]
    o.expert_pool = a.expert_pool(staff, o.congress_a, name="天河区法律专家库")
    o.expert = a.expert(staff, o.congress_a, pools=[o.expert_pool], name="张明远", phone="13900001111")
    (o.expert_participant,) = experts.invite_experts(actor=staff, activity_id=o.activity.pk, expert_ids=[o.expert.pk])
    o.expert_pool_p = a.expert_pool(prov, o.congress_p, code="finance", name="广东省财经专家库")
    o.expert_p = a.expert(prov, o.congress_p, pools=[o.expert_pool_p], name="陈思源", phone="13900002222")
    o.expert_spare_p = a.expert(prov, o.congress_p, pools=[o.expert_pool_p], name="林晓", phone="13900003333")
    with time_machine.travel(at("2026-05-11 10:00"), tick=False):
        o.activity_p = a.activity(prov, o.congress_p, title="全省营商环境专题调研", capacity=5)
    (o.expert_participant_p,) = experts.invite_experts(
        actor=prov, activity_id=o.activity_p.pk, expert_ids=[o.expert_p.pk]
    )


def _livelihood(w: World):
    """County A's programme with its candidate list confirmed (the vote not open yet), and last year's, published
    after county A's deputy voted."""
    from livelihood import services as livelihood
    from tests.livelihood import factories as lv

    o, staff = w.o, w.users["county_staff_a"]
    officer = w.users["unit_officer_a"]

    def through_screening(year):
        programme = lv.programme(staff, o.congress_a, o.unit_a, projects=1, year=year)
        livelihood.open_solicitation(actor=staff, programme_id=programme.pk)
        proposals = [lv.proposal(programme, n) for n in range(3)]
        livelihood.close_solicitation(actor=staff, programme_id=programme.pk)
        for proposal in proposals:
            lv.assess(officer, proposal, o.unit_a)
        kept, dropped = {p.pk: "群众呼声高" for p in proposals[:2]}, {proposals[2].pk: "已有计划"}
        livelihood.confirm_candidates(actor=staff, programme_id=programme.pk, kept=kept, dropped=dropped)
        return programme, proposals

    o.livelihood_programme, (o.livelihood_proposal, *_rest) = through_screening(2026)
    o.livelihood_candidate = o.livelihood_programme.candidates.order_by("number").first()
    from livelihood import venue

    o.livelihood_tablet, _key = venue.enrol_tablet(actor=staff, programme_id=o.livelihood_programme.pk,
                                                   label="会场平板1")  # fmt: skip
    o.livelihood_published, _proposals = through_screening(2025)
    livelihood.open_vote(actor=staff, programme_id=o.livelihood_published.pk, present=1)
    first = o.livelihood_published.candidates.order_by("number").first()
    livelihood.cast_vote(actor=w.users["deputy_a"], programme_id=o.livelihood_published.pk, candidate_ids=[first.pk])
    livelihood.close_vote(actor=staff, programme_id=o.livelihood_published.pk)
    livelihood.publish(actor=staff, programme_id=o.livelihood_published.pk)
    # A tie decision on record, for the API's reads (a world this small has no tie to break through the service).
    from livelihood.models import Decision

    o.livelihood_decision = Decision.objects.create(
        programme=o.livelihood_published, candidate_ids=[first.pk], reason="主任会议决定", decided_by=staff
    )
    # Last year's chosen project appraised: deputy A found it unsatisfactory, so it is back with unit A (its
    # department) for correction; and the other candidate's count corrected on record.
    from livelihood import appraisal, corrections

    o.livelihood_published_candidate = first
    appraisal.open_appraisal(actor=staff, programme_id=o.livelihood_published.pk, appraise_from=date(2020, 1, 1),
                             appraise_until=date(2099, 12, 31))  # fmt: skip
    appraisal.rate(actor=w.users["deputy_a"], programme_id=o.livelihood_published.pk,
                   verdicts={first.pk: "dissatisfied"})  # fmt: skip
    appraisal.close_appraisal(actor=staff, programme_id=o.livelihood_published.pk)
    o.livelihood_appraisal = first.appraisal
    other = o.livelihood_published.candidates.exclude(pk=first.pk).first()
    o.livelihood_correction = corrections.correct_result(actor=staff, candidate_id=other.pk, votes=1,
                                                         outcome="not_chosen", reason="复核计票")  # fmt: skip
    _livelihood_carried(w)


def _livelihood_carried(w: World):
    """Last year's chosen project, carried out by county A's unit (its department): a milestone, this quarter's
    progress report with a photo, a supervision group led by a committee of county A with deputy A, and a visit."""
    from livelihood import carrying
    from tests.livelihood import factories as lv

    o, staff = w.o, w.users["county_staff_a"]
    o.livelihood_project = o.livelihood_published.candidates.get(outcome="chosen")
    o.livelihood_milestone = lv.milestone(staff, o.livelihood_project, title="完成施工招标", workdays=20)
    o.livelihood_report = carrying.file_progress_report(
        actor=w.users["unit_officer_a"], project_id=o.livelihood_project.pk, year=2026, quarter=2, text="主体施工完成",
        spent=120, photos=[png()],
    )  # fmt: skip
    o.livelihood_photo = o.livelihood_report.photos.get()
    o.livelihood_supervision = lv.supervision_group(staff, o.livelihood_project, [o.mandate_a])
    o.livelihood_visit = carrying.record_site_visit(
        actor=w.users["deputy_a"], project_id=o.livelihood_project.pk, visited_on=date(2026, 6, 9), place="长者饭堂",
        seen="主体已封顶",
    )  # fmt: skip


def _cases(w: World):
    from cases import services as cases
    from cases.models import Award, CampaignKind, Decision, RoundKind
    from tests.cases import factories as c

    o, staff, officer, supervisor = w.o, w.users["county_staff_a"], w.users["unit_officer_a"], w.users["supervisor"]
    with c.travel("2026-05-05 10:00"):
        # Duty cases, in a ballot round the supervisor votes in.
        o.campaign = c.campaign(
            staff,
            o.congress_a,
            [o.unit_a],
            title="2026年度代表履职优秀案例",
            opens=date(2026, 5, 1),
            closes=date(2026, 5, 31),
        )
        o.invitation_unit = o.campaign.units.get()
        o.submission = c.submission(
            officer, o.campaign, title="社区议事厅", level=o.mandate_a.level, mandates=[o.mandate_a], submit=False
        )
        cases.save_submission(actor=officer, submission_id=o.submission.pk, fields={}, files=[png()])
        cases.submit(actor=officer, submission_id=o.submission.pk)
        o.case_file = o.submission.files.get()
        # A case unit A is still writing: staff see it once it is submitted.
        o.draft_submission = c.submission(officer, o.campaign, title="社区议事厅（草稿）", level="county", submit=False)
        cases.close_submissions(actor=staff, campaign_id=o.campaign.pk)
        o.round = c.round_(
            staff,
            o.campaign,
            RoundKind.BALLOT,
            opens="2026-06-01 09:00",
            closes="2026-06-30 17:00",
            voters=[(supervisor, None)],
            approvals_per_voter=1,
            advance=1,
        )
        cases.open_round(actor=staff, round_id=o.round.pk)
        # Demonstration stations, in a public online vote.
        o.poll = c.campaign(
            staff,
            o.congress_a,
            [o.unit_a],
            kind=CampaignKind.STATION,
            title="示范家站点",
            opens=date(2026, 5, 1),
            closes=date(2026, 5, 31),
        )
        o.poll_case = c.submission(officer, o.poll, title="天河第一代表联络站", station=o.station, submit=False)
        cases.save_submission(actor=officer, submission_id=o.poll_case.pk, fields={}, files=[png()])
        cases.submit(actor=officer, submission_id=o.poll_case.pk)
        o.poll_photo = o.poll_case.files.get()
        cases.close_submissions(actor=staff, campaign_id=o.poll.pk)
        o.poll_round = c.round_(
            staff,
            o.poll,
            RoundKind.WEIGHTED,
            opens="2026-06-01 09:00",
            closes="2026-06-30 17:00",
            voters=[(supervisor, None)],
            criteria=[("成效", 100)],
            advance=1,
            public_vote=True,
            online_weight=50,
            panel_weight=50,
        )
        cases.open_round(actor=staff, round_id=o.poll_round.pk)
        # Still being prepared: the invited unit does not see it yet.
        o.draft_campaign = c.campaign(
            staff,
            o.congress_a,
            [o.unit_a],
            title="2026年度建议办理优秀案例",
            kind=CampaignKind.SUGGESTION,
            opens=date(2026, 7, 1),
            closes=date(2026, 7, 31),
            announce=False,
        )
    o.campaign.refresh_from_db()
    o.poll.refresh_from_db()
    # The console lists decisions and awards; the workflows make them only at the end of a campaign.
    o.decision = Decision.objects.create(
        round=o.round, kind="confirm", submission_ids=[o.submission.pk], reason="名单确认", decided_by=staff
    )
    o.award = Award.objects.create(campaign=o.campaign, submission=o.submission, rank=1)


def _reference(w: World):
    from django.contrib.auth.models import Group
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    o = w.o
    o.policy = PolicyValue.objects.create(congress=o.congress_a, key="suggestion.reply_period", value=2)
    staff_a = w.users["county_staff_a"]
    o.document_template = DocumentTemplate.objects.create(
        congress=o.congress_a, kind="assignment_letter", number_prefix="天人常交", uploaded_by=staff_a
    )
    o.issued_document = IssuedDocument.objects.create(
        congress=o.congress_a, kind="assignment_letter", year=2026, sequence=1, number="天人常交〔2026〕1号",
        subject="2026-03-10:0:1", title="关于交办代表建议的函", issued_by=staff_a,
    )  # fmt: skip
    o.calendar_year = CalendarYear.objects.get_or_create(year=2026, defaults={"complete": True})[0]
    o.calendar_day = CalendarDay.objects.get_or_create(
        date=date(2026, 10, 1), defaults={"is_workday": False, "name": "国庆节"}
    )[0]
    o.group_auth = Group.objects.get_or_create(name="matrix")[0]
    o.user_a = w.users["unit_officer_a"]
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        o.device = TOTPDevice.objects.create(user=o.user_a, name="phone", confirmed=True)
    o.sms_device = SmsAuthenticator.objects.create(user=staff_a, name="sms", phone="13800138001", confirmed=True)
    o.sms_pending = SmsAuthenticator.objects.create(user=staff_a, name="sms", phone="13800138002", confirmed=False)
    o.interval = IntervalSchedule.objects.get_or_create(every=7, period="days")[0]
    o.crontab = CrontabSchedule.objects.get_or_create(minute="7", hour="3")[0]
    o.solar = SolarSchedule.objects.get_or_create(event="sunrise", latitude=23.1, longitude=113.3)[0]
    o.clocked = ClockedSchedule.objects.get_or_create(clocked_time=NOW + timedelta(days=1))[0]
    o.periodic_task = PeriodicTask.objects.get_or_create(
        name="matrix", defaults={"task": "matrix", "interval": o.interval}
    )[0]


def _axes(w: World):
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    o = w.o
    o.access_attempt = AccessAttempt.objects.create(
        username="a_staff",
        ip_address="10.0.0.1",
        failures_since_start=1,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/",
    )
    o.access_log = AccessLog.objects.create(username="a_staff", ip_address="10.0.0.1", http_accept="", path_info="/")
    o.access_failure = AccessFailureLog.objects.create(
        username="a_staff", ip_address="10.0.0.1", http_accept="", path_info="/", locked_out=False
    )
    o.log_entry = LogEntry.objects.filter(object_repr__contains="课后服务").order_by("pk").first()


def build() -> World:
    w = World()
    o = w.o
    province = core.province()
    o.region_p = province
    o.congress_p = core.CongressFactory(region=province)
    current_term(o.congress_p)
    o.region_a = core.county("440106", "天河区")
    o.region_b = core.county("440104", "越秀区")
    w.users["provincial_staff"] = core.staff_of(o.congress_p, username="p_staff")
    _side(w, "a", o.region_a, "a")
    _side(w, "b", o.region_b, "b")
    supervisor = core.UserFactory(username="a_supervisor")
    RoleMembership.objects.create(user=supervisor, role=Role.SUPERVISOR, congress=o.congress_a)
    w.users["supervisor"] = supervisor
    o.supervisor = supervisor
    _clients(w)
    _roster(w)
    _stations(w)
    _suggestions(w)
    _training(w)
    _activities(w)
    _livelihood(w)
    _cases(w)
    _reference(w)
    _axes(w)
    _topics(w)
    return w


def _topics(w) -> None:
    """Two topics of county A (one to merge into the other); county B has none."""
    from congress.models import Topic

    o = w.o
    o.topic = Topic.objects.create(congress=o.congress_a, region_code=o.region_a.code, label="电梯、加装",
                                   keywords=["电梯", "加装"], item_count=4)  # fmt: skip
    o.other_topic = Topic.objects.create(congress=o.congress_a, region_code=o.region_a.code, label="停车位",
                                         keywords=["停车位"], item_count=3)  # fmt: skip

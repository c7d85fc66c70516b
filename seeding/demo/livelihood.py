"""Demo livelihood-project vote of the Tianhe district congress: next year's programme collecting proposals,
with citizens' proposals (two of them the same project, merged) and one a station recorded, the district
government office's assessments of the first ones, so staff, the office and the public pages show real rows.
This year's programme is past its vote: 31 deputies voted (two on their phones, the rest on paper entered by two
tellers, one sheet spoiled), four of six candidates were chosen and published, and they are being carried out with
milestones, a progress report and supervision groups.

Everything goes through livelihood.services. Safe to run again: the programme is added only once."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from congress import services as core_services
from congress.models import Congress, Organisation, OrganisationKind, Region, Role, RoleMembership, UnitCategory, User
from deputies.models import Mandate, MandateStatus
from livelihood import carrying, paper, services
from livelihood.models import Feasibility, Programme, Source
from seeding.demo.congress import DEMO_PASSWORD

PROPOSALS = [
    (
        "老旧小区加装电梯",
        "石牌街道多个老旧小区没有电梯，老年人上下楼困难，建议统筹加装电梯。",
        "石牌街道",
        "约3000名老年居民",
    ),
    ("社区长者食堂", "在每个街道开办长者食堂，为老年人提供价廉质优的助餐服务。", "天河区各街道", "全区60岁以上老人"),
    ("中小学周边交通安全改造", "学校门口上下学时段拥堵，建议设置接送区和过街设施。", "五山街道", "在校学生和家长"),
    ("老旧小区电梯加装", "希望给我们小区装电梯。", "石牌街道", ""),
    ("口袋公园建设", "利用边角地建设口袋公园，方便居民就近休闲。", "五山街道", "周边居民"),
    ("社区卫生服务站延时服务", "社区卫生服务站晚上和周末开放，方便上班族就医。", "天河区各街道", "上班族和老人"),
]


def seed() -> None:
    congress = Congress.objects.filter(region__code="440106").select_related("region").first()
    staff = User.objects.filter(username="th_staff").first()
    if congress is None or staff is None or Programme.objects.filter(congress=congress).exists():
        return  # seed_demo's structure is missing, or the programme is there
    with transaction.atomic():
        _run(congress, staff)


def _run(congress, staff):
    region = Region.objects.get(code="440106")
    office, _ = Organisation.objects.get_or_create(
        region=region, name="天河区人民政府办公室",
        defaults={"kind": OrganisationKind.HANDLING_UNIT, "unit_category": UnitCategory.GOVERNMENT},
    )  # fmt: skip
    # The office's officer signs in with the demo password, like the other demo logins.
    officer, created = User.objects.get_or_create(username="th_office",
                                                  defaults={"name": "郑海燕", "email": "th_office@example.cn"})  # fmt: skip
    if created:
        officer.set_password(DEMO_PASSWORD)
        officer.save()
    if not RoleMembership.objects.filter(user=officer, role=Role.UNIT_OFFICER, organisation=office).exists():
        core_services.grant_role(actor=None, user=officer, role=Role.UNIT_OFFICER, organisation=office)
    department = Organisation.objects.filter(region=region, name="天河区住房和建设局").first()
    today = timezone.localdate()
    _this_year(congress, staff, office, officer, department, today)
    programme = services.create_programme(
        actor=staff, congress_id=congress.pk, year=today.year + 1, title=f"天河区{today.year + 1}年民生实事项目",
        solicit_from=today - timedelta(days=10), solicit_until=today + timedelta(days=20),
        vote_on=today + timedelta(days=45), projects=10, office=office,
    )  # fmt: skip
    services.open_solicitation(actor=staff, programme_id=programme.pk)
    made = []
    for n, (title, description, area, benefit) in enumerate(PROPOSALS):
        made.append(services.submit_proposal(
            programme_id=programme.pk, source=Source.CITIZEN, title=title, description=description, area=area,
            benefit=benefit, phone=f"1380020{n:04d}", today=today,
        ))  # fmt: skip
    services.merge_proposals(actor=staff, keep_id=made[0].pk, merged_ids=[made[3].pk])
    for proposal in made[:3]:
        services.assess_proposal(actor=officer, proposal_id=proposal.pk, feasibility=Feasibility.FEASIBLE,
                                 cost=1200, department=department, assessment="资金可纳入明年预算，用地已落实。")  # fmt: skip


# This year's programme: eight proposals, six candidates for four projects, and the votes each candidate gets from
# the 30 valid ballots (a project needs more than half of the 31 deputies present, so 16).
THIS_YEAR = [
    ("社区长者饭堂提质扩面", "在全区增设长者饭堂，提供助餐配送服务。", "天河区各街道", 27),
    ("老旧小区加装电梯", "对符合条件的老旧小区统筹加装电梯。", "石牌街道", 24),
    ("中小学校门口护学通道", "在学校门口设置接送区和护学通道。", "五山街道", 20),
    ("口袋公园和健身步道", "利用边角地建设口袋公园和健身步道。", "车陂街道", 17),
    ("农贸市场升级改造", "改造老旧农贸市场的排水和通风。", "棠下街道", 11),
    ("社区托育服务点", "在社区开设普惠托育服务点。", "猎德街道", 8),
    ("地铁站接驳公交", "增开地铁站接驳微循环公交。", "天河区", None),
    ("夜间施工噪声治理", "加强夜间施工噪声监测和执法。", "天河区", None),
]
TELLER = ("th_teller", "何嘉欣", "th_teller@example.cn")
HOUSING_OFFICER = ("th_housing_officer", "邓海涛", "th_housing_officer@example.cn")


def _login(username, name, email, **role):
    user, created = User.objects.get_or_create(username=username, defaults={"name": name, "email": email})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    if not RoleMembership.objects.filter(user=user, **role).exists():
        core_services.grant_role(actor=None, user=user, **role)
    return user


def _ballots(candidates, count: int) -> list[list[int]]:
    """`count` ballots giving each candidate its votes (at most one per ballot), each marking at most four: every
    candidate's votes go to the ballots with the fewest marks so far."""
    ballots = [[] for _ in range(count)]
    for candidate, votes in candidates:
        for ballot in sorted(ballots, key=len)[: min(votes, count)]:
            ballot.append(candidate.pk)
    return ballots


def _this_year(congress, staff, office, officer, department, today):
    year = today.year
    teller = _login(*TELLER, role=Role.STAFF, congress=congress)
    housing = _login(*HOUSING_OFFICER, role=Role.UNIT_OFFICER, organisation=department)
    programme = services.create_programme(
        actor=staff, congress_id=congress.pk, year=year, title=f"天河区{year}年民生实事项目",
        solicit_from=date(year - 1, 10, 8), solicit_until=date(year - 1, 11, 15), screen_until=date(year - 1, 12, 20),
        vote_on=date(year, 1, 9), carry_until=date(year, 12, 31), appraise_from=date(year, 12, 15),
        appraise_until=date(year, 12, 31), projects=4, office=office,
    )  # fmt: skip
    services.open_solicitation(actor=staff, programme_id=programme.pk)
    proposals = [
        services.submit_proposal(
            programme_id=programme.pk,
            source=Source.CITIZEN,
            title=title,
            description=description,
            area=area,
            phone=f"1380030{n:04d}",
            today=programme.solicit_from,
        )  # fmt: skip
        for n, (title, description, area, _votes) in enumerate(THIS_YEAR)
    ]
    services.close_solicitation(actor=staff, programme_id=programme.pk)
    for proposal, (*_text, votes) in zip(proposals, THIS_YEAR, strict=True):
        feasible = votes is not None
        services.assess_proposal(
            actor=officer, proposal_id=proposal.pk,
            feasibility=Feasibility.FEASIBLE if feasible else Feasibility.NOT_FEASIBLE, cost=800 if feasible else 0,
            department=department if feasible else None,
            assessment="资金已纳入年度预算，用地已落实。" if feasible else "属于市级事权，已转市有关部门研究。",
        )  # fmt: skip
    kept = {p.pk: "群众呼声高，资金和用地可落实" for p, row in zip(proposals, THIS_YEAR, strict=True) if row[3]}
    dropped = {p.pk: "属于市级事权，不列入区级项目" for p, row in zip(proposals, THIS_YEAR, strict=True) if not row[3]}
    candidates = services.confirm_candidates(actor=staff, programme_id=programme.pk, kept=kept, dropped=dropped)

    seats = list(Mandate.objects.filter(congress=congress, status=MandateStatus.ACTIVE)
                 .select_related("person").order_by("pk"))  # fmt: skip
    services.open_vote(actor=staff, programme_id=programme.pk, present=len(seats))
    # Every deputy present votes; the last paper sheet is spoiled, the others are the designed ballots.
    ballots = _ballots(zip(candidates, [row[3] for row in THIS_YEAR if row[3]], strict=True), len(seats) - 1)
    on_phone = [m for m in seats if m.person.user_id][: len(seats) - 1]
    for mandate in on_phone:
        services.cast_vote(actor=mandate.person.user, programme_id=programme.pk, candidate_ids=ballots.pop())
    on_paper = [m for m in seats if m not in on_phone]
    for mandate in on_paper:
        paper.issue_paper(actor=staff, programme_id=programme.pk, mandate_id=mandate.pk)
    # The paper sheets: the remaining designed ballots, then one spoiled sheet; each entered by both tellers.
    sheets = [*ballots, None]
    for number, marks in enumerate(sheets, start=1):
        for who in (staff, teller):
            paper.enter_sheet(actor=who, programme_id=programme.pk, number=number, candidate_ids=marks or [],
                              spoiled=marks is None)  # fmt: skip
    services.close_vote(actor=staff, programme_id=programme.pk)
    services.publish(actor=staff, programme_id=programme.pk)

    chosen = [c for c in candidates if c.number <= 4]
    # The supervision groups: led by the standing committee's social-affairs working body, with the district's
    # regional deputy groups in turn.
    committee, _ = Organisation.objects.get_or_create(
        region=congress.region, name="天河区人大常委会社会建设工作委员会",
        defaults={"kind": OrganisationKind.WORKING_BODY, "congress": congress},
    )  # fmt: skip
    groups = list(carrying.groups_for(programme).filter(kind="regional")) or list(carrying.groups_for(programme))
    for n, project in enumerate(chosen):
        carrying.set_milestone(actor=staff, project_id=project.pk, title="完成选址和设计", workdays=10 + 10 * n,
                               today=today)  # fmt: skip
        carrying.set_milestone(actor=housing, project_id=project.pk, title="主体完工并投入使用", workdays=60,
                               today=today)  # fmt: skip
        if groups:
            carrying.assign_supervision(actor=staff, project_id=project.pk, committee_id=committee.pk,
                                        group_id=groups[n % len(groups)].pk)  # fmt: skip
    year_q, quarter = carrying.open_quarters(congress, today)[-1]
    carrying.file_progress_report(
        actor=housing, project_id=chosen[0].pk, year=year_q, quarter=quarter, spent=520, today=today,
        text="已在12个街道开设长者饭堂，日均服务老年人约2600人次；配送服务覆盖行动不便老人。",
    )  # fmt: skip

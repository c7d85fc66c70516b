"""Demo livelihood-project vote of the Tianhe district congress: next year's programme collecting proposals,
with citizens' proposals (two of them the same project, merged) and one a station recorded, the district
government office's assessments of the first ones, so staff, the office and the public pages show real rows.

Everything goes through livelihood.services. Safe to run again: the programme is added only once."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from congress import services as core_services
from congress.models import Congress, Organisation, OrganisationKind, Region, Role, RoleMembership, UnitCategory, User
from livelihood import services
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

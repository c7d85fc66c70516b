"""A realistic demo roster: deterministic, so seed_demo can run again without adding twice."""

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from congress import crypto
from congress.models import Congress, Term
from deputies import idnumbers
from deputies.models import (
    Delegation,
    DeputyGroup,
    DutyEntry,
    DutyKind,
    ElectoralUnit,
    GroupKind,
    GroupMembership,
    GroupRole,
    Mandate,
    Person,
    Tag,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈姚卢钟"
# Given names by gender, so a deputy's name reads as their recorded gender.
GIVEN_MALE = ["建国", "志强", "伟", "军", "勇", "杰", "涛", "明", "超", "刚", "晓东", "文华", "国强", "春生", "少华",
              "振华", "宏伟", "海涛", "德明", "永康", "俊峰", "家豪"]  # fmt: skip
GIVEN_FEMALE = ["秀英", "丽华", "敏", "静", "艳", "娟", "秀兰", "霞", "桂英", "玉梅", "海燕", "红梅", "雪梅", "晓燕",
                "丽萍", "慧敏", "婷婷", "淑芬", "美玲", "秋菊", "佳怡", "凤英"]  # fmt: skip
WORK = [
    ("worker_farmer", "村党支部书记、村委会主任", True), ("worker_farmer", "制造有限公司一线技术工人", True),
    ("worker_farmer", "农民专业合作社理事长", True), ("professional", "人民医院主任医师", False),
    ("professional", "中学高级教师", True), ("professional", "大学教授", False), ("cadre", "区人民政府区长", False),
    ("cadre", "街道党工委书记", True), ("manager", "科技股份有限公司董事长", False),
    ("manager", "物流集团总经理", False), ("other", "律师事务所主任律师", False),
]  # fmt: skip
EXPERTISE = ["教育", "医疗卫生", "法律", "农业农村", "科技创新", "生态环境", "财政经济", "城乡建设"]
INDUSTRY = ["制造业", "农林牧渔业", "教育", "卫生和社会工作", "信息技术服务业", "交通运输", "金融业", "建筑业"]

# congress region code → (how many deputies, ID prefix, delegations, groups, electoral units)
ROSTERS = {
    "44": (
        60,
        "440106",
        ["广州代表团", "深圳代表团"],
        ["教育科技组", "医药卫生组", "乡村振兴组"],
        ["广州市", "深圳市"],
    ),
    "440106": (30, "440106", [], ["五山代表小组", "石牌代表小组"], [f"第{n}选区" for n in range(1, 7)]),
    "440117101": (15, "440117", [], ["温泉村代表小组"], [f"第{n}选区" for n in range(1, 4)]),
}


def seed(deputy_user=None) -> int:
    """Create the demo roster if missing; returns how many persons were added."""
    rng = random.Random(2026)
    added = 0
    tags = [Tag.objects.get_or_create(kind="expertise", name=n)[0] for n in EXPERTISE] + [
        Tag.objects.get_or_create(kind="industry", name=n)[0] for n in INDUSTRY
    ]
    # Two deputies of one name cannot be told apart in a picker: the demo roster has each name once.
    used = set(Person.objects.values_list("name", flat=True)) | {"李秀英"}  # the demo deputy login, added below
    with transaction.atomic():
        for code, (count, prefix, delegations, groups, units) in ROSTERS.items():
            congress = Congress.objects.get(region__code=code)
            term = Term.objects.filter(congress=congress).order_by("-number").first()
            delegation_rows = [
                Delegation.objects.get_or_create(congress=congress, term=term, name=n)[0] for n in delegations
            ]
            group_rows = [DeputyGroup.objects.get_or_create(congress=congress, term=term, name=n)[0] for n in groups]
            unit_rows = [ElectoralUnit.objects.get_or_create(congress=congress, term=term, name=n)[0] for n in units]
            for index in range(count):
                born = date(rng.randint(1960, 1992), rng.randint(1, 12), rng.randint(1, 28))
                female = rng.random() < 0.3
                sequence = 100 + index * 2 + (0 if female else 1) + len(code) * 100
                id_number = idnumbers.make(prefix, born, sequence)
                occupation, title, grassroots = rng.choice(WORK)
                name = _unique_name(rng, GIVEN_FEMALE if female else GIVEN_MALE, used)
                person, created = Person.objects.get_or_create(
                    id_number_hash=crypto.id_number_index(id_number),
                    defaults={
                        "id_number": id_number,
                        "name": name,
                        "gender": "F" if female else "M",
                        "ethnic_group_id": "01" if rng.random() < 0.88 else rng.choice(["03", "08", "15", "22"]),
                        "birth_date": born,
                        "party_id": rng.choice(["01"] * 6 + ["05", "06", "07", "10", "12", "13"]),
                        "education": rng.choice(["postgraduate", "undergraduate", "undergraduate", "college"]),
                        "occupation": occupation,
                        "work_unit": title,
                        "grassroots": grassroots,
                        "returned_overseas": rng.random() < 0.03,
                        "phone": f"139{rng.randint(10000000, 99999999)}",
                        "preferred_contact": rng.choice(["", "", "phone", "phone", "sms", "wechat", "office"]),
                        "address": f"广东省广州市天河区五山路{rng.randint(1, 400)}号",
                    },
                )
                if created:
                    added += 1
                    person.tags.set(rng.sample(tags, 2))
                mandate, new_seat = Mandate.objects.get_or_create(
                    person=person,
                    congress=congress,
                    term=term,
                    defaults={
                        "level": congress.level,
                        "start_date": term.start_date,
                        "delegation": rng.choice(delegation_rows) if delegation_rows else None,
                        "electoral_unit": rng.choice(unit_rows),
                    },
                )
                if new_seat:
                    GroupMembership.objects.create(group=rng.choice(group_rows), mandate=mandate, since=term.start_date)
        if deputy_user is not None:
            _link_demo_deputy(deputy_user)
        for code in ROSTERS:
            _professional_groups(rng, Congress.objects.get(region__code=code))
    return added


# Professional groups (代表专业小组) of each demo congress, by field; the first member chosen leads the group.
PROFESSIONAL_GROUPS = [("法制专业小组", "法制"), ("财经专业小组", "财经"), ("教科文卫专业小组", "教科文卫")]


def _professional_groups(rng, congress) -> None:
    term = Term.objects.filter(congress=congress).order_by("-number").first()
    mandates = list(Mandate.objects.filter(congress=congress, term=term).select_related("person").order_by("id"))
    for name, remit in PROFESSIONAL_GROUPS:
        group, created = DeputyGroup.objects.get_or_create(
            congress=congress, term=term, name=name, defaults={"kind": GroupKind.PROFESSIONAL, "remit": remit}
        )
        if not created or not mandates:
            continue
        chosen = rng.sample(mandates, min(4, len(mandates)))
        mine = [m for m in mandates if m.person.user_id]  # the demo deputy sits in the first group of their congress
        if mine and name == PROFESSIONAL_GROUPS[0][0] and mine[0] not in chosen:
            chosen[-1] = mine[0]
        for index, mandate in enumerate(chosen):
            role = GroupRole.LEADER if index == 0 else GroupRole.DEPUTY_LEADER if index == 1 else GroupRole.MEMBER
            GroupMembership.objects.create(group=group, mandate=mandate, role=role, since=term.start_date)


def _unique_name(rng, given: list[str], used: set[str]) -> str:
    """A surname and a given name of the deputy's gender, not yet on the demo roster."""
    while True:
        name = rng.choice(SURNAMES) + rng.choice(given)
        if name not in used:
            used.add(name)
            return name


def _link_demo_deputy(user) -> None:
    """The demo deputy login is 李秀英, a provincial deputy who also sits in the Tianhe district congress."""
    from congress.models import Role, RoleMembership

    person = Person.objects.filter(user=user).first()
    if person is None:
        born = date(1975, 3, 8)
        person, _ = Person.objects.get_or_create(
            id_number_hash=crypto.id_number_index(idnumbers.make("440106", born, 2)),
            defaults={"id_number": idnumbers.make("440106", born, 2), "name": "李秀英", "gender": "F", "ethnic_group_id": "01", "birth_date": born, "party_id": "01",
                      "education": "undergraduate", "occupation": "professional",
                      "work_unit": "广州市第一人民医院主任医师", "grassroots": False, "phone": "13800138000",
                      "preferred_contact": "wechat", "contact_note": "工作日18:00以后"},
        )  # fmt: skip
        person.user = user
        person.save(update_fields=["user"])
    for code in ("44", "440106"):
        other = Congress.objects.get(region__code=code)
        term = Term.objects.filter(congress=other).order_by("-number").first()
        Mandate.objects.get_or_create(
            person=person, congress=other, term=term, defaults={"level": other.level, "start_date": term.start_date}
        )
        RoleMembership.objects.get_or_create(user=user, role=Role.DEPUTY, congress=other)


# What staff record in a year, by how active a deputy is: kind → how many (training hours, station visits,
# suggestions and case awards come from those apps' own demo data, so they are not invented here).
PROFILES = {
    "active": {"session_attendance": 1, "session_speech": 2, "inspection": 4, "group_activity": 4,
               "legislative_consultation": 2, "special_inquiry": 1, "budget_review": 1, "voter_contact": 12,
               "report_to_voters": 1, "livelihood_vote": 1, "publicity": 1},
    "normal": {"session_attendance": 1, "inspection": 2, "group_activity": 4, "voter_contact": 10,
               "report_to_voters": 1},
    "low": {"session_attendance": 1, "group_activity": 1, "voter_contact": 2, "session_absence_half_day": 2},
    "absent": {"session_absence_unexcused": 1, "activity_absence_unexcused": 2},
}  # fmt: skip
SHARES = ["active"] * 4 + ["normal"] * 10 + ["low"] * 4 + ["absent"] * 2


def duty_records() -> int:
    """Last year and this year so far of staff-recorded duty entries for every demo deputy, so the points page
    shows a spread of grades; returns how many entries were added (each entry's source makes a rerun add none).
    Written in one batch, as the scale generator does: a few thousand rows through record_duty one by one would
    slow every test that loads the demo."""
    today = timezone.localdate()
    names = dict(DutyKind.objects.values_list("code", "name"))
    entries = []
    mandates = Mandate.objects.filter(congress__region__code__in=ROSTERS).select_related("person")
    for mandate in mandates.order_by("pk"):
        rng = random.Random(mandate.pk)
        for year in (today.year - 1, today.year):
            # The demo deputy's own record reads as a typical year.
            profile = "normal" if mandate.person.user_id is not None else rng.choice(SHARES)
            months = 12 if year < today.year else today.month
            for kind, count in PROFILES[profile].items():
                if count > 1:
                    count += rng.choice([-1, 0, 0, 1])  # no two deputies alike
                for n in range(count):
                    on = min(today, date(year, 1 + (n * 5 + rng.randrange(12)) % months, rng.randint(1, 28)))
                    entries.append(
                        DutyEntry(mandate=mandate, kind_id=kind, date=on, year=on.year, title=names[kind],
                                  source=f"demo:{year}:{kind}:{n}")
                    )  # fmt: skip
    before = DutyEntry.objects.count()
    DutyEntry.objects.bulk_create(entries, batch_size=2000, ignore_conflicts=True)
    return DutyEntry.objects.count() - before

"""The core's part of `manage.py seed_demo`: one province (Guangdong) with two cities, four counties, townships
and villages; congresses at all five levels with terms and sessions; committees, working bodies and handling
units; one login per role. Safe to run again: it finds what is there instead of adding twice."""

from datetime import date, timedelta

from congress import services
from congress.models import (
    ApiClient,
    Congress,
    Organisation,
    PolicyValue,
    Region,
    Role,
    RoleMembership,
    Session,
    Term,
    User,
)

DEMO_PASSWORD = "Renda@2026-demo"
# The demo staff accounts' authenticator (two-factor sign-in): one known key, like the shared password.
DEMO_TOTP_KEY = b"renda-demo-totp-2026".hex()

REGIONS = [
    # code, name, level, parent code
    ("44", "广东省", "province", ""),
    ("4401", "广州市", "city", "44"),
    ("4403", "深圳市", "city", "44"),
    ("440106", "天河区", "county", "4401"),
    ("440117", "从化区", "county", "4401"),
    ("440304", "福田区", "county", "4403"),
    ("440305", "南山区", "county", "4403"),
    ("440106001", "五山街道", "township", "440106"),
    ("440106002", "石牌街道", "township", "440106"),
    ("440117101", "温泉镇", "township", "440117"),
    ("440117102", "良口镇", "township", "440117"),
    ("440304001", "园岭街道", "township", "440304"),
    ("440305001", "南头街道", "township", "440305"),
    ("440106001001", "华工社区", "village", "440106001"),
    ("440117101201", "石海村", "village", "440117101"),
    ("440117102201", "塘尾村", "village", "440117102"),
]

# region code, congress name, current term number, term start, first-session month/day
CONGRESSES = [
    ("", "中华人民共和国全国人民代表大会", 14, date(2023, 3, 5), (3, 5)),
    ("44", "广东省人民代表大会", 14, date(2023, 1, 12), (1, 12)),
    ("4401", "广州市人民代表大会", 16, date(2022, 1, 6), (1, 6)),
    ("4403", "深圳市人民代表大会", 7, date(2021, 6, 1), (1, 20)),
    ("440106", "广州市天河区人民代表大会", 18, date(2021, 12, 1), (12, 1)),
    ("440117", "广州市从化区人民代表大会", 4, date(2021, 12, 1), (12, 1)),
    ("440304", "深圳市福田区人民代表大会", 8, date(2021, 12, 1), (12, 1)),
    ("440305", "深圳市南山区人民代表大会", 8, date(2021, 12, 1), (12, 1)),
    ("440117101", "温泉镇人民代表大会", 19, date(2021, 11, 20), (11, 20)),
    ("440117102", "良口镇人民代表大会", 19, date(2021, 11, 20), (11, 20)),
]

BODIES = [
    # region code, name, kind, unit category
    ("44", "广东省人大常委会", "standing_committee", ""),
    ("44", "广东省人大常委会代表工作委员会", "working_body", ""),
    ("44", "广东省人大常委会办公厅", "working_body", ""),
    ("44", "广东省人民代表大会财政经济委员会", "special_committee", ""),
    ("44", "广东省人民代表大会教育科学文化卫生委员会", "special_committee", ""),
    ("4401", "广州市人大常委会", "standing_committee", ""),
    ("4401", "广州市人大常委会代表工作委员会", "working_body", ""),
    ("4403", "深圳市人大常委会", "standing_committee", ""),
    ("440106", "天河区人大常委会", "standing_committee", ""),
    ("440117", "从化区人大常委会", "standing_committee", ""),
    ("440304", "福田区人大常委会", "standing_committee", ""),
    ("440305", "南山区人大常委会", "standing_committee", ""),
    ("440117101", "温泉镇人民代表大会主席团", "presidium", ""),
    ("440117102", "良口镇人民代表大会主席团", "presidium", ""),
    ("44", "广东省教育厅", "handling_unit", "government"),
    ("44", "广东省交通运输厅", "handling_unit", "government"),
    ("44", "广东省卫生健康委员会", "handling_unit", "government"),
    ("44", "广东省高级人民法院", "handling_unit", "court"),
    ("44", "广东省人民检察院", "handling_unit", "procuratorate"),
    ("4401", "广州市教育局", "handling_unit", "government"),
    ("4401", "广州市交通运输局", "handling_unit", "government"),
    ("4403", "深圳市住房和建设局", "handling_unit", "government"),
    ("440106", "天河区住房和建设局", "handling_unit", "government"),
    ("440305", "南山区教育局", "handling_unit", "government"),
    ("440117", "从化区农业农村局", "handling_unit", "government"),
]

# username, name, role, congress region code or unit name, email
USERS = [
    ("gd_staff", "陈志强", Role.STAFF, "44", "gd_staff@example.cn"),
    ("gz_staff", "黄丽华", Role.STAFF, "4401", "gz_staff@example.cn"),
    ("th_staff", "林晓东", Role.STAFF, "440106", "th_staff@example.cn"),
    ("ns_staff", "周敏", Role.STAFF, "440305", "ns_staff@example.cn"),
    ("deputy", "李秀英", Role.DEPUTY, "44", "deputy@example.cn"),
    ("unit_officer", "王建国", Role.UNIT_OFFICER, "广州市教育局", "unit@example.cn"),
    ("supervisor", "张文华", Role.SUPERVISOR, "44", "supervisor@example.cn"),
    ("station_manager", "刘玉梅", Role.STATION_MANAGER, "440106", "station@example.cn"),
]


def seed():
    """The core's demo data: regions, congresses with their terms and sessions, bodies and units, the demo
    logins, some policy overrides and the integration client. Returns the client's new token (None when the
    client already exists)."""
    regions = _regions()
    congresses = _congresses(regions)
    units = _bodies(regions, congresses)
    _users(congresses, units)
    _policies(congresses)
    return _api_client(congresses)


def _regions():
    regions = {"": Region.objects.get(code="")}
    for code, name, level, parent in REGIONS:
        regions[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions[parent]}
        )
    return regions


def _congresses(regions):
    congresses = {}
    for code, name, number, start, (month, day) in CONGRESSES:
        congress, _ = Congress.objects.get_or_create(region=regions[code], defaults={"name": name})
        congresses[code] = congress
        end = date(start.year + 5, start.month, start.day) - timedelta(days=1)
        term, _ = Term.objects.get_or_create(
            congress=congress, number=number, defaults={"start_date": start, "end_date": end}
        )
        for index, year in enumerate(range(start.year, 2027), start=1):
            first = date(year, month, day) if index > 1 else start
            if first > end:
                break
            Session.objects.get_or_create(
                term=term,
                number=index,
                defaults={"start_date": first, "end_date": min(first + timedelta(days=4), end)},
            )
    return congresses


def _bodies(regions, congresses):
    units = {}
    for code, name, kind, category in BODIES:
        units[name], _ = Organisation.objects.get_or_create(
            region=regions[code],
            name=name,
            defaults={
                "kind": kind,
                "unit_category": category,
                "congress": None if kind == "handling_unit" else congresses[code],
            },
        )
    return units


def _users(congresses, units):
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"name": "系统管理员", "is_staff": True, "is_superuser": True, "email": "admin@example.cn"},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    for username, name, role, anchor, email in USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"name": name, "email": email})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        kwargs = {"organisation": units[anchor]} if role == Role.UNIT_OFFICER else {"congress": congresses[anchor]}
        if not RoleMembership.objects.filter(user=user, role=role, **kwargs).exists():
            services.grant_role(actor=None, user=user, role=role, **kwargs)


def authenticators():
    """The demo key for each demo staff account still on the demo password and without an authenticator (a
    real account of the same name keeps its own)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from congress import twofactor

    for user in User.objects.filter(username__in=["admin", *(u[0] for u in USERS if u[2] == Role.STAFF)]):
        if TOTPDevice.objects.filter(user=user).exists() or not user.check_password(DEMO_PASSWORD):
            continue
        TOTPDevice.objects.create(user=user, name=twofactor.DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)


def _policies(congresses):
    # Some places allow units 7 working days to ask for re-assignment, and give deputies less time to rate.
    for code, key, value in [
        ("4401", "suggestion.reassign_window", 7),
        ("440106", "suggestion.feedback_period", 15),
    ]:
        PolicyValue.objects.get_or_create(congress=congresses[code], key=key, defaults={"value": value})


def _api_client(congresses):
    if ApiClient.objects.filter(name="省级代表履职平台").exists():
        return None
    # Issued to the administrator, who holds every permission the client's scopes ask for.
    _, token = services.create_api_client(
        actor=None,
        name="省级代表履职平台",
        congress=congresses["44"],
        scopes=["reference:read"],
        owner=User.objects.get(username="admin"),
    )
    return token

"""Demo stations with managers, stationed deputies, reception days, visits, a star-rating checklist and
citizens' opinions in every state. Runs once: with stations present it adds nothing."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from congress.models import Organisation, Region, User
from deputies.models import Mandate, MandateStatus
from liaison_stations import services
from liaison_stations.models import Kind, RatingCriterion, Route, Station, Theme, Tier

# region code, name, kind, tier, theme, theme detail, address, latitude, longitude
# fmt: off
STATIONS = [
    ("440106", "天河区人大代表之家", Kind.HOME, Tier.HEAD, Theme.GENERAL, "", "天府路1号区人大常委会一楼", "23.1249", "113.3612"),
    ("440106001", "五山街道人大代表中心联络站", Kind.STATION, Tier.CENTRAL, Theme.GENERAL, "", "五山路371号", "23.1531", "113.3450"),
    ("440106001001", "华工社区人大代表联络点", Kind.POINT, Tier.ORDINARY, Theme.PROJECT, "教育", "五山路381号华南理工大学东门", "23.1510", "113.3440"),
    ("440106002", "石牌街道人大代表联络站", Kind.STATION, Tier.CENTRAL, Theme.GENERAL, "", "石牌东路100号", "23.1340", "113.3480"),
    ("440106", "天河区网上人大代表联络站", Kind.ONLINE, Tier.ORDINARY, Theme.GENERAL, "", "", None, None),
    ("440117101", "温泉镇人大代表中心联络站", Kind.STATION, Tier.CENTRAL, Theme.GENERAL, "", "温泉镇温泉大道50号", "23.6440", "113.6330"),
    ("440117101201", "石海村人大代表联络点", Kind.POINT, Tier.ORDINARY, Theme.VILLAGE, "", "石海村村委会", "23.6510", "113.6400"),
    ("440305001", "南头街道人大代表联络站", Kind.STATION, Tier.CENTRAL, Theme.PARK, "科技园区", "南头街道深南大道10000号", "22.5430", "113.9230"),
]  # noqa: E501
# fmt: on


OPINIONS = [
    # category, content, route (None: not triaged), stage
    ("urban", "五山路公交站台没有遮雨棚，雨天老人候车很不方便，建议增设。", None, ""),
    ("education", "希望周末开放学校运动场给社区居民锻炼。", Route.ANSWERED, "open"),
    ("safety", "华工东门外人行道电动车乱停，行人只能走机动车道。", Route.REFERRED, "open"),
    ("health", "社区卫生服务中心周末不开诊，上班族看病难。", Route.REFERRED, "replied"),
    ("welfare", "建议把灵活就业人员纳入住房公积金缴存范围。", Route.TO_SUGGESTION, "open"),
    ("other", "我与物业公司的合同纠纷已经在法院起诉，请代表帮忙催一下判决。", Route.DECLINED, "open"),
    ("environment", "石牌村内河涌夏天有异味，希望加快截污工程。", Route.REFERRED, "closed"),
    ("governance", "小区加装电梯意见不统一，希望街道组织协商。", Route.ANSWERED, "closed"),
]


def seed() -> None:
    if Station.objects.exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    manager = User.objects.filter(username="station_manager").first()
    with transaction.atomic():
        stations = {}
        for code, name, kind, tier, theme, detail, address, lat, lng in STATIONS:
            region = Region.objects.get(code=code)
            station = Station(
                name=name, kind=kind, tier=tier, theme=theme, theme_detail=detail, region=region,
                congress=services.congress_for_region(region), address=address,
                latitude=Decimal(lat) if lat else None, longitude=Decimal(lng) if lng else None,
                opening_hours="每周三 9:00-12:00，每月第一个周六 9:00-17:00" if kind != Kind.ONLINE else "全天",
                phone="020-85551234" if kind != Kind.ONLINE else "", chief="张志强" if tier == Tier.CENTRAL else "",
                online_url="https://www.example.cn/renda/online" if kind == Kind.ONLINE else "",
            )  # fmt: skip
            managers = [manager] if manager and code.startswith("440106") else []
            stations[name] = services.save_station(actor=admin, station=station, managers=managers)
        for parent, child in (("五山街道人大代表中心联络站", "华工社区人大代表联络点"),
                              ("温泉镇人大代表中心联络站", "石海村人大代表联络点")):  # fmt: skip
            Station.objects.filter(pk=stations[child].pk).update(parent=stations[parent])
        _station_deputies(admin, stations)
        _criteria_and_ratings(admin, stations)
        _receptions_and_visits(admin, stations)
        _opinions(admin, stations)


def _station_deputies(admin, stations) -> None:
    live = Mandate.objects.exclude(status=MandateStatus.ENDED).order_by("pk")
    tianhe = list(live.filter(congress__region__code="440106"))
    provincial = list(live.filter(congress__region__code="44"))
    wenquan = list(live.filter(congress__region__code="440117101"))
    wushan, shipai = stations["五山街道人大代表中心联络站"], stations["石牌街道人大代表联络站"]
    # Half the district deputies at each street station; most provincial deputies too; a few left unstationed
    # so the coverage page has something to show.
    services.station_deputies(actor=admin, station_id=wushan.pk, mandate_ids=[m.pk for m in tianhe[::2]])
    services.station_deputies(actor=admin, station_id=shipai.pk, mandate_ids=[m.pk for m in tianhe[1::2]])
    services.station_deputies(actor=admin, station_id=stations["天河区人大代表之家"].pk,
                              mandate_ids=[m.pk for m in provincial[:-5]])  # fmt: skip
    services.station_deputies(actor=admin, station_id=stations["温泉镇人大代表中心联络站"].pk,
                              mandate_ids=[m.pk for m in wenquan])  # fmt: skip
    demo = Mandate.objects.filter(person__user__username="deputy").exclude(status=MandateStatus.ENDED)
    services.station_deputies(actor=admin, station_id=wushan.pk, mandate_ids=demo.values_list("pk", flat=True))


def _criteria_and_ratings(admin, stations) -> None:
    year = timezone.localdate().year - 1
    for station in stations.values():
        services.seed_checklist(station.congress)
    for name, marks in (
        ("五山街道人大代表中心联络站", 95),
        ("石牌街道人大代表联络站", 78),
        ("温泉镇人大代表中心联络站", 86),
    ):
        station = stations[name]
        criteria = RatingCriterion.objects.filter(congress=station.congress)
        scores = {c.pk: min(100, marks + (c.position % 3) * 2 - 2) for c in criteria}
        services.evaluate_station(actor=admin, station_id=station.pk, year=year, scores=scores, note="年度考评")


def _receptions_and_visits(admin, stations) -> None:
    today = timezone.localdate()
    wushan = stations["五山街道人大代表中心联络站"]
    deputies = list(Mandate.objects.filter(stationings__station=wushan).order_by("pk")[:4])
    ids = [m.pk for m in deputies]
    held = services.plan_reception(actor=admin, station_id=wushan.pk, day=today, start=time(9), end=time(12),
                                   topic="社区养老服务", mandate_ids=ids[:2])  # fmt: skip
    # A reception of last week: planned and published ahead in real life; here dated back after the fact.
    from liaison_stations.models import Reception, ReceptionStatus

    Reception.objects.filter(pk=held.pk).update(
        date=today - timedelta(days=7), status=ReceptionStatus.PUBLISHED, published_at=timezone.now()
    )
    services.record_reception(actor=admin, reception_id=held.pk, present_ids=ids[:2], citizens_received=12,
                              summary="接待群众12人次，收集意见6条。")  # fmt: skip
    # The demo deputy came too, off the duty roster: the manager records her present and she is asked to confirm.
    manager = User.objects.filter(username="station_manager").first()
    demo = Mandate.objects.filter(person__user__username="deputy", stationings__station=wushan,
                                  status=MandateStatus.ACTIVE).exclude(pk__in=ids[:2]).order_by("pk")  # fmt: skip
    if manager is not None and demo.exists():
        services.mark_present(actor=manager, reception_id=held.pk, mandate_ids=[demo.first().pk])
    soon = services.plan_reception(actor=admin, station_id=wushan.pk, day=today + timedelta(days=5), start=time(9),
                                   end=time(12), topic="老旧小区改造", mandate_ids=ids[1:3])  # fmt: skip
    services.publish_reception(actor=admin, reception_id=soon.pk)
    services.plan_reception(actor=admin, station_id=wushan.pk, day=today + timedelta(days=12), start=time(14),
                            end=time(17), topic="义务教育学位", mandate_ids=ids[2:4])  # fmt: skip
    for offset, mandate in enumerate(deputies):
        services.check_in(
            actor=admin, station_id=wushan.pk, mandate_id=mandate.pk, activity="research",
            visited_at=timezone.make_aware(datetime.combine(today - timedelta(days=30 + offset), time(10))),
            topics="调研社区养老服务中心", channel="manager",
        )  # fmt: skip


def _opinions(admin, stations) -> None:
    wushan = stations["五山街道人大代表中心联络站"]
    unit = (
        Organisation.objects.filter(name="广州市教育局").first()
        or Organisation.objects.filter(kind="handling_unit").first()
    )
    taker = Mandate.objects.filter(stationings__station=wushan).order_by("pk").first()
    for index, (category, content, route, stage) in enumerate(OPINIONS):
        station = wushan if index % 2 == 0 else stations["石牌街道人大代表联络站"]
        opinion = services.submit_opinion(
            station=station, phone=f"1380013{index:04d}", category=category, content=content,
            citizen_name=["陈女士", "黄先生", "", "林阿姨"][index % 4],
        )  # fmt: skip
        if route is None:
            continue
        services.triage(
            actor=admin, opinion_id=opinion.pk, route=route,
            answer="已当场向群众解释相关政策和办理渠道。" if route == Route.ANSWERED else "",
            unit_id=unit.pk, mandate_id=taker.pk if taker else None, decline_reason="litigation",
        )  # fmt: skip
        if route == Route.REFERRED and stage in ("replied", "closed"):
            services.unit_reply(actor=admin, opinion_id=opinion.pk, reply="已纳入今年整治计划，预计年底前完成。")
        if stage == "closed":
            services.give_feedback(actor=admin, opinion_id=opinion.pk,
                                   feedback="已电话告知群众办理结果，群众表示满意。")  # fmt: skip

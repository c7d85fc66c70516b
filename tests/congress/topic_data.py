"""Opinions and suggestions on two themes (lifts in old blocks, parking), written by different citizens, for the
topic tests."""

from datetime import datetime
from zoneinfo import ZoneInfo

from liaison_stations.models import CitizenOpinion

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIFTS = [
    "老旧小区加装电梯进展缓慢，老人上下楼困难，希望加快加装电梯审批。",
    "我们小区是老旧小区，没有电梯，老人上下楼很困难，建议加装电梯。",
    "加装电梯审批手续复杂，老旧小区老人出行困难，请简化电梯审批。",
    "老旧小区加装电梯资金不足，老人上下楼不便，建议财政补贴电梯加装。",
]
PARKING = [
    "小区周边停车位紧张，车辆乱停占用消防通道，建议增设停车位。",
    "晚上停车难，车辆占用消防通道，希望规划建设停车场增加停车位。",
    "停车位严重不足，车辆乱停乱放堵塞消防通道，请增设公共停车场。",
    "学校门口车辆乱停，停车位少，消防通道被占用，建议建设停车场。",
]


def opinion(station, content, *, phone="13800000000", when=(2026, 5, 10), citizen_name=""):
    return CitizenOpinion.objects.create(
        station=station, congress=station.congress, region_code=station.region_code, channel="station_page",
        phone=phone, category="urban", content=content, citizen_name=citizen_name,
        received_at=datetime(*when, 10, 0, tzinfo=SHANGHAI),
    )  # fmt: skip


def themes(station, texts=LIFTS + PARKING, months=((2026, 5, 10),)):
    """Each text from a citizen of their own, in each given month."""
    rows = []
    for when in months:
        for number, content in enumerate(texts):
            rows.append(opinion(station, content, phone=f"1390000{number:04d}", when=when))
    return rows

"""A station manager's forms at an office desk, filled and sent as a person would: planning, publishing,
cancelling and recording a reception day, stationing deputies and ending a stationing, recording an opinion heard
at the station with a photo, and routing it to a responsible body whose officer replies and whose feedback closes
it; staff station a region's deputies in bulk and give a station its stars."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison_stations import services as stations
from liaison_stations.models import CitizenOpinion, RatingCriterion, Reception, Stationing, Visit
from tests import factories as core
from tests.deputies.factories import MandateFactory
from tests.liaison_stations.factories import StationFactory, managed_station, stationed_deputy

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHOTO = {"name": "路灯.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%photo of the lamp\n%%EOF\n"}


def banner(page) -> str:
    return page.locator(".messages").inner_text()


@pytest.mark.form_view("liaison_stations:desk", "liaison_stations:reception")
def test_the_manager_plans_publishes_and_cancels_a_reception_day(live_server, desk):
    station, manager = managed_station(name="天河区五山街道人大代表联络站")
    mandate, _user = stationed_deputy(station, person__name="陈晓")
    day = timezone.localdate() + timedelta(days=10)

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_label("日期").fill(day.isoformat())
    desk.get_by_label("开始时间").fill("09:00")
    desk.get_by_label("结束时间").fill("11:30")
    desk.get_by_label("主题").fill("老旧小区加装电梯")
    desk.get_by_label("值班代表").select_option(label=f"陈晓（{mandate.congress}）")
    press(desk, desk.get_by_role("button", name="安排", exact=True))
    assert "接待日已计划" in banner(desk)
    reception = Reception.objects.get()
    assert (reception.date, reception.topic, reception.status) == (day, "老旧小区加装电梯", "planned")
    assert list(reception.deputies.all()) == [mandate]

    press(desk, desk.get_by_role("button", name="发布"))
    assert "已发布" in banner(desk)
    reception.refresh_from_db()
    assert reception.status == "published"
    # Ten days ahead: nothing to record yet, and the page says from when.
    assert desk.get_by_role("heading", name="记录为已举行").count() == 0
    assert day.isoformat() in desk.locator("p", has_text="当天或之后").inner_text()

    desk.get_by_label("原因").fill("台风预警")
    press(desk, desk.get_by_role("button", name="取消接待日"))
    assert "接待日已取消" in banner(desk)
    reception.refresh_from_db()
    assert reception.status == "cancelled"


@pytest.mark.form_view("liaison_stations:reception")
def test_the_manager_records_a_reception_day_as_held(live_server, desk):
    station, manager = managed_station()
    mandate, _user = stationed_deputy(station, person__name="陈晓")
    reception = Reception.objects.create(
        station=station, date=timezone.localdate(), start_time="09:00", end_time="11:00", status="published",
        published_at=timezone.now(),
    )  # fmt: skip
    reception.deputies.set([mandate])

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:reception", args=[reception.pk]))
    desk.get_by_label("陈晓").check()
    desk.get_by_label("接待群众人数").fill("12")
    desk.get_by_label("情况摘要").fill("群众反映加装电梯费用分摊问题。")
    press(desk, desk.get_by_role("button", name="记录", exact=True))
    assert "接待情况已记录" in banner(desk)
    reception.refresh_from_db()
    assert (reception.status, reception.citizens_received) == ("held", 12)
    visit = Visit.objects.get()
    assert (visit.mandate, visit.station, visit.activity) == (mandate, station, "reception")


@pytest.mark.form_view("liaison_stations:station_deputies", "liaison_stations:end_stationing")
def test_the_manager_stations_a_deputy_and_ends_the_stationing(live_server, desk):
    station, manager = managed_station()
    mandate = MandateFactory(congress=station.congress, person__name="林芳")

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_role("link", name="安排代表进驻本站").click()
    desk.get_by_label("代表").select_option(label=f"林芳（{mandate.congress}）")
    press(desk, desk.get_by_role("button", name="安排进驻"))
    assert "已安排 1 名代表进驻" in banner(desk)
    stationing = Stationing.objects.get(station=station, mandate=mandate)
    assert stationing.end_date is None

    deputies = desk.locator("section", has=desk.get_by_role("heading", name="进驻本站的代表"))
    press(desk, deputies.get_by_role("button", name="结束进驻"))
    stationing.refresh_from_db()
    assert stationing.end_date == timezone.localdate()
    assert "林芳" not in deputies.inner_text()


@pytest.mark.form_view("liaison_stations:record_opinion")
def test_the_manager_records_an_opinion_heard_at_the_station_with_a_file(live_server, desk):
    station, manager = managed_station()

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_role("link", name="记录群众意见").click()
    desk.get_by_label("您的姓名（选填）").fill("王大爷")
    desk.get_by_label("手机号码").fill("13912345678")
    desk.get_by_label("类别").select_option(index=1)
    desk.get_by_label("您的意见").fill("五山路口的路灯坏了一个月，夜里行人看不清路。")
    desk.get_by_label("照片或文件（选填）").set_input_files(PHOTO)
    press(desk, desk.get_by_role("button", name="记录", exact=True))
    opinion = CitizenOpinion.objects.get()
    assert f"意见已记录，查询码为 {opinion.tracking_code}" in banner(desk)
    assert (opinion.station, opinion.phone, opinion.citizen_name) == (station, "13912345678", "王大爷")
    assert opinion.attachments.get().original_name == "路灯.pdf"


@pytest.mark.form_view("liaison_stations:opinion")
def test_an_opinion_is_referred_replied_to_and_closed_with_feedback(live_server, chromium, desk):
    station, manager = managed_station()
    unit = core.OrganisationFactory(name="天河区城市管理局", region=station.congress.region)
    officer = core.officer_of(unit)
    opinion = stations.submit_opinion(
        station=station, qr=None, phone="13912345678", category="urban", content="五山路口的路灯坏了一个月。",
        citizen_name="王大爷", files=[], submission_key="k1",
    )  # fmt: skip
    page = live_server.url + reverse("liaison_stations:opinion", args=[opinion.pk])

    log_in(desk, live_server, manager)
    desk.goto(page)
    desk.get_by_label("转交责任单位办理").check()
    desk.get_by_label("答复或备注").fill("请城管局尽快维修。")
    desk.get_by_label("责任单位", exact=True).select_option(label="天河区城市管理局")
    press(desk, desk.get_by_role("button", name="保存处理方式"))
    assert "已保存" in banner(desk)
    opinion.refresh_from_db()
    assert (opinion.route, opinion.referred_unit) == ("referred", unit)

    unit_desk = chromium.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    log_in(unit_desk, live_server, officer)
    unit_desk.goto(live_server.url + reverse("liaison_stations:referrals"))
    unit_desk.get_by_role("link", name=opinion.tracking_code).click()  # from the unit's list of referrals
    unit_desk.get_by_label("答复").fill("路灯已于本周修复。")
    press(unit_desk, unit_desk.get_by_role("button", name="提交答复"))
    assert "已保存" in banner(unit_desk)
    unit_desk.context.close()
    opinion.refresh_from_db()
    assert opinion.unit_reply == "路灯已于本周修复。"

    desk.goto(page)
    desk.get_by_label("向群众反馈的内容").fill("已电话告知王大爷路灯修复。")
    press(desk, desk.get_by_role("button", name="记录反馈并办结"))
    opinion.refresh_from_db()
    assert (opinion.status, opinion.feedback) == ("closed", "已电话告知王大爷路灯修复。")


@pytest.mark.form_view("liaison_stations:coverage")
def test_staff_station_the_deputies_of_a_division_in_bulk(live_server, desk):
    station = StationFactory(name="天河区五山街道人大代表联络站")
    staff = core.staff_of(station.congress)
    mandate = MandateFactory(congress=station.congress, person__name="林芳")

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("liaison_stations:coverage"))
    desk.get_by_label("家站点").select_option(label=station.name)
    desk.get_by_label("代表所属行政区划").fill(station.congress.region.code)
    press(desk, desk.get_by_role("button", name="安排进驻"))
    assert "已安排 1 名代表进驻" in banner(desk)
    assert Stationing.objects.filter(station=station, mandate=mandate, end_date__isnull=True).exists()


@pytest.mark.form_view("liaison_stations:evaluate")
def test_staff_give_a_station_its_stars(live_server, desk):
    station = StationFactory()
    staff = core.staff_of(station.congress)
    RatingCriterion.objects.create(congress=station.congress, name="阵地建设", weight=60)
    RatingCriterion.objects.create(congress=station.congress, name="活动开展", weight=40)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("liaison_stations:evaluate", args=[station.pk]))
    desk.get_by_label("阵地建设（60）").fill("90")
    desk.get_by_label("活动开展（40）").fill("80")
    desk.get_by_label("备注").fill("接待台账完整。")
    press(desk, desk.get_by_role("button", name="保存评定结果"))
    assert "得分 86" in banner(desk)
    rating = station.ratings.get()
    assert (rating.year, rating.score, rating.note) == (timezone.localdate().year, 86, "接待台账完整。")


def _answer(page, world):
    page.get_by_label("当场解答").check()
    page.get_by_label("答复或备注").fill("已当场说明路灯维修由城管局负责，维修热线12319。")


def _take_up(page, world):
    page.get_by_label("由代表转为代表建议").check()
    page.get_by_label("转为建议的代表").select_option(label=f"陈晓（{world['mandate'].congress}）")


def _decline(page, world):
    page.get_by_label("不予受理", exact=True).check()
    page.get_by_label("不予受理原因").select_option(label="正在诉讼")


@pytest.mark.form_view("liaison_stations:opinion")
@pytest.mark.parametrize(
    ("choose", "route"),
    [(_answer, "answered"), (_take_up, "to_suggestion"), (_decline, "declined")],
    ids=["answered", "taken_up", "declined"],
)
def test_the_manager_routes_an_opinion_each_way_the_triage_form_offers(live_server, desk, choose, route):
    station, manager = managed_station()
    mandate, _user = stationed_deputy(station, person__name="陈晓")
    opinion = stations.submit_opinion(
        station=station, qr=None, phone="13912345678", category="urban", content="五山路口的路灯坏了一个月。",
        citizen_name="王大爷", files=[], submission_key="k1",
    )  # fmt: skip

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:opinion", args=[opinion.pk]))
    choose(desk, {"mandate": mandate})
    press(desk, desk.get_by_role("button", name="保存处理方式"))
    assert "已保存" in banner(desk)
    opinion.refresh_from_db()
    assert opinion.route == route


def test_a_reception_that_ends_before_it_starts_is_refused_beside_its_end(live_server, desk):
    station, manager = managed_station()
    mandate, _user = stationed_deputy(station, person__name="陈晓")

    log_in(desk, live_server, manager)
    desk.goto(live_server.url + reverse("liaison_stations:desk", args=[station.pk]))
    desk.get_by_label("日期").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    desk.get_by_label("开始时间").fill("11:00")
    desk.get_by_label("结束时间").fill("09:00")
    desk.get_by_label("值班代表").select_option(label=f"陈晓（{mandate.congress}）")
    press(desk, desk.get_by_role("button", name="安排", exact=True))
    error = desk.locator(".errorlist", has_text="结束时间必须晚于开始时间")
    # Shown under the end time, above the next field.
    top = error.bounding_box()["y"]
    assert desk.get_by_label("结束时间").bounding_box()["y"] < top < desk.get_by_label("主题").bounding_box()["y"]
    assert not Reception.objects.exists()

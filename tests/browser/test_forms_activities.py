"""Activities' forms as people fill them: a deputy on a phone accepts or declines an invitation on 我的活动 and
checks in at a sitting by its QR link or its code; staff send the invitations, invite deputies found by a roster
filter, take a sitting's roll, move the activity to its close and then correct its frozen attendance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import services
from activities.models import Activity, Attendance, Correction, Invitation
from tests import factories as core
from tests.activities import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def congress():
    made = core.CongressFactory(region=core.province("62", "甘肃省"))
    current_term(made)
    return made


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


def activity_now(staff, congress, **fields):
    """An activity whose one sitting is on now (its check-in window open)."""
    today = timezone.localdate()
    sitting = (local(timedelta(minutes=-10)), local(timedelta(hours=2)))
    return f.activity(staff, congress, sittings=[sitting], starts_on=today, ends_on=today, **fields)


@pytest.mark.form_view("activities:answer", "activities:check_in_link")
def test_a_deputy_accepts_an_invitation_and_checks_in_by_the_qr_link_on_a_phone(live_server, phone, congress, staff):
    activity = activity_now(staff, congress, title="黄河流域生态保护专题视察")
    mandate = f.deputy(congress)
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("activities:mine"))
    assert "黄河流域生态保护专题视察" in phone.locator("main").inner_text()
    press(phone, phone.get_by_role("button", name="接受邀请"))
    assert "已接受邀请。" in phone.locator("body").inner_text()
    assert Invitation.objects.get().status == "accepted"

    phone.goto(live_server.url + reverse("activities:check_in_link", args=[activity.sittings.get().checkin_code]))
    assert "黄河流域生态保护专题视察" in phone.locator("main").inner_text()
    press(phone, phone.get_by_role("button", name="签到"))
    assert phone.url == live_server.url + reverse("activities:mine")
    attendance = Attendance.objects.get()
    assert (attendance.invitation.mandate, attendance.status, attendance.channel) == (mandate, "present", "link")
    assert mandate.duty_entries.get().kind_id == "inspection"


@pytest.mark.form_view("activities:answer")
def test_a_deputy_declines_an_invitation_giving_a_reason(live_server, phone, congress, staff):
    activity = activity_now(staff, congress)
    mandate = f.deputy(congress)
    services.invite(actor=staff, activity_id=activity.pk, mandate_ids=[mandate.pk])
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("activities:mine"))
    phone.get_by_label("谢绝理由").fill("同期参加全国人大专题调研")
    press(phone, phone.get_by_role("button", name="谢绝"))
    assert "已谢绝邀请" in phone.locator("body").inner_text()
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.decline_reason) == ("declined", "同期参加全国人大专题调研")


@pytest.mark.form_view("activities:check_in")
def test_a_deputy_checks_in_by_typing_the_sittings_code(live_server, phone, congress, staff):
    activity = activity_now(staff, congress)
    mandate = f.deputy(congress)
    f.invite_and_accept(staff, activity, mandate)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("activities:mine"))
    phone.get_by_role("link", name="活动签到").click()
    phone.get_by_label("签到码").fill(activity.sittings.get().checkin_code.lower())
    press(phone, phone.get_by_role("button", name="签到"))
    assert "已签到" in phone.locator("body").inner_text()
    assert Attendance.objects.get().channel == "code"


@pytest.mark.form_view("activities:activity_action", "activities:invite")
def test_staff_send_the_invitations_and_invite_a_deputy_found_by_a_roster_filter(live_server, desk, congress, staff):
    activity = activity_now(staff, congress, send=False, title="农村饮水安全执法检查")
    found = f.deputy(congress, name="马建国", work_unit="临夏州水务局局长")
    f.deputy(congress, name="丁秀兰", work_unit="兰州市第一中学教师")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    press(desk, desk.get_by_role("button", name="发出邀请"))
    assert "已发出邀请" in desk.locator("body").inner_text()
    assert Activity.objects.get().status == "inviting"

    desk.get_by_role("link", name="邀请代表").click()
    desk.get_by_label("姓名或工作单位").fill("水务")
    with desk.expect_navigation():
        desk.get_by_role("button", name="筛选").click()
    assert "丁秀兰" not in desk.locator("main").inner_text()
    desk.get_by_label("马建国").check()
    press(desk, desk.get_by_role("button", name="邀请所选代表"))
    assert "已邀请1名代表。" in desk.locator("body").inner_text()
    assert list(Invitation.objects.values_list("mandate", flat=True)) == [found.pk]


@pytest.mark.form_view("activities:attendance", "activities:activity_action")
def test_staff_take_the_roll_close_the_activity_then_correct_its_attendance(live_server, desk, congress, staff):
    activity = activity_now(staff, congress)
    mandate = f.deputy(congress, name="韩立新")
    f.invite_and_accept(staff, activity, mandate)
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:attendance", args=[activity.sittings.get().pk]))
    desk.locator("tr", has_text="韩立新").get_by_label("出席").check()
    press(desk, desk.get_by_role("button", name="保存考勤"))
    assert "考勤已保存" in desk.locator("body").inner_text()
    assert Attendance.objects.get().status == "present"

    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    press(desk, desk.get_by_role("button", name="开始活动"))
    desk.get_by_label("活动报告").fill("检查发现农村饮水工程管护不到位。")
    press(desk, desk.get_by_role("button", name="提交报告"))
    press(desk, desk.get_by_role("button", name="结束活动"))
    assert Activity.objects.get().status == "closed"

    desk.get_by_role("link", name="考勤和更正").click()
    desk.get_by_label("考勤").select_option(label="请假")
    desk.get_by_label("原因").fill("经核实当日请假，误记为出席")
    press(desk, desk.get_by_role("button", name="记录更正"))
    assert "考勤更正已记录。" in desk.locator("body").inner_text()
    correction = Correction.objects.get()
    assert (correction.before, correction.after) == ("present", "leave")
    assert not mandate.duty_entries.exists()

"""Training's forms as people fill them: a deputy on a phone signs up, gives up a place and checks in at a sitting by
its code or its QR link; staff publish a course, nominate deputies by list and by a roster filter, confirm a sign-up,
take a sitting's roll and cancel a course."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as core
from tests.deputies.factories import current_term
from tests.training import factories as f
from training.models import Attendance, Course, Enrolment, Sitting

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def local(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%d %H:%M")


def in_days(days: int) -> tuple[str, str]:
    start = timedelta(days=days)
    return local(start), local(start + timedelta(hours=3))


@pytest.fixture
def congress():
    made = core.CongressFactory()
    current_term(made)
    return made


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


def course_in_ten_days(staff, congress, **fields):
    return f.course(staff, congress, sittings=[in_days(10)], **fields)


@pytest.mark.form_view("training:sign_up", "training:act")
def test_a_deputy_signs_up_for_a_course_then_gives_up_the_place(live_server, phone, congress, staff):
    course = course_in_ten_days(staff, congress, title="学前教育法专题学习班")
    mandate = f.deputy(congress)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("training:courses"))
    card = phone.locator("section.card", has_text="学前教育法专题学习班")
    press(phone, card.get_by_role("button", name="报名"))
    assert "已报名，待工作机构确认名额。" in phone.locator("body").inner_text()
    enrolment = Enrolment.objects.get(course=course, mandate=mandate)
    assert enrolment.status == "signed_up"

    phone.get_by_label("备注").fill("单位有紧急任务")
    press(phone, phone.get_by_role("button", name="放弃名额"))
    assert "已放弃名额。" in phone.locator("body").inner_text()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.note) == ("cancelled", "单位有紧急任务")


def _confirmed_at_a_sitting_now(staff, congress):
    course = course_in_ten_days(staff, congress, title="代表履职能力培训班")
    mandate = f.deputy(congress)
    f.confirmed(mandate, course, staff)
    sitting = course.sittings.get()
    Sitting.objects.filter(pk=sitting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10), ends_at=timezone.now() + timedelta(hours=2)
    )
    return mandate, sitting


@pytest.mark.form_view("training:check_in")
def test_a_deputy_checks_in_at_a_sitting_by_typing_its_code(live_server, phone, congress, staff):
    mandate, sitting = _confirmed_at_a_sitting_now(staff, congress)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("training:mine"))
    phone.get_by_role("link", name="课次签到").click()
    phone.get_by_label("签到码").fill(sitting.checkin_code.lower())
    press(phone, phone.get_by_role("button", name="签到"))
    assert "已签到" in phone.locator("body").inner_text()
    attendance = Attendance.objects.get(sitting=sitting)
    assert (attendance.enrolment.mandate, attendance.status, attendance.channel) == (mandate, "present", "code")


@pytest.mark.form_view("training:check_in_link")
def test_a_deputy_checks_in_from_the_sittings_qr_link(live_server, phone, congress, staff):
    mandate, sitting = _confirmed_at_a_sitting_now(staff, congress)
    log_in(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("training:check_in_link", args=[sitting.checkin_code]))
    assert "代表履职能力培训班" in phone.locator("main").inner_text()
    press(phone, phone.get_by_role("button", name="签到"))
    assert phone.url == live_server.url + reverse("training:mine")
    attendance = Attendance.objects.get(sitting=sitting)
    assert (attendance.enrolment.mandate, attendance.channel) == (mandate, "link")


@pytest.mark.form_view("training:course_action", "training:nominate")
def test_staff_publish_a_draft_course_and_nominate_deputies_from_the_list(live_server, desk, congress, staff):
    course = course_in_ten_days(staff, congress, publish=False, capacity=10)
    first = f.deputy(congress, name="周文华")
    second = f.deputy(congress, name="吴海燕")
    f.deputy(congress, name="郑国强")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("training:course", args=[course.pk]))
    press(desk, desk.get_by_role("button", name="发布", exact=True))
    assert "已发布：参训对象范围内的代表可以报名。" in desk.locator("body").inner_text()
    course.refresh_from_db()
    assert course.status == "published"

    names = desk.get_by_label("按名单点名")
    chosen = [o for o in names.locator("option").all_inner_texts() if o.startswith(("周文华", "吴海燕"))]
    names.select_option(label=chosen)
    press(desk, desk.get_by_role("button", name="点名所选代表"))
    assert "已点名2名代表，均请其确认。" in desk.locator("body").inner_text()
    nominated = set(Enrolment.objects.filter(course=course, status="nominated").values_list("mandate", flat=True))
    assert nominated == {first.pk, second.pk}


@pytest.mark.form_view("training:nominate_filter")
def test_staff_nominate_the_deputies_a_roster_filter_finds(live_server, desk, congress, staff):
    course = course_in_ten_days(staff, congress, capacity=10)
    found = f.deputy(congress, name="钱志明", work_unit="广州市白云区教育局局长")
    f.deputy(congress, name="冯晓东", work_unit="广州港集团工程师")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("training:course", args=[course.pk]))
    desk.get_by_role("link", name="按履职资源分类名册筛选点名").click()
    desk.get_by_label("姓名或工作单位").fill("教育局")
    with desk.expect_navigation():
        desk.get_by_role("button", name="筛选").click()
    assert "冯晓东" not in desk.locator("main").inner_text()
    press(desk, desk.get_by_role("button", name="点名找到的全部代表"))
    assert "已点名1名代表，均请其确认。" in desk.locator("body").inner_text()
    assert list(Enrolment.objects.filter(course=course).values_list("mandate", flat=True)) == [found.pk]


@pytest.mark.form_view("training:act", "training:course_action")
def test_staff_confirm_a_sign_up_then_cancel_the_course(live_server, desk, congress, staff):
    course = course_in_ten_days(staff, congress)
    mandate = f.deputy(congress, name="何秀兰")
    enrolment = f.sign_up(mandate, course)
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("training:course", args=[course.pk]))
    row = desk.get_by_role("row", name="何秀兰")
    press(desk, row.get_by_role("button", name="确认", exact=True))
    assert "报名已确认，并已通知代表。" in desk.locator("body").inner_text()
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"

    cancel = desk.locator("form", has=desk.get_by_role("button", name="取消培训班"))
    cancel.get_by_label("原因").fill("授课专家行程冲突，另行安排。")
    press(desk, cancel.get_by_role("button", name="取消培训班"))
    assert "培训班已取消，并已通知参训代表。" in desk.locator("body").inner_text()
    course.refresh_from_db()
    assert (course.status, course.cancel_reason) == ("cancelled", "授课专家行程冲突，另行安排。")


@pytest.mark.form_view("training:attendance")
def test_staff_take_the_roll_of_a_sitting(live_server, desk, congress, staff):
    course = course_in_ten_days(staff, congress)
    mandate = f.deputy(congress, name="许志刚")
    f.confirmed(mandate, course, staff)
    sitting = course.sittings.get()
    Sitting.objects.filter(pk=sitting.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=1)
    )
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("training:course", args=[course.pk]))
    desk.get_by_role("link", name="考勤和签到").click()
    desk.get_by_role("row", name="许志刚").get_by_label("请假").check()
    press(desk, desk.get_by_role("button", name="保存考勤"))
    assert "考勤已保存：更改了1项。" in desk.locator("body").inner_text()
    assert Attendance.objects.get(sitting=sitting).status == "leave"
    assert Course.objects.get().status == "published"

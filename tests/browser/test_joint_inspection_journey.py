"""A joint inspection of two congresses followed from invitation to closing, as the people in it do it: each
congress's staff invite their own deputies (and see no one else's), the deputies accept on their phones and check
in by the sitting's QR link, the organiser submits the report, one finding becomes a suggestion draft that its lead
deputy completes and submits, the activity closes, and each participant's duty record holds the inspection once,
with its points."""

import pytest
from django.urls import reverse

from activities.models import Activity, Attendance
from deputies.models import DutyEntry
from suggestions.models import Suggestion
from tests import factories as core
from tests.activities import factories as f
from tests.deputies.factories import current_term
from tests.suggestions.factories import CategoryFactory

from .conftest import log_in, press
from .test_forms_activities import activity_now

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TITLE = "黄河上游生态保护联合视察"


def as_user(page, live_server, user):
    page.context.clear_cookies()
    log_in(page, live_server, user)


def invite(desk, live_server, activity, name, others):
    desk.goto(live_server.url + reverse("activities:invite", args=[activity.pk]))
    with desk.expect_navigation():
        desk.get_by_role("button", name="筛选").click()
    main = desk.locator("main").inner_text()
    assert all(other not in main for other in others)  # another congress's deputies are not offered
    desk.get_by_label(name).check()
    press(desk, desk.get_by_role("button", name="邀请所选代表"))
    assert "已邀请1名代表。" in desk.locator("body").inner_text()


def accept_and_check_in(phone, live_server, mandate, code):
    as_user(phone, live_server, mandate.person.user)
    phone.goto(live_server.url + reverse("activities:mine"))
    press(phone, phone.get_by_role("button", name="接受邀请"))
    phone.goto(live_server.url + reverse("activities:check_in_link", args=[code]))
    press(phone, phone.get_by_role("button", name="签到"))


def test_a_joint_inspection_from_invitation_to_closing(live_server, desk, phone):
    gansu = core.CongressFactory(region=core.province("62", "甘肃省"))
    qinghai = core.CongressFactory(region=core.province("63", "青海省"))
    for congress in (gansu, qinghai):
        current_term(congress)
    gansu_staff, qinghai_staff = core.staff_of(gansu), core.staff_of(qinghai)
    CategoryFactory(congress=gansu, name="生态环境")
    lead = f.deputy(gansu, name="马建国")
    guest = f.deputy(qinghai, name="才让卓玛")
    activity = activity_now(gansu_staff, gansu, title=TITLE, capacity=4, co_congresses=[qinghai])
    code = activity.sittings.get().checkin_code

    # Invitations: each congress's staff, their own deputies only
    as_user(desk, live_server, gansu_staff)
    invite(desk, live_server, activity, "马建国", others=["才让卓玛"])
    as_user(desk, live_server, qinghai_staff)
    invite(desk, live_server, activity, "才让卓玛", others=["马建国"])

    # Acceptance and QR check-in, on the deputies' phones
    accept_and_check_in(phone, live_server, lead, code)
    accept_and_check_in(phone, live_server, guest, code)
    assert Attendance.objects.filter(status="present", channel="link").count() == 2

    # The report, and its finding turned into a suggestion draft of the lead deputy
    as_user(desk, live_server, gansu_staff)
    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    press(desk, desk.get_by_role("button", name="开始活动"))
    desk.get_by_label("活动报告").fill("联合视察发现黄河上游部分河段生态修复资金不足。")
    desk.get_by_label("发现的问题").fill("黄河上游生态修复资金缺口较大，建议设立跨省生态补偿专项资金")
    press(desk, desk.get_by_role("button", name="提交报告"))
    finding = desk.locator("#finding-1")
    finding.get_by_label("领衔代表").select_option(label="马建国")
    press(desk, finding.get_by_role("button", name="转为建议草稿"))
    draft = Suggestion.objects.get()

    # The lead deputy completes the draft and submits it
    as_user(phone, live_server, lead.person.user)
    phone.goto(live_server.url + reverse("suggestions:edit", args=[draft.pk]))
    phone.get_by_label("类别").select_option(label="生态环境")
    press(phone, phone.get_by_role("button", name="提交", exact=True))
    draft.refresh_from_db()
    assert draft.status == "submitted"

    # Closing; each participant's duty record holds the inspection once
    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    press(desk, desk.get_by_role("button", name="结束活动"))
    assert Activity.objects.get().status == "closed"
    for mandate in (lead, guest):
        entries = DutyEntry.objects.filter(mandate=mandate, title=TITLE)
        assert [entry.kind_id for entry in entries] == ["inspection"]

    phone.goto(live_server.url + reverse("deputies:my_record"))
    row = phone.locator("tr", has_text=TITLE)
    assert row.count() == 1 and "视察" in row.inner_text()

"""The roster's forms as staff fill them: a new deputy, a suspended mandate, a year's points table published; and a
standing-committee member logging a contact with an assigned deputy."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import ContactAssignment, ContactRecord, Mandate, Person, PointsTable
from tests import factories as core
from tests.deputies.factories import MandateFactory, current_term

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def congress():
    made = core.CongressFactory()
    current_term(made)
    return made


@pytest.mark.form_view("deputies:new")
def test_staff_add_a_deputy_with_a_first_mandate(live_server, desk, congress):
    staff = core.staff_of(congress)
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("deputies:directory"))
    desk.get_by_role("link", name="新增代表").click()
    desk.get_by_label("姓名").fill("陈立新")
    desk.get_by_label("性别").select_option(label="男")
    desk.get_by_label("民族").select_option(label="汉族")
    desk.get_by_label("出生日期").fill("1975-03-08")
    desk.get_by_label("公民身份号码").fill("440106197503080012")
    desk.get_by_label("政治面貌").select_option(index=1)
    desk.get_by_label("学历").select_option(index=1)
    desk.get_by_label("职业构成").select_option(index=1)
    desk.get_by_label("手机号码").fill("13912345678")
    desk.get_by_label("人民代表大会").select_option(label=str(congress))
    desk.get_by_label(re.compile("^届")).select_option(index=1)
    desk.get_by_label("当选日期").fill("2023-01-12")
    press(desk, desk.get_by_role("button", name="加入代表名册"))

    assert desk.locator(".errorlist").count() == 0, desk.locator(".errorlist").all_inner_texts()
    assert "已将陈立新加入代表名册。" in desk.locator("body").inner_text()
    mandate = Mandate.objects.get(person__name="陈立新")
    assert (mandate.congress, mandate.start_date, mandate.person.birth_date) == (
        congress,
        date(2023, 1, 12),
        date(1975, 3, 8),
    )


@pytest.mark.form_view("deputies:mandate_action")
def test_staff_suspend_a_deputys_duties_from_the_directory(live_server, desk, congress):
    staff = core.staff_of(congress)
    mandate = MandateFactory(congress=congress, person__name="李卫东")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("deputies:directory"))
    desk.get_by_role("row", name="李卫东").get_by_role("link", name="终止 / 暂停 / 恢复").click()
    desk.get_by_label("操作").select_option(label="暂停执行代表职务")
    desk.get_by_label("日期").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    desk.get_by_label("原因").select_option(label="因刑事案件被羁押正在受侦查、起诉、审判")
    desk.get_by_label("备注").fill("区公安分局来函")
    press(desk, desk.get_by_role("button", name="记录"))

    assert desk.url.startswith(live_server.url + reverse("deputies:directory"))
    mandate.refresh_from_db()
    assert mandate.status == "suspended"
    assert mandate.suspensions.get().note == "区公安分局来函"


@pytest.mark.form_view("deputies:points")
def test_staff_publish_a_years_points_table(live_server, desk, congress):
    staff = core.staff_of(congress)
    MandateFactory(congress=congress, person__name="王建国")
    year = timezone.localdate().year - 1
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("deputies:points"))
    desk.get_by_label("年份").fill(str(year))
    with desk.expect_navigation():
        desk.get_by_role("button", name="显示").click()
    assert "王建国" in desk.locator("table").first.inner_text()
    press(desk, desk.get_by_role("button", name="公示本年度积分表"))

    assert f"{year}年度履职积分表已公示。" in desk.locator("body").inner_text()
    table = PointsTable.objects.get()
    assert (table.year, table.published_by, table.rows.count()) == (year, staff, 1)


@pytest.mark.form_view("deputies:my_contacts")
def test_a_committee_member_logs_a_contact_with_an_assigned_deputy(live_server, desk, congress):
    member = core.supervisor_of(congress)
    MandateFactory(congress=congress, person__name="赵敏")
    mandate = MandateFactory(congress=congress, person__name="孙丽")
    for each in Mandate.objects.all():
        ContactAssignment.objects.create(member=member, mandate=each, congress=congress)
    log_in(desk, live_server, member)
    desk.goto(live_server.url + reverse("deputies:my_contacts"))
    form = desk.locator("#log")
    form.get_by_role("combobox", name=re.compile("^代表")).select_option(label="孙丽")
    form.get_by_label("日期").fill(timezone.localdate().isoformat())
    form.get_by_label("联系方式").select_option(label="电话")
    form.get_by_label("主题").fill("征求对学前教育条例草案的意见")
    form.get_by_label("代表反映的意见").fill("建议增加普惠性幼儿园学位。")
    press(desk, form.get_by_role("button", name="记录"))

    assert "联系情况已登记。" in desk.locator("body").inner_text()
    record = ContactRecord.objects.get()
    assert (record.assignment.mandate, record.mode, record.recorded_by) == (mandate, "phone", member)
    assert Person.objects.count() == 2

"""Deputy groups as staff keep them (issue 26): a professional group made, renamed, deputies found and added, a
leader named, and a member taken out, each through its page's form."""

import re

import pytest
from django.urls import reverse

from deputies.models import DeputyGroup, GroupMembership
from tests import factories as core
from tests.deputies.factories import MandateFactory, current_term, group, join

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def congress():
    made = core.CongressFactory()
    current_term(made)
    return made


@pytest.mark.form_view("deputies:group_new")
def test_staff_make_a_professional_group(live_server, desk, congress):
    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(live_server.url + reverse("deputies:groups"))
    desk.get_by_role("link", name="新建小组").click()
    desk.get_by_label("人民代表大会").select_option(label=str(congress))
    desk.get_by_label(re.compile("^届")).select_option(index=1)
    desk.get_by_label("名称").fill("法制专业小组")
    desk.get_by_label("类型").select_option(label="代表专业小组")
    desk.get_by_label("专业领域或职责").fill("法制")
    press(desk, desk.get_by_role("button", name="保存小组"))

    assert "小组“法制专业小组”已保存。" in desk.locator("body").inner_text()
    made = DeputyGroup.objects.get()
    assert (made.kind, made.remit, made.congress) == ("professional", "法制", congress)


@pytest.mark.form_view("deputies:group_edit")
def test_staff_rename_a_group(live_server, desk, congress):
    made = group(congress, "第一代表小组")
    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(live_server.url + reverse("deputies:group", args=[made.pk]))
    desk.get_by_role("link", name="编辑小组").click()
    desk.get_by_label("名称").fill("五山街代表小组")
    press(desk, desk.get_by_role("button", name="保存小组"))

    made.refresh_from_db()
    assert made.name == "五山街代表小组"


@pytest.mark.form_view("deputies:group_add")
def test_staff_find_deputies_by_name_and_add_the_ticked_one(live_server, desk, congress):
    made = group(congress, "财经专业小组", kind="professional", remit="财经")
    wanted = MandateFactory(congress=congress, person__name="陈国强")
    MandateFactory(congress=congress, person__name="陈国华")
    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(live_server.url + reverse("deputies:group", args=[made.pk]))
    desk.locator("#add").get_by_label("姓名或工作单位").fill("陈国")
    with desk.expect_navigation():
        desk.get_by_role("button", name="查找").click()
    desk.get_by_role("checkbox", name="陈国强").check()
    press(desk, desk.get_by_role("button", name="加入勾选的代表"))

    assert "已将1名代表加入小组。" in desk.locator("body").inner_text()
    assert list(made.memberships.values_list("mandate", "role")) == [(wanted.pk, "member")]
    assert "陈国强" in desk.locator("#members").inner_text()


@pytest.mark.form_view("deputies:group_role")
def test_staff_name_a_member_the_groups_leader(live_server, desk, congress):
    made = group(congress, "教科文卫专业小组", kind="professional")
    membership = join(made, MandateFactory(congress=congress, person__name="林晓梅"))
    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(live_server.url + reverse("deputies:group", args=[made.pk]))
    desk.get_by_label("林晓梅的职务").select_option(label="组长")
    press(desk, desk.get_by_role("button", name="变更职务"))

    assert "职务已变更。" in desk.locator("body").inner_text()
    membership.refresh_from_db()
    assert membership.role == "leader"


@pytest.mark.form_view("deputies:group_remove")
def test_staff_take_a_member_out_of_the_group(live_server, desk, congress):
    made = group(congress, "第二代表小组")
    join(made, MandateFactory(congress=congress, person__name="黄志明"))
    log_in(desk, live_server, core.staff_of(congress))
    desk.goto(live_server.url + reverse("deputies:group", args=[made.pk]))
    press(desk, desk.get_by_role("button", name="将黄志明移出小组"))

    assert "已将该代表移出小组。" in desk.locator("body").inner_text()
    assert not GroupMembership.objects.exists()
    assert "移出小组成员" in desk.locator("body").inner_text()  # the group's history

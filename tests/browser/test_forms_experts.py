"""The expert pools as staff use them: a new pool, an expert added and edited with their phone shown masked and
revealed on request, archived; on an activity's desk, experts picked from the pool by field of expertise and
invited, and the answer an expert gave the office recorded."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from activities.models import Expert, ExpertPool, Participant
from tests import factories as core
from tests.activities import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def congress():
    made = core.CongressFactory(region=core.province("62", "甘肃省"))
    current_term(made)
    return made


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


@pytest.mark.form_view("activities:expert_pools", "activities:expert_add")
def test_staff_add_a_pool_and_an_expert_whose_phone_is_shown_masked(live_server, desk, congress, staff):
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:expert_pools"))
    desk.get_by_label("名称").fill("法律专家库")
    desk.get_by_label("代码").fill("law")
    press(desk, desk.get_by_role("button", name="新增专家库"))
    assert "已新增专家库“法律专家库”" in desk.locator("body").inner_text()

    desk.goto(live_server.url + reverse("activities:expert_add"))
    desk.get_by_label("姓名").fill("张明远")
    desk.get_by_label("法律专家库").check()
    desk.get_by_label("专业领域").fill("行政法、环境资源法")
    desk.get_by_label("职称或职务").fill("教授")
    desk.get_by_label("工作单位").fill("兰州大学法学院")
    desk.get_by_label("手机号码").fill("13912345678")
    desk.get_by_label("电子邮件").fill("zhangmy@lzu.edu.cn")
    press(desk, desk.get_by_role("button", name="保存"))
    assert "已保存专家张明远" in desk.locator("body").inner_text()
    expert = Expert.objects.get()
    assert (expert.phone, list(expert.pools.all())) == ("13912345678", [ExpertPool.objects.get()])
    assert "13912345678" not in desk.locator("main").inner_text()
    assert "139****5678" in desk.locator("main").inner_text()


@pytest.mark.form_view("activities:expert_contact", "activities:expert_edit", "activities:expert_archive")
def test_staff_reveal_an_experts_phone_edit_them_and_archive_them(live_server, desk, congress, staff):
    expert = f.expert(staff, congress, name="李文华", phone="13987654321")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:expert", args=[expert.pk]))
    assert "13987654321" not in desk.locator("main").inner_text()
    press(desk, desk.get_by_role("button", name="显示完整手机号码和邮箱"))
    assert "13987654321" in desk.locator("main").inner_text()
    assert LogEntry.objects.filter(additional_data__action="view_personal_data", object_pk=str(expert.pk)).exists()

    desk.get_by_role("link", name="编辑").click()
    desk.get_by_label("专业领域").fill("行政法、立法学")
    press(desk, desk.get_by_role("button", name="保存"))
    assert Expert.objects.get().expertise == "行政法、立法学"

    press(desk, desk.get_by_role("button", name="归档该专家"))
    assert "已归档专家李文华" in desk.locator("body").inner_text()
    assert Expert.objects.get().archived


@pytest.mark.form_view("activities:invite_experts", "activities:expert_answer")
def test_staff_invite_an_expert_found_by_field_and_record_their_answer(live_server, desk, congress, staff):
    activity = f.activity(staff, congress, title="农村饮水安全执法检查")
    found = f.expert(staff, congress, name="张明远", expertise="水法、行政法")
    f.expert(staff, congress, name="陈静", expertise="财税法")
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("activities:activity", args=[activity.pk]))
    desk.get_by_role("link", name="邀请专家").click()
    desk.get_by_label("专业领域").fill("水法")
    with desk.expect_navigation():
        desk.get_by_role("button", name="筛选").click()
    assert "陈静" not in desk.locator("main").inner_text()
    desk.get_by_label("张明远").check()
    press(desk, desk.get_by_role("button", name="邀请所选专家"))
    assert "已邀请1位专家。" in desk.locator("body").inner_text()
    participant = Participant.objects.get()
    assert (participant.expert, participant.answer) == (found, "invited")

    row = desk.locator("#experts tr", has_text="张明远")
    row.get_by_role("radio", name="谢绝").check()
    row.get_by_label("谢绝理由").fill("同期出差")
    press(desk, row.get_by_role("button", name="登记答复"))
    assert "已登记张明远的答复" in desk.locator("body").inner_text()
    participant.refresh_from_db()
    assert (participant.answer, participant.decline_reason) == ("declined", "同期出差")

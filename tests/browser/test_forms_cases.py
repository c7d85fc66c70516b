"""The case selection's forms as people fill them: staff set up a campaign, a unit's quota and open it; a unit's
officer writes a case with a photo, removes an attachment and submits it; staff return a case for completion."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Campaign, Submission
from tests import factories as core
from tests.cases import factories as f
from tests.deputies.factories import current_term

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PNG = {"name": "调研现场.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100}


@pytest.fixture
def congress():
    made = core.CongressFactory()
    current_term(made)
    return made


@pytest.fixture
def staff(congress):
    return core.staff_of(congress)


def open_campaign(staff, congress, units):
    today = timezone.localdate()
    return f.campaign(staff, congress, units, title="2026年度代表履职优秀案例", opens=today - timedelta(days=5),
                      closes=today + timedelta(days=20))  # fmt: skip


@pytest.mark.form_view("cases:campaign_new", "cases:campaign_edit", "cases:unit_quota", "cases:campaign_act")
def test_staff_set_up_a_campaign_and_open_it_for_submissions(live_server, desk, congress, staff):
    f.unit_with_officer(congress, "广州市教育局")
    f.unit_with_officer(congress, "广州市卫生健康委员会")
    today = timezone.localdate()
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("cases:campaigns"))
    desk.get_by_role("link", name="新建评选活动").click()
    desk.get_by_label("人民代表大会").select_option(label=congress.name)
    desk.get_by_label("案例类别").select_option(index=0)
    desk.get_by_label("标题").fill("2026年度代表履职优秀案例")
    desk.get_by_label("说明").fill("各单位推荐本年度代表履职优秀案例。")
    desk.get_by_label("报送开始日期").fill(today.isoformat())
    desk.get_by_label("报送截止日期").fill((today + timedelta(days=30)).isoformat())
    desk.get_by_label("受邀报送单位").select_option(label=["广州市教育局", "广州市卫生健康委员会"])
    desk.get_by_label("每单位名额").fill("3")
    press(desk, desk.get_by_role("button", name="保存"))
    campaign = Campaign.objects.get()
    assert desk.url == live_server.url + reverse("cases:campaign", args=[campaign.pk])
    assert campaign.units.count() == 2

    desk.get_by_role("link", name="编辑", exact=True).click()
    desk.get_by_label("标题").fill("2026年度人大代表履职优秀案例")
    press(desk, desk.get_by_role("button", name="保存"))
    assert "评选活动已保存。" in desk.locator("body").inner_text()
    campaign.refresh_from_db()
    assert campaign.title == "2026年度人大代表履职优秀案例"

    row = desk.get_by_role("row", name="广州市教育局")
    row.get_by_label("名额").fill("5")
    press(desk, row.get_by_role("button", name="保存"))
    assert "广州市教育局的名额已保存。" in desk.locator("body").inner_text()
    assert campaign.units.get(unit__name="广州市教育局").quota == 5

    press(desk, desk.get_by_role("button", name="开始接受报送"))
    assert "评选活动已开始接受报送，已通知各单位。" in desk.locator("body").inner_text()
    campaign.refresh_from_db()
    assert campaign.status == "open"


@pytest.mark.form_view("cases:submission_new", "cases:submission_edit", "cases:file_remove", "cases:submission_submit")
def test_a_unit_officer_writes_a_case_with_a_photo_and_submits_it(live_server, desk, congress, staff):
    unit, officer = f.unit_with_officer(congress, "广州市教育局")
    deputy = f.deputy(congress)
    campaign = open_campaign(staff, congress, [unit])
    log_in(desk, live_server, officer)
    desk.goto(live_server.url + reverse("cases:unit"))
    desk.get_by_role("link", name="填写案例").click()
    desk.get_by_label("标题").fill("推动课后服务延时的履职实践")
    desk.get_by_label("情况摘要").fill("代表调研推动全市中小学课后服务延时。")
    desk.get_by_label("案例事迹").fill(f.NARRATIVE)
    desk.get_by_label("代表层级").select_option(label="省级")
    desk.get_by_label("代表", exact=True).select_option(label=f"{deputy.person.name}（{congress.name}）")
    desk.get_by_label("材料和照片").set_input_files([PNG])
    press(desk, desk.get_by_role("button", name="保存草稿"))
    assert "草稿已保存，完善后请报送。" in desk.locator("body").inner_text()
    item = Submission.objects.get(campaign=campaign)
    assert (item.status, list(item.mandates.all()), item.files.count()) == ("draft", [deputy], 1)

    desk.get_by_role("link", name="编辑", exact=True).click()
    desk.get_by_label("标题").fill("推动中小学课后服务延时的履职实践")
    press(desk, desk.get_by_role("button", name="保存草稿"))
    item.refresh_from_db()
    assert item.title == "推动中小学课后服务延时的履职实践"

    press(desk, desk.get_by_role("button", name="删除"))
    assert "附件已删除。" in desk.locator("body").inner_text()
    assert item.files.count() == 0
    desk.goto(live_server.url + reverse("cases:submission", args=[item.pk]))
    press(desk, desk.get_by_role("button", name="提交"))
    assert "案例已报送。" in desk.locator("body").inner_text()
    item.refresh_from_db()
    assert item.status == "submitted"


@pytest.mark.form_view("cases:review")
def test_staff_return_a_case_for_completion_saying_why(live_server, desk, congress, staff):
    unit, officer = f.unit_with_officer(congress, "广州市教育局")
    campaign = open_campaign(staff, congress, [unit])
    item = f.submission(
        officer, campaign, title="推动课后服务延时的履职实践", level="provincial", mandates=[f.deputy(congress)]
    )
    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("cases:campaign", args=[campaign.pk]))
    desk.get_by_role("link", name="推动课后服务延时的履职实践").click()
    desk.get_by_label("原因").fill("请补充代表调研的照片。")
    press(desk, desk.get_by_role("button", name="退回补充"))
    assert "已通知该单位。" in desk.locator("body").inner_text()
    item.refresh_from_db()
    assert (item.status, item.review_note) == ("returned", "请补充代表调研的照片。")

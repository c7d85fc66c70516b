"""Staff's topic pages in a browser: recompute the topics now, rename one, and merge another into it."""

import pytest
from django.urls import reverse
from django.utils import timezone

from congress.models import Topic
from tests import factories as core
from tests.congress.topic_data import themes
from tests.liaison_stations.factories import StationFactory

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("topics", "topic")
def test_staff_recompute_rename_and_merge_topics(live_server, desk):
    station = StationFactory(congress=core.CongressFactory(region=core.county()))
    today = timezone.localdate()
    themes(station, months=((today.year, today.month, 1),))
    staff = core.staff_of(station.congress)

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("topics"))
    assert "尚无话题" in desk.locator("main").inner_text()
    press(desk, desk.get_by_role("button", name="立即重新计算"))
    assert "正在重新计算话题" in desk.locator(".messages").inner_text()
    desk.reload()
    lifts = next(t for t in Topic.objects.all() if "电梯" in t.keywords)
    parking = Topic.objects.exclude(pk=lifts.pk).get()

    desk.get_by_role("link", name=lifts.name).click()
    desk.get_by_label("名称").fill("老旧小区加装电梯")
    press(desk, desk.get_by_role("button", name="保存名称"))
    assert "话题已改名" in desk.locator(".messages").inner_text()
    assert desk.get_by_role("heading", level=1).inner_text() == "老旧小区加装电梯"

    desk.goto(live_server.url + reverse("topic", args=[parking.pk]))
    desk.get_by_label("合并到").select_option(label="老旧小区加装电梯")
    desk.get_by_label("我知道此后本话题的意见和建议将计入所选话题。").check()
    press(desk, desk.get_by_role("button", name="合并话题"))
    assert "话题已合并" in desk.locator(".messages").inner_text()
    parking.refresh_from_db()
    assert parking.merged_into_id == lifts.pk
    assert "合并的话题" in desk.locator("main").inner_text()

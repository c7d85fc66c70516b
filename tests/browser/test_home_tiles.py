"""Each role's home page as a person sees it: large task tiles, two a row on a phone and four on a desk, each a link
whose name says how many to-dos wait there, overdue ones in red; the station manager's overdue deadlines apart."""

import pytest
import time_machine

from tests.flows.test_home_tiles import TODAY, World

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LATE = "2026-09-30 10:00 +0800"  # the units' replies and the stations' triage are overdue by then


@pytest.fixture
def world():
    with time_machine.travel(TODAY, tick=False):
        return World(items=1)


def boxes(page):
    return [tile.bounding_box() for tile in page.locator(".task-tile").all()]


def test_a_deputy_on_a_phone_sees_two_tiles_a_row_and_opens_the_reply_to_rate(live_server, phone, world):
    with time_machine.travel(TODAY, tick=True):
        log_in(phone, live_server, world.deputy)
        tile = phone.get_by_role("link", name="等待您反馈的答复 1 项待办")
        assert tile.is_visible()
        first, second, third = boxes(phone)[:3]
        assert first["y"] == second["y"] < third["y"]
        assert first["width"] > 150  # a large tile: half the phone's width, not a line of text
        tile.click()
        phone.wait_for_url("**/suggestions/mine/#feedback")
        assert phone.locator("#feedback li").count() == 1


def test_a_unit_officer_on_a_desk_sees_four_tiles_a_row_and_the_overdue_in_red(live_server, desk, world):
    with time_machine.travel(LATE, tick=True):
        log_in(desk, live_server, world.officer)
        assert desk.get_by_role("link", name="待答复的建议 1 项待办").is_visible()
        overdue = desk.get_by_role("link", name="其中 1 项已逾期").first
        red, green, blue = desk.evaluate("e => getComputedStyle(e).color.match(/\\d+/g).map(Number)",
                                         overdue.element_handle())  # fmt: skip
        assert red > 100 and green < 60 and blue < 60
        overdue.click()
        desk.wait_for_load_state()
        assert desk.locator("tbody tr").count() == 1


def test_staff_on_a_desk_see_their_tiles_four_a_row(live_server, desk, world):
    with time_machine.travel(TODAY, tick=True):
        log_in(desk, live_server, world.staff)
        assert desk.get_by_role("link", name="待审查的建议 1 项待办").is_visible()
        rows = {}
        for box in boxes(desk):
            rows.setdefault(box["y"], []).append(box)
        assert max(len(row) for row in rows.values()) == 4


def test_a_station_manager_sees_their_overdue_triage_apart_and_marked(live_server, phone, world):
    with time_machine.travel(LATE, tick=True):
        log_in(phone, live_server, world.manager)
        assert phone.get_by_role("link", name="待分办的群众意见 1 项待办").is_visible()
        overdue = phone.get_by_role("region", name="已逾期")
        assert overdue.is_visible()
        assert "群众意见分级分类处理" in overdue.inner_text()
        assert "已逾期" in overdue.locator(".tag.danger").first.inner_text()

"""Voting on a tablet at the venue, in a browser: the staff enrol the tablet from the tablet itself and are signed
out of it; two deputies then sign in on it one after the other (the second mistypes their password first) and
vote; nobody is left signed in; on the office screen the staff see the tablet's count and withdraw it, after which
the tablet opens nothing."""

import pytest
from django.urls import reverse

from livelihood.models import Channel, Turnout
from tests import factories as core
from tests.livelihood import factories as f

from .conftest import _page, log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "Passw0rd!x"


@pytest.fixture
def tablet_screen(chromium, request):
    """A page on a tablet-sized touch screen."""
    yield from _page(chromium, request, viewport={"width": 800, "height": 1280}, has_touch=True)


@pytest.fixture
def open_vote():
    congress = f.congress()
    staff = core.staff_of(congress)
    prog, candidates, voters = f.voting(staff, congress, present=3)
    for mandate in voters:
        mandate.person.user.set_password(PASSWORD)
        mandate.person.user.save(update_fields=["password"])
    return staff, prog, candidates, voters


def sign_in(page, user, password=PASSWORD):
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password)
    press(page, page.get_by_role("button", name="登录"))


@pytest.mark.form_view("livelihood:tablets", "livelihood:tablet", "livelihood:withdraw_tablet")
def test_deputies_vote_one_after_another_on_an_enrolled_tablet(live_server, tablet_screen, desk, open_vote):
    staff, prog, candidates, voters = open_vote
    page = tablet_screen
    log_in(page, live_server, staff)
    page.goto(live_server.url + reverse("livelihood:tablets", args=[prog.pk]))
    page.get_by_label("平板名称").fill("会场平板3")
    press(page, page.get_by_role("button", name="登记本设备"))
    assert "登录投票" in page.content()

    sign_in(page, voters[0].person.user)
    assert "这是您的选票" in page.content()
    page.get_by_label(f"1. {candidates[0].title}").check()
    page.get_by_label(f"2. {candidates[1].title}").check()
    press(page, page.get_by_role("button", name="投票"))
    assert "您的票已投出" in page.content()
    page.get_by_role("link", name="下一位代表").click()

    sign_in(page, voters[1].person.user, password="wrong-password")
    assert "用户名或密码不正确" in page.content() and "这是您的选票" not in page.content()
    sign_in(page, voters[1].person.user)
    page.get_by_label(f"3. {candidates[2].title}").check()
    press(page, page.get_by_role("button", name="投票"))
    assert "您的票已投出" in page.content()

    turnout = Turnout.objects.filter(programme=prog)
    assert sorted(turnout.values_list("channel", flat=True)) == [Channel.TABLET, Channel.TABLET]
    # Nobody stays signed in on the tablet: the phone ballot's page asks for a login.
    page.goto(live_server.url + reverse("livelihood:ballot", args=[prog.pk]))
    assert "/accounts/login/" in page.url

    log_in(desk, live_server, staff)
    desk.goto(live_server.url + reverse("livelihood:tablets", args=[prog.pk]))
    row = desk.get_by_role("row", name="会场平板3")
    assert "2" in row.inner_text()
    press(desk, row.get_by_role("button", name="收回"))
    assert "平板已收回" in desk.content()

    page.goto(live_server.url + reverse("livelihood:tablet", args=[prog.pk]))
    assert "不是投票平板" in page.content()

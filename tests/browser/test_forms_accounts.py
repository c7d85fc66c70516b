"""A deputy who forgot their password chooses a new one from the emailed link, on a phone; anyone switches the
page's language from the header menu and back."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories

from .conftest import log_in, press

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.form_view("password_reset", "password_reset_confirm")
def test_a_deputy_resets_a_forgotten_password_from_the_emailed_link(live_server, phone):
    deputy = factories.deputy_of(factories.CongressFactory(), email="chen.li@example.cn")
    phone.goto(live_server.url + reverse("login"))
    phone.get_by_role("link", name="忘记密码？").click()
    phone.get_by_label("电子邮箱").fill("chen.li@example.cn")
    press(phone, phone.get_by_role("button", name="发送链接"))
    assert "请查收邮件" in phone.locator("h1").inner_text()

    (message,) = mail.outbox
    assert message.to == ["chen.li@example.cn"]
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    phone.goto(live_server.url + path)
    phone.get_by_label("新密码", exact=True).fill("Xin-mima-2026")
    phone.get_by_label("再次输入新密码").fill("Xin-mima-2026")
    press(phone, phone.get_by_role("button", name="保存新密码"))
    assert "密码已修改" in phone.locator("h1").inner_text()
    deputy.refresh_from_db()
    assert deputy.check_password("Xin-mima-2026")


@pytest.mark.form_view("set_language")
def test_the_language_menu_switches_the_page_to_english_and_back(live_server, phone):
    deputy = factories.deputy_of(factories.CongressFactory())
    log_in(phone, live_server, deputy)
    phone.goto(live_server.url + reverse("inbox"))
    menu = phone.get_by_label("语言")
    with phone.expect_navigation():
        menu.select_option(label="English")
    assert phone.url == live_server.url + reverse("inbox")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("button", name="Log out").is_visible()
    assert {c["name"]: c["value"] for c in phone.context.cookies()}["django_language"] == "en"

    with phone.expect_navigation():
        phone.get_by_label("Language").select_option(label="简体中文")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.get_by_role("button", name="退出登录").is_visible()

"""The console's widgets speak Chinese too: the two-box multi-select (Django's SelectFilter) reads its words from
the admin's JavaScript catalogue, which the page must load (and the Content-Security-Policy allow)."""

import pytest
from django.urls import reverse

from tests import factories as core

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_console_multi_select_shows_chinese_words(live_server, desk):
    log_in(desk, live_server, core.UserFactory(is_superuser=True, is_staff=True))
    desk.goto(live_server.url + reverse("admin:training_course_add"))
    chooser = desk.locator(".selector").first
    chooser.wait_for()
    text = chooser.inner_text()
    assert "全选" in text
    assert "移除" in text
    assert "Choose" not in text
    assert "Remove" not in text

"""A signed-in session ends after 30 minutes without a request, 8 hours after login however busy, and with the
browser (its cookie carries no expiry date)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def user():
    return factories.UserFactory(password="Renda@2026-ok")


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": "Renda@2026-ok"})


def signed_in(client) -> bool:
    return client.get(reverse("inbox")).status_code == 200


def test_half_an_hour_without_a_request_ends_the_session(client, user):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, user)
        clock.move_to(START + timedelta(minutes=29))
        assert signed_in(client)
        clock.move_to(START + timedelta(minutes=29 + 31))
        response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_a_busy_session_lasts_but_ends_eight_hours_after_login(client, user):
    with time_machine.travel(START, tick=False) as clock:
        log_in(client, user)
        for minutes in range(20, 8 * 60, 20):
            clock.move_to(START + timedelta(minutes=minutes))
            assert signed_in(client), minutes
        clock.move_to(START + timedelta(hours=8, minutes=5))
        assert not signed_in(client)


def test_the_session_cookie_ends_with_the_browser(client, user):
    response = log_in(client, user)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"]

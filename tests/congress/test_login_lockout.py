"""Five wrong passwords lock that account out from that address for half an hour (django-axes)."""

import pytest
import time_machine
from axes.models import AccessAttempt

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Renda@2026-ok"


@pytest.fixture
def user():
    user = factories.UserFactory(username="lihong")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, password, username="lihong", address="10.0.0.8"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_the_right_password_after_five_wrong_ones_is_refused_with_the_lockout_page(client, user):
    for _ in range(4):
        assert attempt(client, "wrong-guess").status_code == 200
    assert attempt(client, "wrong-guess").status_code == 429  # the fifth failure locks
    response = attempt(client, PASSWORD)
    assert response.status_code == 429
    assert "30" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_count(client, user):
    for _ in range(4):
        attempt(client, "wrong-guess")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "wrong-guess")
    assert attempt(client, PASSWORD).status_code == 302


def test_the_lock_holds_one_account_from_one_address(client, user):
    other = factories.UserFactory(username="wangqiang")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(5):
        attempt(client, "wrong-guess")
    assert attempt(client, PASSWORD, address="10.0.0.9").status_code == 302
    client.logout()
    assert attempt(client, PASSWORD, username="wangqiang").status_code == 302


def test_the_lock_ends_after_the_cooling_off_time(client, user):
    with time_machine.travel("2026-12-01 09:00 +0800", tick=False):
        for _ in range(5):
            attempt(client, "wrong-guess")
        assert attempt(client, PASSWORD).status_code == 429
    with time_machine.travel("2026-12-01 09:31 +0800", tick=False):
        assert attempt(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="lihong").exists()

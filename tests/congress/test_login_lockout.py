"""Five wrong passwords lock that account out from that address for half an hour (django-axes); twenty failures
from one address over any accounts (spraying) lock the address, and twenty for one account over any addresses lock
the account (issue 22)."""

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


ADDRESS_LIMIT = 20  # failures from one address, over any accounts, within the half hour
ACCOUNT_LIMIT = 20  # failures for one account, over any addresses


def test_spraying_many_usernames_from_one_address_locks_that_address(client, user):
    for n in range(ADDRESS_LIMIT - 1):
        assert attempt(client, "Spring2026!", username=f"user{n:02d}").status_code == 200
    locked = attempt(client, "Spring2026!", username="user19")  # the twentieth failure locks the address
    assert locked.status_code == 429
    assert "登录已锁定" in locked.content.decode()
    assert attempt(client, PASSWORD).status_code == 429  # even the right password of an untouched account
    assert "_auth_user_id" not in client.session
    assert attempt(client, PASSWORD, address="10.0.0.9").status_code == 302


def test_one_username_from_many_addresses_locks_that_account(client, user):
    other = factories.UserFactory(username="wangqiang")
    other.set_password(PASSWORD)
    other.save()
    for n in range(ACCOUNT_LIMIT - 1):
        assert attempt(client, "wrong-guess", address=f"10.1.0.{n + 1}").status_code == 200
    assert attempt(client, "wrong-guess", address="10.1.0.20").status_code == 429  # the twentieth locks it
    response = attempt(client, PASSWORD, address="10.2.0.1")  # the right password, from a fresh address
    assert response.status_code == 429
    assert "登录已锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The addresses are not locked: another account signs in from one of them.
    assert attempt(client, PASSWORD, username="wangqiang", address="10.1.0.3").status_code == 302


def test_signing_into_ones_own_account_does_not_clear_the_addresss_count(client, user):
    for n in range(ADDRESS_LIMIT - 1):
        attempt(client, "Spring2026!", username=f"user{n:02d}")
    assert attempt(client, PASSWORD).status_code == 302  # the sprayer's own account
    client.logout()
    assert attempt(client, "Spring2026!", username="user19").status_code == 429

"""Forgotten passwords are reset through a one-time link sent by email; the form is rate-limited."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Xin-mima-2026!"


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()  # django-ratelimit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def user():
    return factories.UserFactory(username="lihong", email="lihong@example.cn")


def ask(client, email="lihong@example.cn", address="10.0.0.8"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def logs_in(client, password) -> bool:
    response = client.post(reverse("login"), {"username": "lihong", "password": password})
    return response.status_code == 302


def link_in(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)


def test_the_login_page_offers_the_reset(client):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()


def test_the_email_link_sets_a_new_password_that_logs_in(client, user):
    response = ask(client)
    assert response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["lihong@example.cn"]
    form = client.get(link_in(message), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("password_reset_complete")
    assert logs_in(client, NEW_PASSWORD)


def test_the_link_works_once(client, user):
    ask(client)
    link = link_in(mail.outbox[0])
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(link, follow=True)
    assert not again.context["validlink"]


def test_the_new_password_follows_the_password_rules(client, user):
    ask(client)
    form_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "short1", "new_password2": "short1"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    user.refresh_from_db()
    assert not user.check_password("short1")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, user):
    assert ask(client, email="nobody@example.cn").url == reverse("password_reset_done")
    assert mail.outbox == []


def test_requests_beyond_five_an_hour_from_one_address_are_refused(client, user):
    for n in range(5):
        assert ask(client, email=f"other{n}@example.cn").status_code == 302
    response = ask(client)
    assert response.status_code == 429
    assert mail.outbox == []


def test_requests_beyond_five_an_hour_for_one_email_are_refused_from_any_address(client, user):
    for n in range(5):
        ask(client, address=f"10.0.1.{n}")
    assert ask(client, address="10.0.2.1").status_code == 429
    assert len(mail.outbox) == 5

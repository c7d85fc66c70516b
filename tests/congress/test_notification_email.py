"""Notifications reach people's mailboxes as Chinese HTML e-mail with a plain-text part, the link as a button,
and whatever users wrote escaped; they leave through the outbox once the change that made them commits."""

import pytest
from django.core import mail

from congress import notifications
from congress.models import OutboxMessage
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "建议第12号已答复"
BODY = "承办单位已答复您的建议，请在20个工作日内评价。\n第二行"
LINK = "/suggestions/12/"


@pytest.fixture
def user():
    return factories.UserFactory(email="deputy@example.cn")


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://renda.example.gov.cn/"


def send(user, django_capture_on_commit_callbacks, title=TITLE, body=BODY, link=LINK):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("mail:1", [user], title, body, link)
    (message,) = mail.outbox
    return message


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_the_mail_has_a_plain_text_and_an_html_part(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks)
    assert message.to == [user.email]
    assert message.subject == TITLE
    assert message.content_subtype == "plain"
    assert html_of(message).lstrip().startswith("<!DOCTYPE html>")


def test_both_parts_carry_the_chinese_title_and_text(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks)
    html = html_of(message)
    for part in (message.body, html):
        assert TITLE in part
        assert "承办单位已答复您的建议，请在20个工作日内评价。" in part
    assert "第二行" in message.body and "<br>第二行" in html


def test_the_words_around_the_message_are_chinese(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks)
    assert 'lang="zh-hans"' in html_of(message)
    assert "请勿回复" in message.body and "请勿回复" in html_of(message)
    assert "在系统中查看" in html_of(message)


def test_the_link_is_a_button_to_the_full_address_and_is_in_the_text(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks)
    address = "https://renda.example.gov.cn/suggestions/12/"
    assert f'<a href="{address}"' in html_of(message)
    assert address in message.body


def test_html_in_a_title_or_body_is_escaped_in_the_html_part(user, django_capture_on_commit_callbacks):
    title = '<script>alert(1)</script><a href="http://evil.example">点此</a>'
    message = send(user, django_capture_on_commit_callbacks, title=title, body="<b>粗体</b> & 更多")
    html = html_of(message)
    assert "<script>" not in html and 'href="http://evil.example"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;粗体&lt;/b&gt; &amp; 更多" in html
    assert title in message.body and "<b>粗体</b> & 更多" in message.body  # plain text stays as written


def test_a_quote_in_a_link_cannot_leave_the_href(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks, link='/x/?a="><script>1</script>')
    html = html_of(message)
    assert "<script>1</script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


def test_no_link_no_button(user, django_capture_on_commit_callbacks):
    message = send(user, django_capture_on_commit_callbacks, link="")
    assert "<a href" not in html_of(message)


def test_the_mail_is_sent_through_the_outbox_after_the_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.send_once("mail:2", [user], TITLE, BODY, LINK)
    assert mail.outbox == []
    assert OutboxMessage.objects.filter(task="congress.tasks.deliver_notifications").exists()
    for callback in callbacks:
        callback()
    assert [message.subject for message in mail.outbox] == [TITLE]

"""Issue 29: messages to enterprise messaging groups through their webhook-style robots (企业微信 and 钉钉), against a
fake robot on 127.0.0.1 that checks the payload and, for 钉钉, the signature the way its documentation gives it
(written here from the documentation, not by calling the adapter). Sent through an outbox: a 5xx is tried again
after the backoff, a refused signature or an internal address is recorded and not retried. The office's group
gets the daily digest of units with overdue replies."""

import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from congress import checks, messaging
from congress.models import Organisation, OutboxMessage, RobotMessage
from suggestions import notices
from suggestions.models import Assignment
from tests import factories
from tests.suggestions import factories as suggestion_factories

pytestmark = pytest.mark.django_db

WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN, DING_SECRET = "ding-access-token-1", "SECb1d2c3e4f5-test-secret"


class FakeRobot:
    """A group robot on 127.0.0.1: checks each request, then answers with the queued (status, body) pairs, else
    200 {"errcode": 0}."""

    def __init__(self, check):
        self.check, self.requests, self.answers = check, [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                parts = urlsplit(self.path)
                query = dict(parse_qsl(parts.query))
                fake.requests.append((parts.path, query, dict(self.headers), json.loads(body)))
                refusal = fake.check(parts.path, query, dict(self.headers), json.loads(body))
                status, answer = refusal or (fake.answers.pop(0) if fake.answers else (200, {"errcode": 0}))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def wecom_check(path, query, headers, body):
    """企业微信: POST /cgi-bin/webhook/send?key=…, JSON with msgtype and its object; errcode 93000 for a bad key."""
    if path != "/cgi-bin/webhook/send" or query.get("key") != WECOM_KEY:
        return 200, {"errcode": 93000, "errmsg": "invalid webhook url"}
    if not headers.get("Content-Type", "").startswith("application/json"):
        return 200, {"errcode": 40008, "errmsg": "invalid message type"}
    kind = body.get("msgtype")
    if kind == "markdown" and isinstance(body.get("markdown", {}).get("content"), str):
        return None
    if kind == "text" and isinstance(body.get("text", {}).get("content"), str):
        return None
    return 200, {"errcode": 40008, "errmsg": "invalid message type"}


def dingtalk_check(path, query, headers, body):
    """钉钉: POST /robot/send?access_token=…&timestamp=…&sign=…, where sign is base64(HMAC-SHA256(key=secret,
    msg=timestamp + "\\n" + secret)), URL-encoded; a timestamp more than an hour from now is refused."""
    if path != "/robot/send" or query.get("access_token") != DING_TOKEN:
        return 200, {"errcode": 300001, "errmsg": "token is not exist"}
    timestamp = query.get("timestamp", "")
    if not timestamp.isdigit() or abs(int(timestamp) - time.time() * 1000) > 3600 * 1000:
        return 200, {"errcode": 310000, "errmsg": "invalid timestamp"}
    digest = hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(query.get("sign", ""), base64.b64encode(digest).decode()):
        return 200, {"errcode": 310000, "errmsg": "sign not match"}
    kind = body.get("msgtype")
    if kind == "markdown" and {"title", "text"} <= set(body.get("markdown", {})):
        return None
    if kind == "text" and isinstance(body.get("text", {}).get("content"), str):
        return None
    return 200, {"errcode": 40035, "errmsg": "缺少参数 json"}


@pytest.fixture
def local_robots(settings):
    """The test's robots listen on loopback, which the SSRF guard refuses unless the network is allowed."""
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.SITE_URL = "https://renda.example.gov.cn"
    settings.MESSAGING_TIMEOUT_SECONDS = 5


@pytest.fixture
def wecom(settings, local_robots):
    fake = FakeRobot(wecom_check)
    settings.MESSAGING_ROBOTS = {
        "office": {"kind": "wecom", "url": f"{fake.base}/cgi-bin/webhook/send?key={WECOM_KEY}", "congresses": []}
    }
    yield fake
    fake.close()


@pytest.fixture
def dingtalk(settings, local_robots):
    fake = FakeRobot(dingtalk_check)
    settings.MESSAGING_ROBOTS = {
        "dd": {"kind": "dingtalk", "url": f"{fake.base}/robot/send?access_token={DING_TOKEN}", "secret": DING_SECRET}
    }
    yield fake
    fake.close()


def send(robot, django_capture_on_commit_callbacks, key="k1", title="逾期提醒", text="- 市教育局: 3", link="/x/"):
    with django_capture_on_commit_callbacks(execute=True):
        message = messaging.queue(robot, key=key, title=title, text=text, link=link)
    message.refresh_from_db()
    return message


def test_a_wecom_robot_gets_markdown_with_the_title_text_and_a_link(wecom, django_capture_on_commit_callbacks):
    message = send("office", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.SENT
    ((_path, _query, _headers, body),) = wecom.requests
    content = body["markdown"]["content"]
    assert body["msgtype"] == "markdown"
    assert "逾期提醒" in content and "- 市教育局: 3" in content
    assert "(https://renda.example.gov.cn/x/)" in content


def test_a_wecom_robot_may_get_plain_text(wecom, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_ROBOTS["office"]["msgtype"] = "text"
    message = send("office", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.SENT
    body = wecom.requests[0][3]
    assert body["msgtype"] == "text"
    assert body["text"]["content"] == "逾期提醒\n- 市教育局: 3\nhttps://renda.example.gov.cn/x/"


def test_a_dingtalk_robot_gets_a_signed_request_and_takes_it(dingtalk, django_capture_on_commit_callbacks):
    message = send("dd", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.SENT, message.last_error
    ((_path, query, _headers, body),) = dingtalk.requests
    assert {"timestamp", "sign"} <= set(query)
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "逾期提醒"
    assert "- 市教育局: 3" in body["markdown"]["text"]


def test_a_wrong_dingtalk_secret_fails_for_good(dingtalk, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_ROBOTS["dd"]["secret"] = "SEC-not-the-robots"
    message = send("dd", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.FAILED
    assert "310000" in message.last_error
    assert message.next_attempt_at is None


def test_a_5xx_is_tried_again_after_the_backoff_and_then_sent(dingtalk, django_capture_on_commit_callbacks):
    dingtalk.answers.append((502, {"errmsg": "bad gateway"}))
    message = send("dd", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.PENDING
    assert message.next_attempt_at == message.claimed_at + timedelta(seconds=30)
    assert messaging.deliver(message.pk) == "skipped"  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert messaging.requeue() == 1
    message.refresh_from_db()
    assert message.status == RobotMessage.Status.SENT
    assert message.attempts == 2
    assert len(dingtalk.requests) == 2  # each signed anew, each checked by the fake


def test_the_robots_rate_limit_is_tried_again(wecom, django_capture_on_commit_callbacks):
    wecom.answers.append((200, {"errcode": 45009, "errmsg": "api freq out of limit"}))
    message = send("office", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.PENDING


def test_a_4xx_fails_for_good(wecom, django_capture_on_commit_callbacks):
    wecom.answers.append((404, {"errmsg": "not found"}))
    message = send("office", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.FAILED
    assert message.last_error == "HTTP 404"


def test_a_robot_address_inside_the_network_is_refused(wecom, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOWED_NETWORKS = []
    message = send("office", django_capture_on_commit_callbacks)
    assert message.status == RobotMessage.Status.FAILED
    assert message.last_error in ("address refused", "https required")
    assert wecom.requests == []


def test_the_message_leaves_only_after_its_transaction_commits(wecom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        messaging.queue("office", key="k2", title="t", text="x")
    assert OutboxMessage.objects.filter(task="congress.tasks.send_robot_message").count() == 1
    assert wecom.requests == []
    for callback in callbacks:
        callback()
    assert len(wecom.requests) == 1


def test_a_key_is_stored_and_sent_once(wecom, django_capture_on_commit_callbacks):
    send("office", django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging.queue("office", key="k1", title="again", text="x") is None
    assert len(wecom.requests) == 1


def test_a_robot_of_unknown_kind_or_without_address_stops_the_start(settings):
    settings.MESSAGING_ROBOTS = {"a": {"kind": "slack", "url": "https://x.example"}, "b": {"kind": "wecom"}}
    errors = checks.messaging_robots_configured()
    assert [error.id for error in errors] == ["congress.E005", "congress.E005"]


# The daily digest of units with overdue replies, to the office's group.

TODAY = date(2026, 6, 10)


@pytest.fixture
def overdue(settings, wecom):
    congress = factories.CongressFactory()
    staff = factories.staff_of(congress)
    mandate = suggestion_factories.deputy(congress)
    late, _officer = suggestion_factories.unit_with_officer(congress, "市教育局")
    later, _officer = suggestion_factories.unit_with_officer(congress, "市财政局")
    on_time, _officer = suggestion_factories.unit_with_officer(congress, "市卫健委")
    with time_machine.travel("2026-03-02 10:00 +0800"):
        for unit in (late, late, later, on_time):
            suggestion_factories.assigned(mandate, staff, unit)
    Assignment.objects.filter(unit__in=[late, later]).update(reply_due=TODAY - timedelta(days=1))
    Assignment.objects.filter(unit=on_time).update(reply_due=TODAY)
    settings.MESSAGING_ROBOTS["office"]["congresses"] = [congress.region.code]
    return congress


def test_the_office_group_gets_the_units_with_overdue_replies_most_first(
    overdue, wecom, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.overdue_units_digest(TODAY) == 1
    content = wecom.requests[0][3]["markdown"]["content"]
    assert "- 市教育局: 2\n- 市财政局: 1" in content
    assert "市卫健委" not in content  # due today: not overdue yet
    assert "2个承办单位共3件答复逾期（2026-06-10）" in content.splitlines()[0]


def test_the_digest_goes_once_a_day(overdue, wecom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notices.overdue_units_digest(TODAY)
        assert notices.overdue_units_digest(TODAY) == 0
        assert notices.overdue_units_digest(TODAY + timedelta(days=1)) == 1
    assert len(wecom.requests) == 2


def test_no_overdue_reply_no_digest(overdue, wecom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.overdue_units_digest(TODAY - timedelta(days=1)) == 0
    assert wecom.requests == []


def test_a_congress_without_a_group_gets_no_digest(overdue, wecom, settings, django_capture_on_commit_callbacks):
    settings.MESSAGING_ROBOTS["office"]["congresses"] = ["110000"]
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.overdue_units_digest(TODAY) == 0
    assert wecom.requests == []


def test_a_unit_name_cannot_put_a_link_or_a_tag_into_the_groups_markdown(
    overdue, wecom, django_capture_on_commit_callbacks
):
    Organisation.objects.filter(name="市教育局").update(
        name='[点此领奖](https://evil.example/) <font color="warning">市教育局</font>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices.overdue_units_digest(TODAY)
    content = wecom.requests[0][3]["markdown"]["content"]
    assert "](" not in content.split("\n\n")[1] and "<font" not in content
    assert '- ［点此领奖］（https://evil.example/） ＜font color="warning"＞市教育局＜/font＞: 2' in content

"""Issue 29: the SMS adapters against fake providers on 127.0.0.1 that check the signature and the payload the way
the provider documents them (written here from the documentation, not by calling the adapters), and the SMS outbox:
a 5xx is tried again after the backoff and then succeeds, a 4xx or a refused signature is recorded and not retried."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from congress import checks, notifications, sms
from congress.models import Delivery, SmsMessage
from tests import factories

pytestmark = pytest.mark.django_db

KEY_ID, KEY_SECRET, APP_ID, GATEWAY_SECRET = "LTAI-test-key", "aliyun-secret-1", "gd-renda", "gateway-secret-1"
PHONE = "13912345678"
TEMPLATES = {
    "vote_code": {"template": "SMS_900001", "params": {"code": "code", "min": "minutes"}},
    "opinion_result": {"template": "SMS_900002", "params": ["code", "state"]},
    "notification": {"template": "SMS_900003", "params": {"title": "title"}},
    "two_factor_code": {"template": "SMS_900004", "params": ["code", "minutes"]},
}


class FakeProvider:
    """A provider on 127.0.0.1: answers with the queued (status, body) pairs after checking each request."""

    def __init__(self, check):
        self.check, self.requests, self.answers = check, [], []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                fake.requests.append((dict(self.headers), body))
                refusal = fake.check(dict(self.headers), body)
                status, answer = refusal or (fake.answers.pop(0) if fake.answers else (200, {"Code": "OK", "code": 0}))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# Alibaba Cloud RPC signature v1, from its documentation: URL-encode (UTF-8) each name and value, then "+" → "%20",
# "*" → "%2A", "%7E" → "~"; sort by name; join; sign "POST&%2F&" + encode(query) with HMAC-SHA1 under secret + "&".
def aliyun_encode(value):
    return quote(value, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def aliyun_check(headers, body):
    params = dict(parse_qsl(body.decode(), keep_blank_values=True))
    given = params.pop("Signature", "")
    query = "&".join(f"{aliyun_encode(k)}={aliyun_encode(params[k])}" for k in sorted(params))
    to_sign = "POST&" + aliyun_encode("/") + "&" + aliyun_encode(query)
    expected = base64.b64encode(hmac.new(f"{KEY_SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    if params.get("AccessKeyId") != KEY_ID:
        return 404, {"Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
    if not hmac.compare_digest(given, expected):
        return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
    wanted = {"Action": "SendSms", "Version": "2017-05-25", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
              "Format": "JSON", "SignName": "广东人大"}  # fmt: skip
    if any(params.get(name) != value for name, value in wanted.items()) or not params.get("SignatureNonce"):
        return 400, {"Code": "MissingParameter", "Message": str(params)}
    if len(params["Timestamp"]) != 20 or not params["Timestamp"].endswith("Z"):
        return 400, {"Code": "InvalidTimeStamp.Format", "Message": params["Timestamp"]}
    json.loads(params["TemplateParam"])
    return None


def gateway_check(headers, body):
    signed = headers["X-Timestamp"].encode() + headers["X-Nonce"].encode() + body
    expected = hmac.new(GATEWAY_SECRET.encode(), signed, hashlib.sha256).hexdigest()
    if headers.get("X-App-Id") != APP_ID or not hmac.compare_digest(headers.get("X-Signature", ""), expected):
        return 401, {"code": "AUTH_FAILED", "message": "signature mismatch"}
    if json.loads(body)["app_id"] != APP_ID:
        return 400, {"code": "BAD_APP", "message": "app id"}
    return None


@pytest.fixture
def aliyun(settings):
    fake = FakeProvider(aliyun_check)
    settings.SMS_BACKEND = "congress.sms.AliyunSmsBackend"
    settings.SMS_ALIYUN_ENDPOINT, settings.SMS_ALIYUN_ACCESS_KEY_ID = fake.url, KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET, settings.SMS_SIGN_NAME = KEY_SECRET, "广东人大"
    settings.SMS_TEMPLATES, settings.SMS_TIMEOUT_SECONDS = TEMPLATES, 5
    yield fake
    fake.close()


@pytest.fixture
def gateway(settings):
    fake = FakeProvider(gateway_check)
    settings.SMS_BACKEND = "congress.sms.GatewaySmsBackend"
    settings.SMS_GATEWAY_URL, settings.SMS_GATEWAY_APP_ID = fake.url, APP_ID
    settings.SMS_GATEWAY_SECRET = GATEWAY_SECRET
    settings.SMS_SIGN_NAME, settings.SMS_TEMPLATES, settings.SMS_TIMEOUT_SECONDS = "广东人大", TEMPLATES, 5
    yield fake
    fake.close()


def queue_code(capture):
    with capture(execute=True):
        return sms.queue(PHONE, "vote_code", {"code": "483920", "minutes": 10, "title": "示范站评选"}, "验证码 483920")


def test_aliyun_sends_the_kinds_template_with_a_valid_signature(aliyun, django_capture_on_commit_callbacks):
    aliyun.answers = [(200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r1"})]
    message = queue_code(django_capture_on_commit_callbacks)
    [(_headers, body)] = aliyun.requests
    params = dict(parse_qsl(body.decode()))
    assert params["PhoneNumbers"] == PHONE and params["TemplateCode"] == "SMS_900001"
    assert json.loads(params["TemplateParam"]) == {"code": "483920", "min": "10"}
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.attempts) == ("sent", "900619746936498440^0", 1)


def test_the_gateway_sends_the_kinds_template_with_a_valid_signature(gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(200, {"code": 0, "message": "ok", "message_id": "GD-77"})]
    message = queue_code(django_capture_on_commit_callbacks)
    [(_headers, body)] = gateway.requests
    assert json.loads(body) == {"app_id": APP_ID, "phone": PHONE, "template_id": "SMS_900001",
                                "params": {"code": "483920", "min": "10"}, "sign_name": "广东人大"}  # fmt: skip
    message.refresh_from_db()
    assert (message.status, message.provider_id) == ("sent", "GD-77")


def test_a_sent_text_keeps_no_code(gateway, django_capture_on_commit_callbacks):
    message = queue_code(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == "sent" and message.payload == ""


@pytest.mark.parametrize("provider", ["aliyun", "gateway"])
def test_a_5xx_is_tried_again_after_the_backoff_and_then_succeeds(
    provider, request, django_capture_on_commit_callbacks
):
    fake = request.getfixturevalue(provider)
    ok = {"Code": "OK", "BizId": "B-2"} if provider == "aliyun" else {"code": 0, "message_id": "B-2"}
    fake.answers = [(503, {"Code": "ServiceUnavailable", "code": "503"}), (200, ok)]
    message = queue_code(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert message.status == "pending" and len(fake.requests) == 1
    assert sms.requeue() == 0  # the first backoff is 30 seconds
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert sms.requeue() == 1
    message.refresh_from_db()
    assert (message.status, message.provider_id, message.attempts, len(fake.requests)) == ("sent", "B-2", 2, 2)


def test_a_code_whose_retry_comes_after_it_expired_is_not_sent(gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(502, {"code": "502"})]
    with django_capture_on_commit_callbacks(execute=True):
        message = sms.queue(PHONE, "vote_code", {"code": "1", "minutes": 1}, "", expires_at=timezone.now()
                            + timedelta(seconds=20))  # fmt: skip
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert sms.requeue() == 1
    message.refresh_from_db()
    assert (message.status, len(gateway.requests)) == ("failed", 1)


@pytest.mark.parametrize("provider", ["aliyun", "gateway"])
def test_a_4xx_is_recorded_and_not_tried_again(provider, request, django_capture_on_commit_callbacks):
    fake = request.getfixturevalue(provider)
    fake.answers = [(400, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "code": "isv.MOBILE_NUMBER_ILLEGAL"})]
    message = queue_code(django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert sms.requeue() == 0
    message.refresh_from_db()
    assert (message.status, message.error_code, len(fake.requests)) == ("failed", "isv.MOBILE_NUMBER_ILLEGAL", 1)


def test_aliyun_refusing_with_a_business_code_is_permanent(aliyun, django_capture_on_commit_callbacks):
    aliyun.answers = [(200, {"Code": "isv.TEMPLATE_MISSING_PARAMETERS", "Message": "模板缺少变量"})]
    message = queue_code(django_capture_on_commit_callbacks)
    message.refresh_from_db()
    assert (message.status, message.error_code) == ("failed", "isv.TEMPLATE_MISSING_PARAMETERS")


def test_a_wrong_aliyun_secret_is_refused_by_the_provider_and_not_retried(
    aliyun, settings, django_capture_on_commit_callbacks
):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    message = queue_code(django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert sms.requeue() == 0
    message.refresh_from_db()
    assert (message.status, message.error_code, len(aliyun.requests)) == ("failed", "SignatureDoesNotMatch", 1)


def test_a_wrong_gateway_secret_is_refused_by_the_gateway_and_not_retried(
    gateway, settings, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY_SECRET = "not-the-secret"
    message = queue_code(django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert sms.requeue() == 0
    message.refresh_from_db()
    assert (message.status, message.error_code, len(gateway.requests)) == ("failed", "AUTH_FAILED", 1)


def test_an_unreachable_provider_is_retryable(gateway, settings):
    gateway.close()  # nothing listens on the port any more
    with pytest.raises(sms.RetryableSmsError):
        sms.send_now(PHONE, "vote_code", {"code": "1", "minutes": 1}, "")


def test_a_notification_the_provider_refuses_is_failed_at_once(gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(400, {"code": "BLACKLISTED", "message": "number on the blacklist"})]
    user = factories.UserFactory(phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("k-sms", [user], "到期提醒", channels=("sms",))
    # The notification's text went into the SMS outbox; the provider's refusal is recorded there, not retried.
    assert Delivery.objects.get().status == "sent"
    message = SmsMessage.objects.get()
    assert (message.kind, message.status, message.attempts, message.error_code) == (
        "notification", "failed", 1, "BLACKLISTED")  # fmt: skip
    assert json.loads(gateway.requests[0][1])["params"] == {"title": "到期提醒"}


def test_a_notification_text_is_retried_after_a_5xx(gateway, django_capture_on_commit_callbacks):
    gateway.answers = [(503, {"code": "BUSY"})]
    user = factories.UserFactory(phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_once("k-sms", [user], "到期提醒", channels=("sms",))
    assert SmsMessage.objects.get().status == "pending"
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert sms.requeue() == 1
    assert SmsMessage.objects.get().status == "sent"
    assert len(gateway.requests) == 2


def test_a_templated_backend_needs_a_template_for_every_kind(gateway, settings):
    assert checks.sms_provider_configured() == []
    settings.SMS_TEMPLATES = {k: v for k, v in TEMPLATES.items() if k != "opinion_result"}
    errors = checks.sms_provider_configured()
    assert [error.id for error in errors] == ["congress.E004"] and "opinion_result" in errors[0].msg


def test_a_template_naming_a_parameter_the_kind_lacks_is_refused(gateway, settings):
    settings.SMS_TEMPLATES = {**TEMPLATES, "vote_code": {"template": "SMS_1", "params": {"x": "phone_owner"}}}
    assert [error.id for error in checks.sms_provider_configured()] == ["congress.E004"]


def test_a_templated_backend_needs_its_keys(gateway, settings):
    settings.SMS_GATEWAY_SECRET = ""
    assert [error.id for error in checks.sms_provider_configured()] == ["congress.E003"]


@override_settings(SMS_TEMPLATES={})
def test_the_development_backends_need_no_templates():
    for backend in ["tests.sms.DeliveringSmsBackend", "congress.notifications.ConsoleSmsBackend"]:
        with override_settings(SMS_BACKEND=backend):
            assert checks.sms_provider_configured() == []


def test_finished_texts_are_forgotten_after_thirty_days_and_waiting_ones_kept(
    gateway, django_capture_on_commit_callbacks
):
    sent = queue_code(django_capture_on_commit_callbacks)
    gateway.answers = [(503, {"code": "503"})]
    waiting = queue_code(django_capture_on_commit_callbacks)
    gateway.answers = [(503, {"code": "503"})] * 10
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        sms.requeue()
        assert SmsMessage.objects.filter(pk=sent.pk).exists()
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sms.requeue()
    assert list(SmsMessage.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_an_unregistered_kind_cannot_be_queued():
    with pytest.raises(ValueError):
        sms.queue(PHONE, "marketing", {}, "")
    assert not SmsMessage.objects.exists()

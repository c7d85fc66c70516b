"""Issue 29: delivery receipts pushed by the provider are recorded on the text they name (by the provider's id),
once; Alibaba's push is accepted only at the address holding SMS_RECEIPT_TOKEN, the gateway's only with its
signature."""

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from congress.models import SmsMessage
from congress.sms import gateway, limits

pytestmark = pytest.mark.django_db
CST = ZoneInfo("Asia/Shanghai")
PHONE = "13912345678"
TOKEN = "receipt-token-1234567890"
SECRET = "gateway-secret"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.SMS_RECEIPT_TOKEN = TOKEN
    settings.SMS_GATEWAY_SECRET = SECRET


def sent(provider_id, phone=PHONE):
    return SmsMessage.objects.create(kind="notification", phone=phone, phone_hash=limits.phone_key(phone),
                                     status="sent", provider_id=provider_id)  # fmt: skip


def aliyun_item(biz_id, success=True, phone=PHONE, **extra):
    return {"phone_number": phone, "send_time": "2026-12-07 10:00:00", "report_time": "2026-12-07 10:00:08",
            "success": success, "err_code": "DELIVERED" if success else "MK:0001",
            "err_msg": "用户接收成功" if success else "用户关机", "sms_size": "1", "biz_id": biz_id, "out_id": "",
            **extra}  # fmt: skip


def push_aliyun(client, items, token=TOKEN):
    url = reverse("sms_receipt_aliyun", args=[token])
    return client.post(url, json.dumps(items, ensure_ascii=False), content_type="application/json")


def push_gateway(client, items, secret=SECRET, timestamp=None):
    body = json.dumps(items).encode()
    timestamp, nonce = str(timestamp or int(time.time())), "n0nce"
    headers = {"X-Timestamp": timestamp, "X-Nonce": nonce,
               "X-Signature": gateway.signature(secret, timestamp, nonce, body)}  # fmt: skip
    return client.post(reverse("sms_receipt_gateway"), body, content_type="application/json", headers=headers)


def test_alibabas_batch_records_delivered_and_failed_texts_with_their_time(client):
    good, bad = sent("900001^0"), sent("900002^0")
    response = push_aliyun(client, [aliyun_item("900001^0"), aliyun_item("900002^0", success=False)])
    assert (response.status_code, response.json()["code"]) == (200, 0)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert (good.delivered, good.reported_at) == (True, datetime(2026, 12, 7, 10, 0, 8, tzinfo=CST))
    assert (bad.delivered, bad.receipt_error) == (False, "MK:0001 用户关机")


def test_a_receipt_pushed_again_changes_nothing(client):
    message = sent("900003^0")
    push_aliyun(client, [aliyun_item("900003^0")])
    push_aliyun(client, [aliyun_item("900003^0", success=False, report_time="2026-12-07 11:00:00")])
    message.refresh_from_db()
    assert (message.delivered, message.reported_at) == (True, datetime(2026, 12, 7, 10, 0, 8, tzinfo=CST))


def test_alibabas_push_at_an_address_without_the_token_is_refused(client):
    message = sent("900004^0")
    assert push_aliyun(client, [aliyun_item("900004^0")], token="guessed").status_code == 404
    message.refresh_from_db()
    assert message.reported_at is None


def test_without_a_token_configured_the_address_answers_404(client, settings):
    settings.SMS_RECEIPT_TOKEN = ""
    message = sent("900007^0")
    assert push_aliyun(client, [aliyun_item("900007^0")]).status_code == 404
    message.refresh_from_db()
    assert message.reported_at is None


def test_a_receipt_naming_another_phone_is_ignored(client):
    message = sent("900005^0")
    push_aliyun(client, [aliyun_item("900005^0", phone="13800000000")])
    message.refresh_from_db()
    assert message.reported_at is None


def test_a_push_that_is_not_a_list_of_receipts_is_a_400(client):
    url = reverse("sms_receipt_aliyun", args=[TOKEN])
    assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400


def test_the_gateways_signed_receipt_is_recorded(client):
    message = sent("gw-77")
    items = [{"message_id": "gw-77", "phone": PHONE, "status": "failed", "report_time": 1796608800,
              "error_code": "UNDELIV"}]  # fmt: skip
    response = push_gateway(client, items)
    assert (response.status_code, response.json()["code"]) == (200, 0)
    message.refresh_from_db()
    assert (message.delivered, message.receipt_error) == (False, "UNDELIV")
    assert message.reported_at == datetime(2026, 12, 7, 10, 0, tzinfo=CST)


def test_the_gateways_receipt_with_a_wrong_signature_is_refused(client):
    message = sent("gw-78")
    items = [{"message_id": "gw-78", "phone": PHONE, "status": "delivered", "report_time": 1796608800}]
    assert push_gateway(client, items, secret="not-the-secret").status_code == 403
    message.refresh_from_db()
    assert message.reported_at is None


def test_the_gateways_receipt_replayed_later_is_refused(client):
    items = [{"message_id": "gw-79", "phone": PHONE, "status": "delivered"}]
    assert push_gateway(client, items, timestamp=int(time.time()) - 3600).status_code == 403


def test_finished_texts_with_their_receipts_are_still_forgotten_after_30_days(client):
    import time_machine
    from django.utils import timezone

    from congress import sms

    message = sent("900006^0")
    push_aliyun(client, [aliyun_item("900006^0")])
    with time_machine.travel(timezone.now() + sms.KEEP_FINISHED + timezone.timedelta(days=1)):
        sms.requeue()
    assert not SmsMessage.objects.filter(pk=message.pk).exists()

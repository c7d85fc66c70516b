"""Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), action SendSms, signed with the RPC signature v1.

The signature, as Alibaba documents it: percent-encode every parameter name and value (RFC 3986: unreserved
characters A-Z a-z 0-9 - _ . ~ kept, space as %20), sort by name, join as name=value with &; the string to sign is
"POST&%2F&" + percent-encode(that query); the signature is base64(HMAC-SHA1(AccessKeySecret + "&", string)). The
answer is JSON: Code "OK" with a BizId (the id delivery receipts name), or an error Code and Message."""

import base64
import hashlib
import hmac
import json
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from django.conf import settings

from . import http, kinds
from .errors import PermanentSmsError, RetryableSmsError

VERSION = "2017-05-25"
# Error codes Alibaba answers that clear up by themselves: throttled calls, an internal error.
RETRYABLE_CODES = {"Throttling", "Throttling.User", "Throttling.Api", "isp.SYSTEM_ERROR", "ServiceUnavailable",
                   "InternalError"}  # fmt: skip


def percent_encode(value: str) -> str:
    return quote(str(value), safe="~")


def signature(secret: str, method: str, params: dict) -> str:
    query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    string_to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    """SMS_BACKEND=congress.sms.AliyunSmsBackend; needs SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET,
    SMS_SIGN_NAME and a template per kind (SMS_TEMPLATES)."""

    delivers = True
    templated = True
    required_settings = ("SMS_ALIYUN_ACCESS_KEY_ID", "SMS_ALIYUN_ACCESS_KEY_SECRET", "SMS_SIGN_NAME")

    def send_template(self, phone: str, kind: str, params: dict) -> str:
        """Send; returns the provider's BizId. Raises RetryableSmsError or PermanentSmsError."""
        template_id, variables = kinds.fill(kind, params)
        query = {
            "AccessKeyId": settings.SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": settings.SMS_ALIYUN_REGION,
            "SignName": settings.SMS_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_id,
            "TemplateParam": json.dumps(variables, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": VERSION,
        }
        query["Signature"] = signature(settings.SMS_ALIYUN_ACCESS_KEY_SECRET, "POST", query)
        body = urlencode(query, quote_via=quote).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"}
        answer = http.post(settings.SMS_ALIYUN_ENDPOINT, body, headers, settings.SMS_TIMEOUT_SECONDS)
        try:
            data = json.loads(answer.body or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code, message = str(data.get("Code", "")), str(data.get("Message", ""))
        if code in RETRYABLE_CODES:
            raise RetryableSmsError(f"Alibaba Cloud SMS: {code} {message}", code=code, status=answer.status)
        http.raise_for_status(answer, code, message)
        if code != "OK":
            raise PermanentSmsError(f"Alibaba Cloud SMS: {code or 'no Code'} {message}", code=code,
                                    status=answer.status)  # fmt: skip
        return str(data.get("BizId", ""))

"""A provincial SMS gateway (政务短信平台): many provinces run one for their agencies, each with its own URL and
credentials but the same shape, which this adapter follows.

Request: POST SMS_GATEWAY_URL with a JSON body {"app_id", "phone", "template_id", "params", "sign_name"} and the
headers X-App-Id, X-Timestamp (Unix seconds), X-Nonce (random) and X-Signature: hex HMAC-SHA256 under
SMS_GATEWAY_SECRET of timestamp + nonce + body (the bytes sent). Answer: JSON {"code": 0, "message_id": ...} on
success; any other code is the gateway's refusal (permanent), a 5xx or 429 a moment to wait (retryable)."""

import hashlib
import hmac
import json
import secrets
import time

from django.conf import settings

from . import http, kinds
from .errors import PermanentSmsError

SUCCESS = {"0", "OK", "ok", "success"}


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + nonce.encode() + body, hashlib.sha256).hexdigest()


class GatewaySmsBackend:
    """SMS_BACKEND=congress.sms.GatewaySmsBackend; needs SMS_GATEWAY_URL, SMS_GATEWAY_APP_ID, SMS_GATEWAY_SECRET and
    a template per kind (SMS_TEMPLATES); SMS_SIGN_NAME is passed when set."""

    delivers = True
    templated = True
    required_settings = ("SMS_GATEWAY_URL", "SMS_GATEWAY_APP_ID", "SMS_GATEWAY_SECRET")

    def send_template(self, phone: str, kind: str, params: dict) -> str:
        """Send; returns the gateway's message id. Raises RetryableSmsError or PermanentSmsError."""
        template_id, variables = kinds.fill(kind, params)
        payload = {"app_id": settings.SMS_GATEWAY_APP_ID, "phone": phone, "template_id": template_id,
                   "params": variables, "sign_name": settings.SMS_SIGN_NAME}  # fmt: skip
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-App-Id": settings.SMS_GATEWAY_APP_ID,
            "X-Timestamp": timestamp,
            "X-Nonce": nonce,
            "X-Signature": signature(settings.SMS_GATEWAY_SECRET, timestamp, nonce, body),
        }
        answer = http.post(settings.SMS_GATEWAY_URL, body, headers, settings.SMS_TIMEOUT_SECONDS)
        try:
            data = json.loads(answer.body or b"{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        code, message = str(data.get("code", "")), str(data.get("message", ""))
        http.raise_for_status(answer, code, message)
        if code not in SUCCESS:
            raise PermanentSmsError(f"SMS gateway refused: {code or 'no code'} {message}", code=code,
                                    status=answer.status)  # fmt: skip
        return str(data.get("message_id", ""))

"""Tencent Cloud SMS SendSms, API version 2021-01-11, signed with TC3-HMAC-SHA256.

Signing, as Tencent documents it: CanonicalRequest = POST \\n / \\n (empty query) \\n
"content-type:…\\nhost:…\\n" \\n "content-type;host" \\n hex(SHA256(body)); StringToSign =
"TC3-HMAC-SHA256\\n<timestamp>\\n<date>/<service>/tc3_request\\n" + hex(SHA256(CanonicalRequest));
key = HMAC chain "TC3"+SecretKey → date → service → "tc3_request"; signature = hex HMAC-SHA256.
"""

import datetime
import hashlib
import hmac
import json
import time
from urllib.parse import urlsplit

from django.conf import settings

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult, SmsSendError, require_template_id
from apps.sms.backends.provider_http import post, require_settings

API_VERSION = "2021-01-11"
SERVICE = "sms"
CONTENT_TYPE = "application/json; charset=utf-8"

# Errors that mean this message can never go out as it is; anything else (rate limits, balance,
# credentials, internal errors) may clear up, so the outbox retries it.
PERMANENT_ERRORS = {
    "InvalidParameterValue.IncorrectPhoneNumber",
    "InvalidParameterValue.TemplateParameterFormatError",
    "InvalidParameterValue.TemplateParameterLengthLimit",
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter",
    "InvalidParameterValue.ContentLengthLimit",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.ContainSensitiveWord",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber",
    "UnsupportedOperation.UnsupportedRegion",
}


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def tc3_authorization(*, secret_id: str, secret_key: str, service: str, host: str, payload: bytes,
                      timestamp: int, content_type: str = CONTENT_TYPE) -> str:
    date = datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime("%Y-%m-%d")
    canonical_request = "\n".join([
        "POST", "/", "",
        f"content-type:{content_type}\nhost:{host}\n",
        "content-type;host",
        hashlib.sha256(payload).hexdigest(),
    ])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join([
        "TC3-HMAC-SHA256",
        str(timestamp),
        scope,
        hashlib.sha256(canonical_request.encode("utf-8")).hexdigest(),
    ])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


class TencentBackend(BaseSmsBackend):
    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else settings.SMS_TENCENT

    @property
    def sign_name(self) -> str:
        return self.config.get("SIGN_NAME") or ""

    def send(self, message: OutgoingSms) -> SendResult:
        cfg = self.config
        require_settings(cfg, ["SECRET_ID", "SECRET_KEY", "SDK_APP_ID", "SIGN_NAME", "REGION", "ENDPOINT"],
                         "SMS_TENCENT")
        request = {
            "PhoneNumberSet": [f"+86{message.to}"],
            "SmsSdkAppId": cfg["SDK_APP_ID"],
            "SignName": cfg["SIGN_NAME"],
            "TemplateId": require_template_id(message, "腾讯云"),
            # Tencent templates number their fields {1}, {2}, …: params come in that order.
            "TemplateParamSet": list(message.params.values()),
        }
        if message.reference:
            request["SessionContext"] = message.reference
        payload = json.dumps(request, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        host = urlsplit(cfg["ENDPOINT"]).netloc
        timestamp = int(time.time())
        authorization = tc3_authorization(
            secret_id=cfg["SECRET_ID"], secret_key=cfg["SECRET_KEY"], service=SERVICE, host=host,
            payload=payload, timestamp=timestamp,
        )
        headers = {
            "Authorization": authorization,
            "Content-Type": CONTENT_TYPE,
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Version": API_VERSION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Region": cfg["REGION"],
        }
        body = post(cfg["ENDPOINT"], data=payload, headers=headers, provider="腾讯云").get("Response") or {}
        error = body.get("Error")
        if error:
            code = str(error.get("Code", ""))
            raise SmsSendError(f"腾讯云短信发送失败：{error.get('Message', '') or '未知错误'}",
                               retryable=code not in PERMANENT_ERRORS, code=code or "unknown")
        statuses = body.get("SendStatusSet") or []
        if not statuses:
            raise SmsSendError("腾讯云短信接口未返回发送状态。", retryable=True, code="no_status")
        status = statuses[0]
        code = str(status.get("Code", ""))
        if code == "Ok":
            return SendResult(provider_message_id=str(status.get("SerialNo", "")))
        raise SmsSendError(f"腾讯云短信发送失败：{status.get('Message', '') or '未知错误'}",
                           retryable=code not in PERMANENT_ERRORS, code=code or "unknown")

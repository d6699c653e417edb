"""Aliyun 短信服务 (Dysmsapi) SendSms, RPC style with signature v1 (HMAC-SHA1).

Signing, as Aliyun documents it: sort every parameter but Signature by name, percent-encode names
and values (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are; space is %20), join as k=v with &,
then sign  METHOD & percentEncode("/") & percentEncode(that string)  with HMAC-SHA1 keyed by
AccessKeySecret + "&", base64.
"""

import base64
import datetime
import hashlib
import hmac
import json
import uuid
from urllib.parse import quote

from django.conf import settings

from apps.sms.backends.base import BaseSmsBackend, OutgoingSms, SendResult, SmsSendError, require_template_id
from apps.sms.backends.provider_http import post, require_settings

API_VERSION = "2017-05-25"

# Codes that say this message can never go out as it is; anything else (throttling, balance,
# credentials, provider errors) may clear up, so the outbox retries it.
PERMANENT_ERRORS = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.INVALID_JSON_PARAM",
    "isv.INVALID_PARAMETERS",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.TEMPLATE_PARAMS_ILLEGAL",
    "isv.EXTEND_CODE_ERROR",
}


def percent_encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method}&{percent_encode('/')}&{percent_encode(canonical_query(params))}"


def sign(method: str, params: dict[str, str], access_key_secret: str) -> str:
    digest = hmac.new(f"{access_key_secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode("ascii")


class AliyunBackend(BaseSmsBackend):
    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else settings.SMS_ALIYUN

    @property
    def sign_name(self) -> str:
        return self.config.get("SIGN_NAME") or ""

    def send(self, message: OutgoingSms) -> SendResult:
        cfg = self.config
        require_settings(cfg, ["ACCESS_KEY_ID", "ACCESS_KEY_SECRET", "SIGN_NAME", "ENDPOINT"], "SMS_ALIYUN")
        params = {
            "AccessKeyId": cfg["ACCESS_KEY_ID"],
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": cfg.get("REGION") or "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": API_VERSION,
            "PhoneNumbers": message.to,
            "SignName": cfg["SIGN_NAME"],
            "TemplateCode": require_template_id(message, "阿里云"),
        }
        if message.params:
            params["TemplateParam"] = json.dumps(message.params, ensure_ascii=False, separators=(",", ":"))
        if message.reference:
            params["OutId"] = message.reference
        params["Signature"] = sign("POST", params, cfg["ACCESS_KEY_SECRET"])
        body = post(
            cfg["ENDPOINT"],
            data=canonical_query(params).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
            provider="阿里云",
        )
        code = str(body.get("Code", ""))
        if code == "OK":
            return SendResult(provider_message_id=str(body.get("BizId", "")))
        raise SmsSendError(
            f"阿里云短信发送失败：{body.get('Message', '') or '未知错误'}",
            retryable=code not in PERMANENT_ERRORS,
            code=code or "unknown",
        )

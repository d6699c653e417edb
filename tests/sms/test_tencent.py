import datetime
import hashlib
import hmac
import json
import time

import pytest

from apps.sms.backends import OutgoingSms, SmsSendError, get_backend
from apps.sms.backends.tencent import tc3_authorization
from tests.sms.provider_server import ProviderServer

SECRET_ID, SECRET_KEY = "AKIDtestid", "test-secret-key"
MESSAGE = OutgoingSms(
    to="13812345678",
    text="您的举报（编码SM2024）已移送某市住房和城乡建设局办理。",
    template_code="referred",
    provider_template_id="1234567",
    params={"report_code": "SM2024", "department": "某市住房和城乡建设局"},
    reference="7",
)


def expected_authorization(headers: dict[str, str], body: bytes) -> str:
    """Tencent's documented steps, written out independently of the backend."""
    timestamp = int(headers["X-TC-Timestamp"])
    date = time.strftime("%Y-%m-%d", time.gmtime(timestamp))
    canonical = (
        "POST\n/\n\n"
        f"content-type:{headers['Content-Type']}\nhost:{headers['Host']}\n\n"
        "content-type;host\n" + hashlib.sha256(body).hexdigest()
    )
    to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n"
        + hashlib.sha256(canonical.encode()).hexdigest()
    )

    def mac(key, msg):
        return hmac.new(key, msg.encode(), hashlib.sha256).digest()

    key = mac(mac(mac(("TC3" + SECRET_KEY).encode(), date), "sms"), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={SECRET_ID}/{date}/sms/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={signature}"
    )


def ok_reply(request_body):
    return {
        "SendStatusSet": [
            {
                "SerialNo": "5000:1045710669157053657849499619",
                "PhoneNumber": "+8613812345678",
                "Fee": 1,
                "SessionContext": request_body.get("SessionContext", ""),
                "Code": "Ok",
                "Message": "send success",
                "IsoCode": "CN",
            }
        ],
        "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
    }


def fake_tencent(reply=None):
    def respond(request):
        headers = request.headers
        if not hmac.compare_digest(
            headers.get("Authorization", ""), expected_authorization(headers, request.body)
        ):
            return 200, {
                "Response": {
                    "Error": {
                        "Code": "AuthFailure.SignatureFailure",
                        "Message": "The provided credentials could not be validated.",
                    },
                    "RequestId": "r",
                }
            }
        if abs(time.time() - int(headers["X-TC-Timestamp"])) > 300:
            return 200, {"Response": {"Error": {"Code": "AuthFailure.SignatureExpire", "Message": "expired"}}}
        body = json.loads(request.body)
        return 200, {"Response": reply(body) if reply else ok_reply(body)}

    return respond


@pytest.fixture
def tencent(settings, no_proxy):
    def start(reply=None, secret=SECRET_KEY):
        server = ProviderServer(fake_tencent(reply))
        settings.SMS_TENCENT = {
            "SECRET_ID": SECRET_ID,
            "SECRET_KEY": secret,
            "SDK_APP_ID": "1400006666",
            "SIGN_NAME": "安全生产举报",
            "REGION": "ap-guangzhou",
            "ENDPOINT": server.url,
        }
        settings.SMS_BACKEND = "apps.sms.backends.tencent.TencentBackend"
        return server

    return start


def test_signature_matches_tencent_documented_example():
    # The worked example in Tencent Cloud's "签名方法 v3" documentation (CVM DescribeInstances).
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    authorization = tc3_authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
        secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm",
        host="cvm.tencentcloudapi.com",
        payload=payload,
        timestamp=1551113065,
    )
    assert authorization == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, "
        "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
    )


def test_send_is_signed_and_carries_the_template(tencent):
    with tencent() as server:
        result = get_backend().send(MESSAGE)
    assert result.provider_message_id == "5000:1045710669157053657849499619"
    request = server.requests[0]
    assert request.headers["X-TC-Action"] == "SendSms"
    assert request.headers["X-TC-Version"] == "2021-01-11"
    assert request.headers["X-TC-Region"] == "ap-guangzhou"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    stamp = datetime.datetime.fromtimestamp(int(request.headers["X-TC-Timestamp"]), datetime.UTC)
    assert abs(datetime.datetime.now(datetime.UTC) - stamp) < datetime.timedelta(minutes=1)
    body = json.loads(request.body)
    assert body == {
        "PhoneNumberSet": ["+8613812345678"],
        "SmsSdkAppId": "1400006666",
        "SignName": "安全生产举报",
        "TemplateId": "1234567",
        "TemplateParamSet": ["SM2024", "某市住房和城乡建设局"],  # Tencent's {1}, {2}
        "SessionContext": "7",
    }


def test_wrong_secret_is_refused_by_the_stand_in(tencent):
    with tencent(secret="wrong"), pytest.raises(SmsSendError) as caught:
        get_backend().send(MESSAGE)
    assert caught.value.code == "AuthFailure.SignatureFailure"
    assert caught.value.retryable


def status_error(code):
    def reply(body):
        return {
            "SendStatusSet": [
                {
                    "SerialNo": "",
                    "PhoneNumber": "+8613812345678",
                    "Fee": 0,
                    "Code": code,
                    "Message": "错误说明",
                    "IsoCode": "CN",
                }
            ],
            "RequestId": "r",
        }

    return reply


@pytest.mark.parametrize(
    ("code", "retryable"),
    [
        ("InvalidParameterValue.IncorrectPhoneNumber", False),
        ("FailedOperation.PhoneNumberInBlacklist", False),
        ("LimitExceeded.PhoneNumberThirtySecondLimit", True),
        ("FailedOperation.InsufficientBalanceInSmsPackage", True),
    ],
)
def test_per_number_errors_are_classified(tencent, code, retryable):
    with tencent(status_error(code)), pytest.raises(SmsSendError) as caught:
        get_backend().send(MESSAGE)
    assert (caught.value.code, caught.value.retryable) == (code, retryable)


def test_request_level_error_is_reported(tencent):
    def reply(body):
        return {"Error": {"Code": "InternalError.Timeout", "Message": "超时"}, "RequestId": "r"}

    with tencent(reply), pytest.raises(SmsSendError) as caught:
        get_backend().send(MESSAGE)
    assert caught.value.code == "InternalError.Timeout" and caught.value.retryable


def test_missing_template_id_fails_without_a_request(tencent):
    with tencent() as server, pytest.raises(SmsSendError, match="腾讯云模板编号"):
        get_backend().send(OutgoingSms(to="13812345678", text="x", template_code="referred"))
    assert server.requests == []

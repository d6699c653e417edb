import base64
import datetime
import hashlib
import hmac
import json
from urllib.parse import parse_qsl, quote_plus

import pytest

from apps.sms.backends import OutgoingSms, SmsSendError, get_backend
from apps.sms.backends.aliyun import AliyunBackend, sign
from tests.sms.provider_server import ProviderServer

KEY_ID, SECRET = "LTAI-test-id", "test-secret-value"
MESSAGE = OutgoingSms(
    to="13812345678",
    text="您的举报（编码SM2024）已办结，处理结果：查证属实 已处罚。",
    template_code="closed",
    provider_template_id="SMS_123456789",
    params={"report_code": "SM2024", "result": "查证属实 已处罚*~"},
    reference="42",
)


def aliyun_encode(value: str) -> str:
    # Aliyun's documented recipe, deliberately unlike the backend's code: form-encode, then
    # turn + into %20, * into %2A and %7E back into ~.
    return quote_plus(value, safe="*").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")


def expected_signature(params: dict[str, str], secret: str) -> str:
    query = "&".join(f"{aliyun_encode(k)}={aliyun_encode(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&" + aliyun_encode("/") + "&" + aliyun_encode(query)
    return base64.b64encode(
        hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    ).decode()


def fake_aliyun(reply=None):
    """Checks the request like Dysmsapi would, then answers `reply` (default: success)."""

    def respond(request):
        params = dict(parse_qsl(request.body.decode("ascii"), keep_blank_values=True, strict_parsing=True))
        signature = params.pop("Signature", "")
        if params.get("AccessKeyId") != KEY_ID:
            return 404, {
                "Code": "InvalidAccessKeyId.NotFound",
                "Message": "Specified access key is not found.",
            }
        if not hmac.compare_digest(signature, expected_signature(params, SECRET)):
            return 400, {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched."}
        return (
            reply(params)
            if reply
            else (200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0"})
        )

    return respond


@pytest.fixture
def aliyun(settings, no_proxy):
    def start(reply=None, secret=SECRET):
        server = ProviderServer(fake_aliyun(reply))
        settings.SMS_ALIYUN = {
            "ACCESS_KEY_ID": KEY_ID,
            "ACCESS_KEY_SECRET": secret,
            "SIGN_NAME": "安全生产举报",
            "ENDPOINT": server.url,
        }
        settings.SMS_BACKEND = "apps.sms.backends.aliyun.AliyunBackend"
        return server

    return start


def test_signature_matches_aliyun_documented_example():
    # The worked example in Aliyun's signature documentation (ECS DescribeRegions, secret "testsecret").
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert sign("GET", params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_send_is_signed_and_carries_the_template(aliyun):
    with aliyun() as server:
        result = get_backend().send(MESSAGE)
    assert result.provider_message_id == "900619746936498440^0"
    assert len(server.requests) == 1
    request = server.requests[0]
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    params = dict(parse_qsl(request.body.decode("ascii")))
    assert params["Action"] == "SendSms"
    assert params["Version"] == "2017-05-25"
    assert params["Format"] == "JSON"
    assert params["SignatureMethod"] == "HMAC-SHA1" and params["SignatureVersion"] == "1.0"
    assert params["PhoneNumbers"] == "13812345678"
    assert params["SignName"] == "安全生产举报"
    assert params["TemplateCode"] == "SMS_123456789"
    assert json.loads(params["TemplateParam"]) == MESSAGE.params
    assert params["OutId"] == "42"
    sent_at = datetime.datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.UTC
    )
    assert abs(datetime.datetime.now(datetime.UTC) - sent_at) < datetime.timedelta(minutes=1)


def test_every_request_has_a_fresh_nonce(aliyun):
    with aliyun() as server:
        get_backend().send(MESSAGE)
        get_backend().send(MESSAGE)
    nonces = {dict(parse_qsl(r.body.decode()))["SignatureNonce"] for r in server.requests}
    assert len(nonces) == 2


def test_wrong_secret_is_refused_by_the_stand_in(aliyun):
    # Proves the stand-in really checks signatures: the happy-path test could not pass by accident.
    with aliyun(secret="not-the-secret"), pytest.raises(SmsSendError) as caught:
        get_backend().send(MESSAGE)
    assert caught.value.code == "SignatureDoesNotMatch"
    assert caught.value.retryable  # credentials an operator can fix; the message waits


@pytest.mark.parametrize(
    ("code", "retryable"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", False),
        ("isv.TEMPLATE_MISSING_PARAMETERS", False),
        ("isv.BUSINESS_LIMIT_CONTROL", True),
        ("isv.AMOUNT_NOT_ENOUGH", True),
        ("isp.SYSTEM_ERROR", True),
    ],
)
def test_provider_errors_are_classified(aliyun, code, retryable):
    with (
        aliyun(lambda params: (200, {"Code": code, "Message": "错误说明"})),
        pytest.raises(SmsSendError) as caught,
    ):
        get_backend().send(MESSAGE)
    assert caught.value.code == code
    assert caught.value.retryable is retryable
    assert "错误说明" in caught.value.message


def test_server_error_is_retryable(aliyun):
    with (
        aliyun(lambda params: (503, {"Code": "ServiceUnavailable", "Message": "down"})),
        pytest.raises(SmsSendError) as caught,
    ):
        get_backend().send(MESSAGE)
    assert caught.value.retryable


def test_unreachable_provider_is_retryable(settings, no_proxy):
    with ProviderServer(fake_aliyun()) as server:
        url = server.url
    # The server is gone: the port refuses connections.
    backend = AliyunBackend(
        {"ACCESS_KEY_ID": KEY_ID, "ACCESS_KEY_SECRET": SECRET, "SIGN_NAME": "x", "ENDPOINT": url}
    )
    with pytest.raises(SmsSendError) as caught:
        backend.send(MESSAGE)
    assert caught.value.retryable and caught.value.code == "network"


def test_missing_configuration_and_template_id_fail_without_a_request(aliyun):
    with aliyun() as server:
        with pytest.raises(SmsSendError, match="模板编号") as caught:
            get_backend().send(OutgoingSms(to="13812345678", text="x", template_code="closed"))
        assert caught.value.retryable
        with pytest.raises(SmsSendError, match="ACCESS_KEY_SECRET"):
            AliyunBackend({"ACCESS_KEY_ID": KEY_ID, "SIGN_NAME": "x", "ENDPOINT": server.url}).send(MESSAGE)
    assert server.requests == []

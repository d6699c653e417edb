import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.reports.codes import receipt_hash
from apps.reports.models import Attachment, Report
from apps.sms.models import SmsOutbox
from tests.public.conftest import stored_captcha_key, valid_report
from tests.uploads import builders

API = "/api/v1/public"


def report_fields(**overrides) -> dict:
    data = valid_report(**{"region": "410105", "notice_acknowledged": "true", **overrides})
    for key in ("region_province", "region_city", "region_county"):
        data.pop(key)
    return data


def create(client, headers, idempotency_key="retry-key-0001", **overrides):
    return client.post(
        f"{API}/reports", report_fields(**overrides), HTTP_IDEMPOTENCY_KEY=idempotency_key, **headers
    )


def test_session_catalogs_and_captcha(client, country):
    started = client.post(f"{API}/sessions")
    body = started.json()
    assert started.status_code == 200 and body["notice_min_seconds"] == 15
    assert body["notice"]["title"] == "举报须知"
    headers = {"HTTP_X_CLIENT_KEY": body["client_key"]}
    catalogs = client.get(f"{API}/catalogs", **headers).json()
    assert {"code": "major_hazard", "name": "涉嫌存在重大事故隐患"} in catalogs["problem_types"]
    road = next(i for i in catalogs["industries"] if i["code"] == "road_traffic")
    assert road["in_remit"] is False and road["competent_department"]
    captcha = client.get(f"{API}/captcha", **headers).json()
    assert captcha["image"].startswith("data:image/png;base64,")
    assert base64.b64decode(captcha["image"].split(",", 1)[1]).startswith(b"\x89PNG")


@pytest.mark.parametrize("key", [None, "", "forged-key", "web-token"])
def test_every_operation_needs_a_valid_client_key(client, country, key, form_session):
    if key == "web-token":
        key = form_session()["session"]  # a web form token is not a mini-program key
    headers = {} if key is None else {"HTTP_X_CLIENT_KEY": key}
    for method, path in (
        ("get", "/catalogs"),
        ("get", "/captcha"),
        ("post", "/sms-codes"),
        ("post", "/reports"),
        ("post", "/reports/status"),
        ("post", "/reports/material"),
    ):
        response = getattr(client, method)(f"{API}{path}", **headers)
        assert response.status_code == 401, (path, response.content)
        assert "客户端密钥" in response.json()["detail"] or response.json()["detail"]


def test_anonymous_report_retry_and_status(client, country, api_session):
    photo = SimpleUploadedFile("IMG_1.jpg", builders.jpeg_with_gps(), content_type="image/jpeg")
    first = create(client, api_session, attachments=[photo])
    assert first.status_code == 201, first.content
    code = first.json()["report_code"]
    assert len(code) >= 16 and first.json()["receiving_org"] == "金水区应急管理局"
    report = Report.objects.get()
    assert report.channel.code == "miniprogram" and report.receipt_hash == receipt_hash(code)
    assert b"Exif" not in Attachment.objects.get(report=report).file.read()

    retry = create(client, api_session)
    assert retry.status_code == 200 and retry.json() == {**first.json(), "replayed": True}
    assert Report.objects.count() == 1

    status = client.post(
        f"{API}/reports/status",
        {"code": code, "captcha_key": "k", "captcha_answer": "PASSED"},
        content_type="application/json",
        **api_session,
    )
    assert status.status_code == 200, status.content
    assert status.json()["status"] == "received" and status.json()["timeline"][0]["text"] == "举报已提交"
    assert status.json()["material_token"] is None

    for bad in ("000000000000000000", code[:-2]):
        missing = client.post(
            f"{API}/reports/status",
            {"code": bad, "captcha_key": "k", "captcha_answer": "PASSED"},
            content_type="application/json",
            **api_session,
        )
        assert missing.status_code == 400 and missing.json()["detail"].startswith("未查询到")


def test_create_too_soon_after_the_notice_is_refused(client, country):
    key = client.post(f"{API}/sessions").json()["client_key"]
    response = create(client, {"HTTP_X_CLIENT_KEY": key})
    assert response.status_code == 400 and "至少15秒" in response.json()["detail"]
    assert Report.objects.count() == 0


def test_create_needs_acknowledgement_and_idempotency_key(client, country, api_session):
    response = create(client, api_session, notice_acknowledged="false")
    assert response.status_code == 400 and "notice_acknowledged" in response.json()["errors"]
    response = client.post(f"{API}/reports", report_fields(), **api_session)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["detail"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"description": "字" * 5000}, "description", "不能超过4000字"),
        ({"reported_unit_name": "<script>alert(1)</script>"}, "reported_unit_name", "网页代码"),
        ({"attachments": "exe"}, "attachments", "可执行程序"),
        ({"captcha_answer": "nope"}, "captcha_answer", "图形验证码不正确"),
        ({"region": "410100"}, "region", "请继续选择"),
    ],
)
def test_bad_input_is_refused_with_field_errors(client, country, api_session, overrides, field, message):
    if overrides.get("attachments") == "exe":
        overrides["attachments"] = SimpleUploadedFile("a.jpg", builders.EXECUTABLE, content_type="image/jpeg")
    if "captcha_answer" in overrides:
        overrides["captcha_key"] = stored_captcha_key()
    response = create(client, api_session, **overrides)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])
    assert Report.objects.count() == 0


def test_real_name_report_through_the_api(client, country, api_session):
    sms = {
        "phone": "13800001111",
        "notice_acknowledged": True,
        "captcha_key": "k",
        "captcha_answer": "PASSED",
    }
    sent = client.post(f"{API}/sms-codes", sms, content_type="application/json", **api_session)
    assert sent.status_code == 200 and sent.json() == {"resend_after": 60, "expires_in": 300}
    again = client.post(f"{API}/sms-codes", sms, content_type="application/json", **api_session)
    assert again.status_code == 429 and "秒后重新获取" in again.json()["detail"]
    code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    response = create(
        client,
        api_session,
        mode="realname",
        reporter_name="赵六",
        reporter_phone="13800001111",
        sms_code=code,
        captcha_answer="",
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.reporter_name == "赵六" and not report.is_anonymous
    assert SmsOutbox.objects.filter(template_code="receipt_code", related=f"report:{report.pk}").exists()


def test_openapi_documents_the_public_operations_and_auth(client, country):
    schema = client.get("/api/openapi.json").json()
    operation_ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "public_catalogs",
        "public_sms_code_send",
        "public_report_create",
        "public_report_status",
        "public_report_add_material",
    } <= operation_ids
    scheme = schema["components"]["securitySchemes"]["ClientKey"]
    assert scheme["type"] == "apiKey" and scheme["in"] == "header" and scheme["name"] == "X-Client-Key"
    assert "签发" in scheme["description"] and "X-Client-Key" in schema["info"]["description"]
    create_op = schema["paths"]["/api/v1/public/reports"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in create_op["parameters"])


def test_material_for_a_deferred_report_through_the_api(client, country, api_session):
    from apps.reports.actions.accept import report_defer
    from tests.factories import UserFactory

    code = create(client, api_session).json()["report_code"]
    report_defer(
        actor=UserFactory(org=country.orgs.jinshui), report=Report.objects.get(), missing="请提供现场照片"
    )
    lookup = {"code": code, "captcha_key": "k", "captcha_answer": "PASSED"}
    status = client.post(
        f"{API}/reports/status", lookup, content_type="application/json", **api_session
    ).json()
    assert status["status"] == "deferred" and status["supplement_request"] == "请提供现场照片"
    photo = SimpleUploadedFile("现场.jpg", builders.jpeg_with_gps(), content_type="image/jpeg")
    added = client.post(
        f"{API}/reports/material",
        {"material_token": status["material_token"], "text": "补充现场照片", "attachments": [photo]},
        **api_session,
    )
    assert added.status_code == 200, added.content
    assert added.json()["status"] == "received"
    assert Attachment.objects.filter(stage=Attachment.Stage.SUPPLEMENT).count() == 1
    again = client.post(
        f"{API}/reports/material",
        {"material_token": status["material_token"], "text": "再补充"},
        **api_session,
    )
    assert again.status_code == 400 and "material_token" in again.json()["errors"]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("mode", "请选择匿名举报或实名举报"),
        ("region", "请选择举报事项所在的县（区）"),
        ("problem_type", "请选择问题类型"),
        ("industry", "请选择行业"),
        ("reported_unit_name", "请填写被举报单位名称"),
        ("description", "请填写举报内容"),
        ("notice_acknowledged", "请先阅读举报须知"),
    ],
)
def test_a_missing_field_gets_the_forms_chinese_message(client, country, api_session, field, message):
    data = report_fields()
    del data[field]
    response = client.post(f"{API}/reports", data, HTTP_IDEMPOTENCY_KEY="missing-0001", **api_session)
    assert response.status_code == 400, response.content
    body = response.json()
    assert isinstance(body["errors"], dict) and all(isinstance(v, list) for v in body["errors"].values())
    assert message in " ".join(body["errors"][field]) and message in body["detail"]
    assert "Field required" not in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        ("/sms-codes", {"notice_acknowledged": True, "captcha_key": "k", "captcha_answer": "PASSED"}, "phone",
         "手机号码格式不正确"),
        ("/sms-codes", {"phone": 13800001111, "notice_acknowledged": "yes please"}, "notice_acknowledged",
         "请先阅读举报须知"),
        ("/reports/status", {"captcha_key": "k", "captcha_answer": "PASSED"}, "code", "请输入举报编码"),
        ("/reports/status", {"code": None}, "code", "请输入举报编码"),
    ],
)
def test_missing_or_mistyped_json_fields_get_chinese_messages(client, country, api_session, path, body,
                                                              field, message):
    response = client.post(f"{API}{path}", body, content_type="application/json", **api_session)
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["errors"][field])


def test_missing_material_fields_get_chinese_messages(client, country, api_session):
    response = client.post(f"{API}/reports/material", {}, **api_session)
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["material_token"] == ["页面已过期，请重新查询。"]


def test_each_report_needs_a_new_captcha_but_a_retry_does_not(client, country, api_session):
    first = create(client, api_session)
    assert first.status_code == 201
    unchecked = create(client, api_session, idempotency_key="second-report-02", captcha_answer="")
    assert unchecked.status_code == 400 and "captcha_answer" in unchecked.json()["errors"]
    retry = create(client, api_session, captcha_answer="")
    assert retry.status_code == 200 and retry.json()["report_code"] == first.json()["report_code"]
    assert create(client, api_session, idempotency_key="second-report-02").status_code == 201
    assert Report.objects.count() == 2


def test_receipt_sms_failure_is_reported_not_a_server_error(client, country, api_session):
    from apps.sms.models import SmsTemplate

    phone = "13800001111"
    sms = {"phone": phone, "notice_acknowledged": True, "captcha_key": "k", "captcha_answer": "PASSED"}
    sent = client.post(f"{API}/sms-codes", sms, content_type="application/json", **api_session)
    assert sent.status_code == 200
    code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    SmsTemplate.objects.filter(code="receipt_code").delete()
    identity = {"mode": "realname", "reporter_name": "赵六", "reporter_phone": phone, "sms_code": code}
    response = create(client, api_session, captcha_answer="", **identity)
    assert response.status_code == 201, response.content
    assert response.json()["receipt_sms_failed"] is True and response.json()["report_code"]
    assert Report.objects.count() == 1

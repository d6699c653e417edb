"""The JSON API: token and session auth, the operations, the same permission checks as the pages."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from apps.reports.models import ApiToken, Report
from apps.reports.tokens import issue_api_token
from config.api import api
from tests.reports.helpers import chain_to_jinshui, new_report, sms_for

pytestmark = pytest.mark.django_db

OPERATIONS = {
    "report_create",
    "report_list",
    "report_detail",
    "report_accept",
    "report_defer",
    "report_reject",
    "report_dispatch",
    "report_feedback",
    "report_return",
    "report_close",
    "report_reward_record",
    "report_extension_request",
    "report_extension_decide",
    "report_supervise",
    "message_list",
    "message_mark_read",
}


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user)}"}


def post(client, url, data, headers):
    return client.post(url, data=data, content_type="application/json", **headers)


def test_operation_ids_in_openapi():
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    ids = {op["operationId"] for ops in schema["paths"].values() for op in ops.values()}
    assert OPERATIONS <= ids


def test_issue_api_token_command(world):
    out = io.StringIO()
    call_command("issue_api_token", "jinshui_user", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("aqs_") and len(token) > 40
    row = ApiToken.objects.get()
    assert row.user == world.users.jinshui and token not in row.key_hash
    response = Client().get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    call_command(
        "issue_api_token", "jinshui_user", "--revoke-existing", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert Client().get("/api/v1/reports", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    with pytest.raises(CommandError, match="用户不存在"):
        call_command("issue_api_token", "nobody", stdout=io.StringIO())


def test_unauthenticated_and_bad_tokens(world):
    client = Client()
    assert client.get("/api/v1/reports").status_code == 401
    assert client.get("/api/v1/reports", HTTP_AUTHORIZATION="Bearer aqs_nope").status_code == 401
    world.users.jinshui.is_active = False
    world.users.jinshui.save()
    headers = bearer(world.users.jinshui)
    assert client.get("/api/v1/reports", **headers).status_code == 401


def test_session_auth_needs_csrf_for_writes(world):
    report = new_report(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users.jinshui)
    assert client.get(f"/api/v1/reports/{report.pk}").status_code == 200
    response = client.post(f"/api/v1/reports/{report.pk}/accept", data={}, content_type="application/json")
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_full_flow_over_api(world):
    c = Client()
    henan, zhengzhou, jinshui, dept = (
        bearer(getattr(world.users, k)) for k in ("henan", "zhengzhou", "jinshui", "jinshui_dept")
    )
    created = post(
        c,
        "/api/v1/reports",
        {
            "channel": "letter",
            "region": "410105",
            "problem_type": "major_hazard",
            "industry": "hazchem",
            "reported_unit_name": "某化工",
            "description": "违规储存",
            "idempotency_key": "abc",
            "reporter": {"name": "王五", "phone": "13700137000"},
        },
        henan,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    rid, code = body["id"], body["receipt_code"]
    assert len(code) == 18
    again = post(
        c,
        "/api/v1/reports",
        {
            "channel": "letter",
            "region": "410105",
            "problem_type": "major_hazard",
            "industry": "hazchem",
            "reported_unit_name": "某化工",
            "description": "违规储存",
            "idempotency_key": "abc",
        },
        henan,
    )
    assert again.status_code == 200 and again.json() == {
        "id": rid,
        "number": body["number"],
        "receipt_code": None,
    }

    detail = post(c, f"/api/v1/reports/{rid}/accept", {"notify_reporter": True}, henan).json()
    assert detail["status"] == "accepted" and "dispatch" in detail["available_actions"]
    assert "王五" not in str(detail) and "13700137000" not in str(detail)
    assert (
        post(c, f"/api/v1/reports/{rid}/dispatch", {"target_org": world.orgs.zhengzhou.pk}, henan).status_code
        == 200
    )
    assert post(c, f"/api/v1/reports/{rid}/accept", {}, zhengzhou).status_code == 200
    assert (
        post(
            c, f"/api/v1/reports/{rid}/dispatch", {"target_org": world.orgs.jinshui.pk}, zhengzhou
        ).status_code
        == 200
    )
    todo = c.get("/api/v1/reports", {"scope": "todo"}, **jinshui).json()
    assert [item["id"] for item in todo["items"]] == [rid] and todo["items"][0]["hop_state"] == "pending"
    assert todo["items"][0]["deadline"]["label"] == "受理期限"
    assert post(c, f"/api/v1/reports/{rid}/accept", {}, jinshui).status_code == 200
    assert (
        post(
            c, f"/api/v1/reports/{rid}/dispatch", {"target_org": world.orgs.jinshui_dept.pk}, jinshui
        ).status_code
        == 200
    )
    bad = post(c, f"/api/v1/reports/{rid}/feedback", {"summary": "属实"}, dept)
    assert bad.status_code == 400 and "核查结论" in bad.json()["detail"]
    ok = post(
        c,
        f"/api/v1/reports/{rid}/feedback",
        {"conclusion": "true", "summary": "属实", "penalty_amount": "20000"},
        dept,
    )
    assert ok.status_code == 200
    assert post(c, f"/api/v1/reports/{rid}/return", {"reason": "补充证据"}, jinshui).status_code == 200
    assert (
        post(
            c, f"/api/v1/reports/{rid}/feedback", {"conclusion": "true", "summary": "补充后属实"}, dept
        ).status_code
        == 200
    )
    assert post(c, f"/api/v1/reports/{rid}/feedback", {}, jinshui).status_code == 200
    early = post(c, f"/api/v1/reports/{rid}/close", {"conclusion": "true", "summary": "属实"}, zhengzhou)
    assert early.status_code == 409 and "最先受理" in early.json()["detail"]
    assert post(c, f"/api/v1/reports/{rid}/feedback", {}, zhengzhou).status_code == 200
    closed = post(
        c,
        f"/api/v1/reports/{rid}/close",
        {"conclusion": "true", "summary": "属实", "reward_status": "pending", "notify_reporter": True},
        henan,
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    rewards = c.get("/api/v1/reports", {"scope": "rewards"}, **henan).json()
    assert rewards["count"] == 1
    paid = post(c, f"/api/v1/reports/{rid}/reward", {"amount": "3000"}, henan)
    assert paid.status_code == 200 and paid.json()["reward_status"] == "paid"
    report = Report.objects.get(pk=rid)
    assert set(sms_for(report).values_list("template_code", flat=True)) == {"accepted", "closed"}
    actions = [e["action"] for e in c.get(f"/api/v1/reports/{rid}", **henan).json()["events"]]
    assert actions.count("feedback") == 4 and actions[-1] == "reward_record"


def test_api_errors_are_chinese_with_status(world):
    c = Client()
    report = new_report(world)
    jinshui, zhengzhou = bearer(world.users.jinshui), bearer(world.users.zhengzhou)
    denied = post(c, f"/api/v1/reports/{report.pk}/accept", {}, zhengzhou)
    assert denied.status_code == 403 and "办理单位" in denied.json()["detail"]
    assert post(c, f"/api/v1/reports/{report.pk}/defer", {"missing": ""}, jinshui).status_code == 400
    assert post(c, f"/api/v1/reports/{report.pk}/reject", {"reason": "bogus"}, jinshui).status_code == 400
    assert post(c, f"/api/v1/reports/{report.pk}/dispatch", {"target_org": 1}, jinshui).status_code == 409
    assert c.get("/api/v1/reports", {"scope": "nope"}, **jinshui).status_code == 400
    assert c.get("/api/v1/reports", {"channel": "nope"}, **jinshui).status_code == 400
    assert c.get("/api/v1/reports", {"status": "nope"}, **jinshui).status_code == 400
    assert (
        c.post(
            f"/api/v1/reports/{report.pk}/accept",
            data="{not json",
            content_type="application/json",
            **jinshui,
        ).status_code
        == 400
    )
    for scope in ("todo", "all", "closed", "unaccepted", "rewards"):
        for dates in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}, {"date_from": "1999-12-31"}):
            # It was a 500: 9999-12-31 has no next day to bound the range with.
            bad_date = c.get("/api/v1/reports", {"scope": scope, **dates}, **jinshui)
            assert bad_date.status_code == 400, (scope, dates)
            assert bad_date.json()["detail"].startswith(f"{next(iter(dates))}：日期应在2000-01-01至")
        earliest = c.get("/api/v1/reports", {"scope": scope, "date_from": "2000-01-01"}, **jinshui)
        assert earliest.status_code == 200
    missing = c.get("/api/v1/reports/999999", **jinshui)
    assert missing.status_code == 404 and missing.json()["detail"] == "举报单不存在"


def test_api_list_is_scoped(world):
    mine = new_report(world)
    chained = chain_to_jinshui(world)
    other = new_report(world, world.orgs.hebei, region_code="130100")
    c = Client()
    ids = {item["id"] for item in c.get("/api/v1/reports", **bearer(world.users.zhengzhou)).json()["items"]}
    assert ids == {mine.pk, chained.pk}
    ids = {item["id"] for item in c.get("/api/v1/reports", **bearer(world.users.hebei)).json()["items"]}
    assert ids == {other.pk}
    assert c.get("/api/v1/reports", **bearer(world.users.auditor)).json()["count"] == 0

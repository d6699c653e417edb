import datetime as dt

import pytest

from apps.reports.models import Handling
from apps.reports.tokens import issue_api_token
from apps.supervision.actions import report_extension_request
from apps.supervision.models import ExtensionRequest, Supervision
from tests.supervision.world import chain

pytestmark = pytest.mark.django_db
S = Handling.State

SOON = dt.date(2026, 9, 30)


@pytest.fixture
def verifying(world):
    w = world.orgs
    return chain(
        world,
        [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
        result_due=SOON,
    )


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user)}"}


def post(client, url, body, user=None):
    return client.post(url, body, content_type="application/json", **(bearer(user) if user else {}))


def test_operation_ids_are_published(client):
    schema = client.get("/api/openapi.json").json()
    ops = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {
        "report_extension_request",
        "report_extension_decide",
        "report_supervise",
        "message_list",
        "message_mark_read",
    } <= ops


def test_extension_request_and_decision_with_tokens(client, world, verifying, on_today):
    url = f"/api/v1/supervision/reports/{verifying.pk}/extension-requests"
    response = post(client, url, {"days": 7, "reason": "需要检测报告"}, world.users.jinshui)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["state"], body["approver_org"], body["due_before"]) == (
        "pending",
        "郑州市应急管理局",
        "2026-09-30",
    )
    decide = f"/api/v1/supervision/extension-requests/{body['id']}/decision"
    assert post(client, decide, {"approve": True}, world.users.jinshui).status_code == 403
    response = post(client, decide, {"approve": True, "comment": "同意"}, world.users.zhengzhou)
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["due_after"]) == ("approved", "2026-10-08")
    again = post(client, decide, {"approve": False, "comment": "x"}, world.users.zhengzhou)
    assert again.status_code == 409 and "不能重复审批" in again.json()["detail"]


@pytest.mark.parametrize(
    "body,status,detail",
    [
        ({"days": 40, "reason": "复杂"}, 400, "延期天数必须是1到30之间的整数。"),
        ({"days": 5, "reason": " "}, 400, "请填写申请理由。"),
        ({"days": "很多", "reason": "复杂"}, 400, "请求参数不正确"),
        ({"reason": "复杂"}, 400, "请求参数不正确"),
    ],
)
def test_extension_request_bad_input(client, world, verifying, on_today, body, status, detail):
    url = f"/api/v1/supervision/reports/{verifying.pk}/extension-requests"
    response = post(client, url, body, world.users.jinshui)
    assert response.status_code == status and response.json()["detail"] == detail
    assert not ExtensionRequest.objects.exists()


def test_extension_request_denied_and_outside(client, world, verifying, on_today):
    url = f"/api/v1/supervision/reports/{verifying.pk}/extension-requests"
    denied = post(
        client, url, {"days": 5, "reason": "复杂"}, world.users.henan
    )  # sees it, does not handle it
    assert denied.status_code == 403
    outside = post(client, url, {"days": 5, "reason": "复杂"}, world.users.hebei)
    assert outside.status_code == 404 and outside.json()["detail"] == "举报单不存在"
    missing = post(
        client,
        "/api/v1/supervision/reports/999999/extension-requests",
        {"days": 5, "reason": "x"},
        world.users.jinshui,
    )
    assert missing.status_code == 404
    assert post(client, url, {"days": 5, "reason": "复杂"}).status_code == 401
    assert not ExtensionRequest.objects.exists()


def test_extension_decision_outside_is_404(client, world, verifying, on_today):
    ext = report_extension_request(actor=world.users.jinshui, report=verifying, reason="复杂", days=5)
    url = f"/api/v1/supervision/extension-requests/{ext.pk}/decision"
    assert post(client, url, {"approve": True}, world.users.hebei).status_code == 404
    assert post(client, url, {"approve": True}, world.users.zhongyuan).status_code == 404


def test_supervise(client, world, verifying, on_today):
    url = f"/api/v1/supervision/reports/{verifying.pk}/supervisions"
    response = post(client, url, {"comment": "请按期办结", "due_date": "2026-10-09"}, world.users.henan)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage"], body["supervised_org"], body["deadline"]) == (
        "result",
        "金水区应急管理局",
        "2026-09-30",
    )
    assert (
        post(client, url, {"comment": "x", "due_date": "2026-10-09"}, world.users.jinshui).status_code == 403
    )
    assert post(client, url, {"comment": "x", "due_date": "2026-10-09"}, world.users.hebei).status_code == 404
    past = post(client, url, {"comment": "x", "due_date": "2026-09-01"}, world.users.henan)
    assert past.status_code == 400 and past.json()["detail"] == "要求办结日期不能早于今天。"
    assert post(client, url, {"comment": "x", "due_date": "明天"}, world.users.henan).status_code == 400
    assert Supervision.objects.count() == 1


def test_supervise_a_closed_report_is_409(client, world, on_today):
    w = world.orgs
    report = chain(
        world, [(w.zhengzhou, S.CLOSED), (w.jinshui, S.FED_BACK)], status="closed", result_due=SOON
    )
    url = f"/api/v1/supervision/reports/{report.pk}/supervisions"
    response = post(client, url, {"comment": "x", "due_date": "2026-10-09"}, world.users.henan)
    assert response.status_code == 409 and "无需督办" in response.json()["detail"]


def test_session_auth_works_too(client, world, verifying, on_today):
    client.force_login(world.users.henan)
    url = f"/api/v1/supervision/reports/{verifying.pk}/supervisions"
    assert post(client, url, {"comment": "请按期办结", "due_date": "2026-10-09"}).status_code == 201


def test_supervising_a_spot_check_correction(client):
    from django.utils import timezone

    from tests.spotchecks.world import build_world, item_to_rectify

    sc = build_world()
    today = timezone.localdate()
    item = item_to_rectify(sc, due=today - dt.timedelta(days=1))
    url = f"/api/v1/supervision/reports/{item.report_id}/supervisions"
    body = {"comment": "请抓紧整改", "due_date": (today + dt.timedelta(days=3)).isoformat()}
    assert post(client, url, body, sc.users.hebei).status_code == 404  # not its report
    response = post(client, url, body, sc.users.zhengzhou)  # its own correction
    assert response.status_code == 403 and "上级单位" in response.json()["detail"]
    response = post(client, url, body, sc.users.henan)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["supervised_org"] == "郑州市应急管理局" and data["deadline"] == item.rectify_due.isoformat()
    assert data["stage_label"] == "抽检整改"
    assert Supervision.objects.get().supervised_org == sc.orgs.zhengzhou

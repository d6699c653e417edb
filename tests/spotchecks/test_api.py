"""抽检管理 over /api/v1/spotchecks: the same actions, permissions and 404s as the pages."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from apps.reports.models import Report
from apps.reports.tokens import issue_api_token
from apps.spotchecks.actions import spotcheck_create
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem
from tests.spotchecks.world import closed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
BASE = "/api/v1/spotchecks"


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user=user)}"}


def post(client, url, user, payload):
    return client.post(url, json.dumps(payload), content_type="application/json", **bearer(user))


@pytest.fixture
def reports(world):
    return [closed(world, world.orgs.zhengzhou, region_code="410105") for _ in range(3)]


@pytest.fixture
def batch(world, reports):
    return spotcheck_create(actor=world.users.henan, scope="org", org=world.orgs.zhengzhou,
                            closed_from=TODAY - dt.timedelta(days=1), closed_to=TODAY, size=2)


def test_operation_ids_are_published(client):
    schema = client.get("/api/openapi.json").json()
    ids = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert {"spotcheck_create", "spotcheck_review", "spotcheck_rectify", "spotcheck_verify",
            "spotcheck_list"} <= ids


def test_create_then_list(client, world, reports):
    response = post(client, BASE, world.users.henan, {
        "scope": "org", "org_id": world.orgs.zhengzhou.pk, "closed_from": TODAY.isoformat(),
        "closed_to": TODAY.isoformat(), "size": 2})
    assert response.status_code == 201, response.content
    body = response.json()
    batch = SpotCheckBatch.objects.get()
    assert body["id"] == batch.pk and body["seed"] == str(batch.seed) and len(body["items"]) == 2
    assert body["candidate_digest"] == batch.candidate_digest and body["pass_rate_total"]["rate"] is None
    listing = client.get(BASE, **bearer(world.users.henan)).json()
    assert listing["count"] == 1 and listing["items"][0]["number"] == batch.number
    assert client.get(BASE, {"state": "finished"}, **bearer(world.users.henan)).json()["count"] == 0
    assert client.get(BASE, **bearer(world.users.zhengzhou)).json()["count"] == 0


def test_create_by_region(client, world, reports):
    response = post(client, BASE, world.users.henan, {
        "scope": "region", "region_code": "410100", "closed_from": TODAY.isoformat(),
        "closed_to": TODAY.isoformat(), "ratio": 100})
    assert response.status_code == 201 and response.json()["sample_size"] == 3


@pytest.mark.parametrize(("payload", "status", "message"), [
    ({"org_id": 999999}, 404, "机构不存在"),
    ({"size": 10}, 400, "抽检数量不能超过3件"),
    ({"size": None}, 400, "抽检数量或抽检比例"),
    ({"scope": "region", "region_code": "130000"}, 403, "不在本单位管辖范围"),
    ({"scope": "region", "region_code": "999999"}, 404, "地区不存在"),
    ({"scope": "region"}, 400, "请选择抽检地区"),
    ({"closed_from": "not a date"}, 400, "请求参数不正确"),
    ({"scope": "all"}, 400, "请求参数不正确"),
    ({"closed_from": "0001-01-01"}, 400, "办结日期起不能早于2000年1月1日"),
    ({"closed_to": "9999-12-31"}, 400, "办结日期止不能晚于今天"),
])
def test_create_refusals(client, world, reports, payload, status, message):
    data = {"scope": "org", "org_id": world.orgs.zhengzhou.pk, "closed_from": TODAY.isoformat(),
            "closed_to": TODAY.isoformat(), "size": 1}
    data.update(payload)
    response = post(client, BASE, world.users.henan, data)
    assert response.status_code == status
    assert message in response.json()["detail"]
    assert not SpotCheckBatch.objects.exists()


@pytest.mark.parametrize("query", [
    {"offset": 10**20}, {"offset": 1_000_001}, {"box": "rectify", "offset": 10**20},
    {"box": "due", "offset": 10**20}, {"box": "verify", "offset": 1_000_001},
])
def test_a_huge_offset_is_a_400_not_a_500(client, world, batch, query):
    url = f"{BASE}/items" if "box" in query else BASE
    response = client.get(url, query, **bearer(world.users.henan))
    assert response.status_code == 400
    assert response.json()["detail"] == "请求参数不正确"


def test_the_largest_offset_is_an_empty_page(client, world, batch):
    for url in (BASE, f"{BASE}/items"):
        response = client.get(url, {"offset": 1_000_000}, **bearer(world.users.henan))
        assert response.status_code == 200 and response.json()["items"] == []


def test_another_provinces_org_is_404(client, world, reports):
    response = post(client, BASE, world.users.henan, {
        "scope": "org", "org_id": world.orgs.shijiazhuang.pk, "closed_from": TODAY.isoformat(),
        "closed_to": TODAY.isoformat(), "size": 1})
    assert response.status_code == 404


def test_review_rectify_verify(client, world, batch):
    item = batch.items.order_by("position").first()
    url = f"{BASE}/items/{item.pk}"
    response = post(client, f"{url}/review", world.users.henan, {"qualified": False, "opinion": "处罚偏轻"})
    assert response.status_code == 200 and response.json()["state"] == "rectifying"
    assert response.json()["deadline"]["label"] == "整改期限"
    # Only the fields sent change; null clears one.
    response = post(client, f"{url}/rectify", world.users.zhengzhou,
                    {"explanation": "已加重处罚", "penalty_amount": "90000", "rectification": None})
    assert response.status_code == 200, response.content
    report = Report.objects.get(pk=item.report_id)
    assert report.penalty_amount == 90000 and report.rectification == "" and report.conclusion == "true"
    changes = response.json()["rounds"][-1]["changes"]
    assert [c["field"] for c in changes] == ["penalty_amount"]
    boxes = client.get(f"{BASE}/items", {"box": "verify"}, **bearer(world.users.henan)).json()
    assert [i["id"] for i in boxes["items"]] == [item.pk]
    response = post(client, f"{url}/verify", world.users.henan, {"passed": True})
    assert response.status_code == 200 and response.json()["state"] == "corrected"
    assert [r["kind"] for r in response.json()["rounds"]] == ["review", "rectify", "verify"]


def test_the_deadline_says_when_its_calendar_year_is_unconfirmed(client, world, batch):
    from apps.workcalendar.calendar import unconfirmed_years_in, year_is_confirmed

    item = batch.items.order_by("position").first()
    url = f"{BASE}/items/{item.pk}"
    response = post(client, f"{url}/review", world.users.henan, {"qualified": False, "opinion": "x"})
    deadline = response.json()["deadline"]
    due = dt.date.fromisoformat(deadline["due"])
    assert deadline["calendar_unconfirmed"] is bool(unconfirmed_years_in(TODAY, due))
    assert not year_is_confirmed(2027)
    SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=dt.date(2027, 1, 5))
    for user, path in ((world.users.henan, url), (world.users.zhengzhou, url)):
        deadline = client.get(path, **bearer(user)).json()["deadline"]
        assert deadline["due"] == "2027-01-05" and deadline["calendar_unconfirmed"] is True
    listed = client.get(f"{BASE}/items", {"box": "rectify"}, **bearer(world.users.zhengzhou)).json()
    assert listed["items"][0]["deadline"]["calendar_unconfirmed"] is True


def test_wrong_side_wrong_state_and_outside(client, world, batch):
    item = batch.items.order_by("position").first()
    url = f"{BASE}/items/{item.pk}"
    # 郑州市 cannot see an item before it is found 不合格.
    assert post(client, f"{url}/review", world.users.zhengzhou, {"qualified": True}).status_code == 404
    assert post(client, f"{url}/verify", world.users.henan, {"passed": True}).status_code == 409
    response = post(client, f"{url}/review", world.users.henan, {"qualified": False, "opinion": ""})
    assert response.status_code == 400 and "整改意见" in response.json()["detail"]
    post(client, f"{url}/review", world.users.henan, {"qualified": False, "opinion": "x"})
    assert post(client, f"{url}/rectify", world.users.henan, {"explanation": "x"}).status_code == 403
    assert post(client, f"{url}/verify", world.users.zhengzhou, {"passed": True}).status_code == 403
    for who in ("hebei", "jinshui", "auditor"):
        user = getattr(world.users, who)
        assert post(client, f"{url}/rectify", user, {"explanation": "x"}).status_code == 404
        assert client.get(url, **bearer(getattr(world.users, who))).status_code == 404
        assert client.get(f"{BASE}/{batch.pk}", **bearer(getattr(world.users, who))).status_code == 404
    response = post(client, f"{url}/rectify", world.users.zhengzhou,
                    {"explanation": "x", "reward_status": "paid"})
    assert response.status_code == 400 and "奖励金额" in response.json()["detail"]
    assert SpotCheckItem.objects.get(pk=item.pk).state == "rectifying"


def test_a_superior_of_the_checked_org_reads_the_item_but_takes_no_step(client, world, batch):
    item = batch.items.order_by("position").first()
    url = f"{BASE}/items/{item.pk}"
    assert client.get(url, **bearer(world.users.ministry)).status_code == 404  # not 不合格 yet
    post(client, f"{url}/review", world.users.henan, {"qualified": False, "opinion": "处罚偏轻"})
    response = client.get(url, **bearer(world.users.ministry))
    assert response.status_code == 200 and response.json()["rounds"][0]["opinion"] == "处罚偏轻"
    assert client.get(url, **bearer(world.users.hebei)).status_code == 404
    assert post(client, f"{url}/rectify", world.users.ministry, {"explanation": "x"}).status_code == 404
    post(client, f"{url}/rectify", world.users.zhengzhou, {"explanation": "已改"})
    assert post(client, f"{url}/verify", world.users.ministry, {"passed": True}).status_code == 404
    assert SpotCheckItem.objects.get(pk=item.pk).state == "verifying"


def test_unauthenticated_is_401(client, world, batch):
    assert client.get(BASE).status_code == 401
    assert client.post(BASE, "{}", content_type="application/json").status_code in (401, 403)


def test_list_query_count_does_not_grow_with_batches(client, world, reports):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        closed(world, world.orgs.luoyang)

    def count():
        headers = bearer(world.users.henan)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE, **headers).status_code == 200
        return len(ctx.captured_queries)

    spotcheck_create(actor=world.users.henan, scope="org", org=world.orgs.zhengzhou, closed_from=TODAY,
                     closed_to=TODAY, size=1)
    one = count()
    for _ in range(2):
        spotcheck_create(actor=world.users.henan, scope="org", org=world.orgs.luoyang, closed_from=TODAY,
                         closed_to=TODAY, size=1)
    assert count() == one

"""/api/v1/dashboard/screen/{code}: every panel for one selection, scoped by jurisdiction."""

import json

import pytest

from tests.dashboard.conftest import HEBEI_WORDS, KAIFENG_WORDS, add_report, count_queries

URL = "/api/v1/dashboard/screen/{}"
# The session, the user and the org; the selection's regions; three passes over the statistics
# (the period's figures, the children, the year's total), each one more query when the period
# ends in a partial month counted on the reports table: pinned as a ceiling, and as "the same
# with more reports".
MAX_QUERIES = 20


def get(client, code, **params):
    return client.get(URL.format(code), params)


def by_name(rows):
    return {row["name"]: row["value"] for row in rows}


def test_ministry_sees_the_nation_by_province(world, login):
    body = get(login(world.users.mem), "100000").json()
    assert body["region"] == {"code": "100000", "name": "全国", "level": "nation", "has_children": True,
                              "is_served": True, "in_scope": True}
    assert body["path"] == [{"code": "100000", "name": "全国"}]
    assert body["year_total"] == 7
    assert body["period"]["total"] == 7
    assert body["children_title"] == "各省份举报数量"
    children = {c["code"]: c["value"] for c in body["children"]}
    assert children["410000"] == 5 and children["130000"] == 2
    assert sum(children.values()) == 7
    assert len(children) >= 34, "every province, served or not, for the map"
    assert body["children"][0]["code"] == "410000", "largest first"
    assert by_name(body["problem_types"]) == {
        "涉嫌存在重大事故隐患": 2, "涉嫌存在安全生产违法行为": 3, "涉嫌瞒报谎报生产安全事故": 1, "其他": 1,
    }
    assert by_name(body["channels"]) == {"网络(官网)": 2, "电话": 1, "信件": 1, "来访": 1, "传真": 2}
    assert by_name(body["industries"])["金属与非金属矿山(含尾矿库)"] == 2


def test_drill_down_path_follows_the_selection(world, login):
    client = login(world.users.mem)
    henan = get(client, "410000").json()
    assert henan["path"] == [{"code": "100000", "name": "全国"}, {"code": "410000", "name": "河南省"}]
    assert henan["period"]["total"] == 5
    assert henan["children_title"] == "下级地区举报数量"
    assert {c["code"]: c["value"] for c in henan["children"] if c["value"]} == {"410100": 4, "410200": 1}

    zhengzhou = get(client, "410100").json()
    assert [p["code"] for p in zhengzhou["path"]] == ["100000", "410000", "410100"]
    assert {c["code"]: c["value"] for c in zhengzhou["children"] if c["value"]} == {"410105": 3, "410102": 1}

    jinshui = get(client, "410105").json()
    assert jinshui["region"]["has_children"] is False
    assert jinshui["children_title"] == "本地区举报数量"
    assert jinshui["children"] == [{"code": "410105", "name": "金水区", "level": "county",
                                    "has_children": False, "is_served": True, "in_scope": True, "value": 3}]
    assert by_name(jinshui["channels"]) == {"网络(官网)": 1, "电话": 1, "信件": 1}


def test_dates_select_the_period_and_the_year_total_stays(world, login):
    client = login(world.users.mem)
    body = get(client, "410105", start="2020-01-01").json()
    assert body["period"]["total"] == 4, "last year's report is in a long period"
    assert body["year_total"] == 3, "but never in this year's cumulative count"
    assert body["start"] == "2020-01-01"
    assert get(client, "410105", start="2000-01-01", end="2000-12-31").json()["period"]["total"] == 0


def test_city_user_sees_only_the_city(world, login):
    client = login(world.users.zhengzhou)
    response = get(client, "410100")
    assert response.status_code == 200
    body = response.json()
    assert body["path"] == [{"code": "410100", "name": "郑州市"}], "the breadcrumb starts at the city"
    assert body["year_total"] == 4
    assert all(c["code"].startswith("4101") for c in body["children"])
    for panel in ("problem_types", "channels", "industries"):
        assert sum(by_name(body[panel]).values()) == 4
    assert "烟花爆竹" not in by_name(body["industries"]), "开封's report"
    assert "金属与非金属矿山(含尾矿库)" not in by_name(body["industries"]), "河北's reports"
    text = json.dumps(body, ensure_ascii=False)
    assert "开封" not in text and "河北" not in text and "河南" not in text


@pytest.mark.parametrize("code", ["100000", "410000", "410200", "410204", "130000", "130102", "999999",
                                  "41010", "abcdef"])
def test_city_user_cannot_request_outside_the_city(world, login, code):
    response = get(login(world.users.zhengzhou), code)
    assert response.status_code == 404
    assert response.json() == {"detail": "行政区划不存在或不在本单位管辖范围内"}


def test_county_user_sees_the_county_only(world, login):
    client = login(world.users.jinshui)
    body = get(client, "410105").json()
    assert body["year_total"] == 3
    assert body["path"] == [{"code": "410105", "name": "金水区"}]
    for code in ("410100", "410102", "100000"):
        assert get(client, code).status_code == 404


def test_province_user(world, login):
    client = login(world.users.henan)
    body = get(client, "410000").json()
    assert body["year_total"] == 5
    assert body["path"] == [{"code": "410000", "name": "河南省"}]
    assert get(client, "410204").json()["year_total"] == 1
    assert get(client, "130000").status_code == 404
    assert get(client, "100000").status_code == 404


def test_bureau_sees_the_nation_for_its_industries_only(world, login):
    body = get(login(world.users.bureau), "100000").json()
    assert body["year_total"] == 2
    assert by_name(body["industries"]) == {"危险化学品": 2}


def test_auditor_gets_no_statistics(world, login):
    response = get(login(world.users.auditor), "100000")
    assert response.status_code == 403
    assert response.json()["detail"] == "当前账号无权查看举报统计数据"


def test_anonymous_is_refused(world, client):
    assert get(client, "100000").status_code == 401


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2025-13-01"}, "开始日期格式不正确"),
        ({"end": "昨天"}, "结束日期格式不正确"),
        ({"start": "1999-12-31"}, "开始日期须在 2000-01-01 至 2099-12-31 之间"),
        ({"start": "2024-06-02", "end": "2024-06-01"}, "开始日期不能晚于结束日期"),
        ({"start": "2024-01-01\x00"}, "开始日期格式不正确"),
        ({"start": "2000-01-01", "end": "2024-01-01"}, "统计时间跨度不能超过20年"),
    ],
)
def test_bad_dates_are_400_with_a_chinese_message(world, login, params, message):
    response = get(login(world.users.mem), "100000", **params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_query_count_is_pinned_and_independent_of_the_data(world, login):
    client = login(world.users.zhengzhou)
    get(client, "410100")  # warm the session and the working-day table
    before = count_queries(lambda: get(client, "410100"))
    for i in range(5):
        add_report(world, org_key="zhongyuan", region_code="410102", ptype="other", channel="email",
                   industry=["textile", "tobacco", "commerce", "other", "pharma"][i])
    after = count_queries(lambda: get(client, "410100"))
    assert get(client, "410100").json()["year_total"] == 9
    assert before == after, "the number of queries must not grow with the reports"
    assert after <= MAX_QUERIES


def test_words_from_outside_never_reach_the_city(world, login):
    # The screen has no word panel; this guards the payload against future additions.
    text = get(login(world.users.zhengzhou), "410100").content.decode()
    for word in KAIFENG_WORDS + HEBEI_WORDS:
        assert word not in text


def test_zone_sees_its_counties_only(world, login):
    from apps.orgs.models import Org
    from apps.regions.selectors import region_by_code
    from tests.factories import OrgFactory, UserFactory

    zone = OrgFactory(code="ZONE-TEST", name="测试功能区应急管理局", kind=Org.Kind.ZONE,
                      level=Org.Level.COUNTY, parent=world.orgs.zhengzhou, region=None)
    zone.extra_regions.set([region_by_code("410105"), region_by_code("410102")])
    client = login(UserFactory(username="dash_zone", org=zone))
    body = get(client, "410100").json()
    assert body["path"] == [{"code": "410100", "name": "郑州市"}], "rooted at the city holding both counties"
    assert body["year_total"] == 4
    in_scope = {c["code"] for c in body["children"] if c["in_scope"]}
    assert in_scope == {"410105", "410102"}
    assert get(client, "410105").status_code == 200
    assert get(client, "410104").status_code == 404, "a county of the city the zone does not cover"


def test_the_endpoint_is_in_the_openapi_schema(world, client):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/dashboard/screen/{code}"]["get"]
    assert operation["operationId"] == "dashboard_screen"
    assert {"200", "400", "404"} <= set(operation["responses"])

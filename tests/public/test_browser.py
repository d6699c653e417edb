"""The two reports of the issue's "Done when", in Chromium at phone width: an anonymous report
located on the map, a real-name report located by 定位 (a POST) and corrected with the selects,
verified by SMS, then both found through 进度查询. Playwright's clock and the server's notice
clock move 15 s forward together (the shared steps are in tests/public/flows.py)."""

import pytest
from playwright.sync_api import expect

from apps.regions import api as regions_api
from apps.reports.models import Report
from tests.map_clicks import click_map
from tests.public.conftest import center
from tests.public.flows import (
    CAPTCHA_PASSED,
    choose_region,
    describe_hazard,
    find_by_code,
    read_notice_and_choose,
    submit_report,
    verify_phone,
)
from tests.uploads import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART = "echarts.getInstanceByDom(document.getElementById('region-map'))"


def wait_for_map(page, code: str) -> None:
    page.wait_for_function(
        f"() => {{ const c = window.echarts && {CHART}; const o = c && c.getOption();"
        f" return Boolean(o && o.series && o.series[0].map === '{code}'); }}"
    )


def click_region(page, code: str) -> None:
    """Click the region's centre on the map until one of the selects has chosen it."""
    lng, lat = center(code)
    click_map(
        page,
        "#region-map",
        f"([lng, lat]) => {CHART}.convertToPixel({{seriesIndex: 0}}, [lng, lat])",
        [lng, lat],
        """(code) => ["region_province", "region_city", "region_county"]
            .some((id) => document.getElementById(id).value === code)""",
        code,
        code,
    )


def test_anonymous_by_map_and_real_name_by_selects_then_progress(
    page, live_server, country, server_clock, monkeypatch
):
    page.set_viewport_size({"width": 360, "height": 780})
    problems = []
    page.on("console", lambda m: problems.append(f"{m.text} {m.location}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.clock.install()

    # Anonymous, located by clicking 河南省 → 郑州市 → 金水区 on the map.
    read_notice_and_choose(page, server_clock, "匿名举报")
    wait_for_map(page, "100000")
    # The national map carries 南海诸岛 and the boundary line from the region GeoJSON.
    overlays = page.evaluate("echarts.getMap('100000').geoJSON.features.map(f => f.properties.name)")
    assert "南海诸岛" in overlays and "境界线" in overlays
    click_region(page, "410000")
    wait_for_map(page, "410000")
    expect(page.locator("#region_province")).to_have_value("410000")
    click_region(page, "410100")
    wait_for_map(page, "410100")
    click_region(page, "410105")
    expect(page.locator("#region_county")).to_have_value("410105")
    expect(page.locator("#map-path")).to_have_text("河南省 / 郑州市 / 金水区")
    page.get_by_role("button", name="返回上级").click()  # and back down again
    wait_for_map(page, "410000")
    expect(page.locator("#region_city")).to_have_value("")
    click_region(page, "410100")
    wait_for_map(page, "410100")
    click_region(page, "410105")
    expect(page.locator("#region")).to_have_value("410105")
    describe_hazard(page, "某某化工有限公司")
    page.get_by_label("选择文件").set_input_files(
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": builders.jpeg_with_gps()}]
    )
    page.get_by_label("图形验证码").fill(CAPTCHA_PASSED)
    anonymous_code = submit_report(page)

    # Real name: 定位 first (a POST: the coordinates stay out of the URL), then corrected with the
    # selects (洛阳市 → 涧西区); the phone is verified by SMS.
    read_notice_and_choose(page, server_clock, "实名举报")
    located, requests = [], []
    # The live server's point lookup, faked: the real index takes seconds to build and has its own tests.
    monkeypatch.setattr(regions_api, "locate_code", lambda *point: located.append(point) or "410105")
    page.on("request", lambda r: "/locate" in r.url and requests.append((r.method, r.url, r.post_data)))
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"longitude": 113.661234, "latitude": 34.801234})
    page.get_by_role("button", name="定位到我所在的县（区）").click()
    expect(page.locator("#locate-status")).to_contain_text("已定位到：河南省 / 郑州市 / 金水区")
    expect(page.locator("#region")).to_have_value("410105")
    assert requests == [("POST", f"{live_server.url}/api/v1/regions/locate", '{"lng":113.66,"lat":34.8}')]
    assert located == [(113.66, 34.8, "wgs84")]
    choose_region(page, "河南省", "洛阳市", "涧西区")
    expect(page.locator("#region")).to_have_value("410305")
    describe_hazard(page, "某某石化公司")
    verify_phone(page, name="王小明", phone="13912345678")
    real_name_code = submit_report(page)

    reports = {r.region.code: r for r in Report.objects.select_related("region")}
    assert reports["410105"].is_anonymous and reports["410105"].receiving_org == country.orgs.jinshui
    assert (
        reports["410305"].reporter_name == "王小明" and reports["410305"].receiving_org == country.orgs.jianxi
    )

    # Both are found through 进度查询.
    assert "举报已提交" in find_by_code(page, anonymous_code)
    assert "举报已提交" in find_by_code(page, real_name_code)
    expect(page.locator("#status-label")).to_have_text("已提交，等待受理")
    # No script error, no failed request and nothing refused by the Content-Security-Policy on the
    # way (the browser's own /favicon.ico probe aside: the site has no icon).
    assert [p for p in problems if "/favicon.ico" not in p] == []


def test_a_data_saving_phone_gets_the_map_only_when_asked(page, live_server, country, server_clock):
    page.set_viewport_size({"width": 360, "height": 780})
    # What Chromium reports with 省流量 (Save-Data) on; Playwright cannot switch it on itself.
    page.add_init_script(
        "Object.defineProperty(navigator, 'connection', {value: {saveData: true, effectiveType: '4g'}})"
    )
    scripts = []
    page.on("request", lambda r: "echarts" in r.url and scripts.append(r.url))
    page.clock.install()
    read_notice_and_choose(page, server_clock, "匿名举报")
    offer = page.get_by_role("button", name="在地图上选择（约需下载 350 KB）")
    expect(offer).to_be_visible()
    expect(page.locator("#map-box")).to_be_hidden()
    assert scripts == []
    # The selects work without it.
    choose_region(page, "河南省", "郑州市", "金水区")
    expect(page.locator("#region")).to_have_value("410105")
    offer.click()
    wait_for_map(page, "410100")  # the map opens on the choice already made
    assert len(scripts) == 1
    expect(page.locator("#map-offer")).to_be_hidden()

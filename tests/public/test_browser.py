"""The two reports of the issue's "Done when", in Chromium at phone width: an anonymous report
located on the map, a real-name report located with the selects and verified by SMS, then both
found through 进度查询. Playwright's clock and the server's notice clock move 15 s forward together."""

import re

import pytest
from playwright.sync_api import expect

from apps.reports.models import Report
from apps.sms.models import SmsOutbox
from tests.public.conftest import center
from tests.uploads import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART = "echarts.getInstanceByDom(document.getElementById('region-map'))"


def read_notice_and_choose(page, server_clock, mode: str) -> None:
    page.goto("/jubao/")
    ack = page.get_by_role("button", name=re.compile("我已阅读以上条款"))
    expect(ack).to_be_disabled()
    expect(ack).to_contain_text("15秒")
    page.clock.fast_forward(15_000)
    server_clock.advance(15)
    expect(ack).to_be_enabled()
    ack.click()
    page.get_by_role("button", name=re.compile("^" + mode)).click()
    expect(page.get_by_role("heading", name=mode)).to_be_visible()


def wait_for_map(page, code: str) -> None:
    page.wait_for_function(
        f"() => {{ const c = window.echarts && {CHART}; const o = c && c.getOption();"
        f" return Boolean(o && o.series && o.series[0].map === '{code}'); }}"
    )


def click_region(page, code: str) -> None:
    lng, lat = center(code)
    x, y = page.evaluate(
        f"([lng, lat]) => {CHART}.convertToPixel({{seriesIndex: 0}}, [lng, lat])", [lng, lat]
    )
    box = page.locator("#region-map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def describe_hazard(page, unit: str) -> None:
    page.get_by_label("问题类型").select_option(label="涉嫌存在重大事故隐患")
    page.get_by_label("行业").select_option(label="化工(含石油化工)")
    page.get_by_label("被举报单位名称").fill(unit)
    page.get_by_label("举报内容").fill(
        "储罐区可燃气体报警器长期关闭，夜间违规装卸危险化学品，存在重大事故隐患。"
    )


def find_by_code(page, code: str) -> str:
    page.goto("/jubao/progress/")
    page.get_by_label("举报编码").fill(code)
    page.get_by_label("图形验证码").fill("PASSED")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()
    return page.locator("#timeline").inner_text()


def test_anonymous_by_map_and_real_name_by_selects_then_progress(page, country, server_clock):
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
    page.get_by_label("图形验证码").fill("PASSED")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
    anonymous_code = page.locator("#receipt-code").get_attribute("data-code")
    assert len(anonymous_code) >= 16

    # Real name, located with the selects (洛阳市 → 涧西区), phone verified by SMS.
    read_notice_and_choose(page, server_clock, "实名举报")
    page.get_by_label("省（自治区、直辖市）").select_option(label="河南省")
    page.get_by_label("市（地区、州、盟）").select_option(label="洛阳市")
    page.get_by_label("县（市、区、旗）").select_option(label="涧西区")
    expect(page.locator("#region")).to_have_value("410305")
    describe_hazard(page, "某某石化公司")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("图形验证码").fill("PASSED")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送")
    expect(page.locator("#captcha-passed")).to_be_visible()
    sms_code = SmsOutbox.objects.get(template_code="phone_verify").context["code"]
    page.get_by_label("短信验证码").fill(sms_code)
    expect(page.locator("#sms-status")).to_contain_text("手机号码已验证")
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
    real_name_code = page.locator("#receipt-code").get_attribute("data-code")

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

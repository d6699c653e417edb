"""可视化分析 in Chromium: drill from the nation down to a county on the map and back."""

import os

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.map_clicks import click_map

pytestmark = pytest.mark.browser

SCREENSHOT_DIR = os.environ.get("DASHBOARD_SCREENSHOTS", "")


def sign_in(page, client, live_server, user):
    """The test client's session, handed to the browser (the SMS-code login has its own tests)."""
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def watch_problems(page) -> list[str]:
    """Script errors, console errors (CSP violations among them) and failed requests."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text
            and problems.append(msg.text))
    # The browser asks for /favicon.ico on its own; every other failed request is a problem.
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"{r.status} {r.url}"))
    return problems


def wait_loaded(page, code):
    page.wait_for_selector(f'#screen[data-loaded-code="{code}"]:not([aria-busy])', state="attached")


def click_region(page, name):
    """A real mouse click at the point ECharts draws the region's label, and the drill it starts."""
    click_map(
        page,
        "#chart-map",
        """(name) => echarts.getInstanceByDom(document.getElementById("chart-map"))
            .convertToPixel({seriesIndex: 0}, name) || null""",
        name,
        """(before) => {
            const screen = document.getElementById("screen");
            return screen.hasAttribute("aria-busy") || screen.dataset.loadedCode !== before;
        }""",
        page.get_attribute("#screen", "data-loaded-code"),
        name,
    )


def panels(page):
    return {
        "region": page.text_content("#region-name"),
        "year_total": page.text_content("#year-total"),
        "period_total": page.text_content("#period-total"),
        "children_title": page.text_content("#children-title"),
        "breadcrumb": page.text_content("#breadcrumb"),
    }


def shot(page, name):
    if SCREENSHOT_DIR:
        page.wait_for_timeout(1500)  # let the chart animations finish; only for the picture
        page.screenshot(path=os.path.join(SCREENSHOT_DIR, f"dashboard-{name}.png"))


def test_drill_from_the_nation_to_a_county_and_back(live_world, page, client, live_server):
    problems = watch_problems(page)
    page.set_viewport_size({"width": 1600, "height": 900})
    sign_in(page, client, live_server, live_world.users.mem)

    page.goto("/dashboard/")
    wait_loaded(page, "100000")
    assert panels(page) == {"region": "全国", "year_total": "7", "period_total": "7",
                            "children_title": "各省份举报数量", "breadcrumb": "全国"}
    assert page.is_disabled("#go-up")
    shot(page, "nation")

    click_region(page, "河南省")
    wait_loaded(page, "410000")
    assert panels(page) == {"region": "河南省", "year_total": "5", "period_total": "5",
                            "children_title": "下级地区举报数量", "breadcrumb": "全国河南省"}
    shot(page, "henan")

    click_region(page, "郑州市")
    wait_loaded(page, "410100")
    assert panels(page)["year_total"] == "4"
    assert panels(page)["breadcrumb"] == "全国河南省郑州市"

    click_region(page, "金水区")
    wait_loaded(page, "410105")
    assert panels(page) == {"region": "金水区", "year_total": "3", "period_total": "3",
                            "children_title": "本地区举报数量", "breadcrumb": "全国河南省郑州市金水区"}
    assert "region=410105" in page.url, "a reload keeps the selection"

    # The dates drive every panel but this year's cumulative count.
    page.fill("#screen-start", "2020-01-01")
    page.click("#screen-filter button[type=submit]")
    expect(page.locator("#period-total")).to_have_text("4")
    assert page.text_content("#year-total") == "3"
    shot(page, "jinshui")
    if SCREENSHOT_DIR:
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.click("#breadcrumb button:text('河南省')")
        wait_loaded(page, "410000")
        shot(page, "henan-1080p")
        page.set_viewport_size({"width": 900, "height": 1200})
        shot(page, "henan-narrow")
        page.set_viewport_size({"width": 1600, "height": 900})
        page.wait_for_timeout(500)  # the charts resize 100 ms after the window does
        click_region(page, "郑州市")
        wait_loaded(page, "410100")
        click_region(page, "金水区")
        wait_loaded(page, "410105")

    page.click("#go-up")
    wait_loaded(page, "410100")
    assert panels(page)["region"] == "郑州市"
    assert page.text_content("#period-total") == "5", "the period is kept while navigating"

    page.click("#breadcrumb button:text('全国')")
    wait_loaded(page, "100000")
    assert panels(page)["region"] == "全国" and panels(page)["period_total"] == "8"
    assert page.is_disabled("#go-up")
    assert problems == []


def test_bad_dates_show_the_servers_message(live_world, page, client, live_server):
    sign_in(page, client, live_server, live_world.users.zhengzhou)
    page.goto("/dashboard/")
    wait_loaded(page, "410100")
    assert page.text_content("#breadcrumb") == "郑州市", "the city user's map starts at the city"
    assert page.is_disabled("#go-up")
    page.fill("#screen-start", "2030-01-01")
    page.fill("#screen-end", "2029-01-01")
    page.click("#screen-filter button[type=submit]")
    expect(page.locator("#screen-status")).to_contain_text("开始日期不能晚于结束日期")

    # An address naming a place outside the city falls back to the city.
    page.goto("/dashboard/?region=410000")
    wait_loaded(page, "410100")
    assert page.text_content("#region-name") == "郑州市"


def test_home_draws_the_problem_type_chart(live_world, page, client, live_server):
    problems = watch_problems(page)
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, client, live_server, live_world.users.henan)
    page.goto("/")
    page.wait_for_selector("#home-type-chart canvas")
    assert page.text_content("#figure-year-total") == "5"
    assert page.locator("#hot-words li").count() > 0
    shot(page, "home")
    assert problems == []

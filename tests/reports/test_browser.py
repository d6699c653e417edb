"""The whole case-handling path in Chromium (issue 4's browser test).

A real-name report is submitted publicly for 金水区 through the public form (the 15-second
notice, the region selects, SMS verification: the steps of tests/public/flows.py). The 河南省 user
enters a second report by 信件, locating it with the region picker, and 转办 it to 郑州市, which
转办 it to 金水区; 金水区 accepts both and dispatches them to its 内设机构, which records 核查 and
反馈; each report is closed by the org that first accepted it; the closing SMS is in the outbox
and the result shows in 进度查询.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from apps.reports.models import Report
from tests.public.flows import (
    choose_region,
    describe_hazard,
    find_by_code,
    read_notice_and_choose,
    submit_report,
    verify_phone,
)
from tests.reports.helpers import sms_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_page(chromium, live_server, settings, tmp_path):
    """A reporter's browser: no staff session, fake timers for the notice, and no map (the public
    tests cover it; the selects are the truth and loading ECharts would only cost time)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()  # rate limits and SMS codes left by earlier tests in this process
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(30000)
    context.route("**/vendor/echarts/**", lambda route: route.abort())
    page = context.new_page()
    page.clock.install()
    yield page
    context.close()


def open_report(page, report, *, from_todo=False):
    """The detail page; through the 待办 list when the report's arrival there is what is tested
    (a direct address otherwise: one page load less)."""
    if from_todo:
        page.goto("/reports/todo/")
        page.get_by_role("link", name=report.number).click()
    else:
        page.goto(f"/reports/{report.pk}/")
    page.wait_for_selector("#timeline")


def do(page, action, submit=None):
    page.get_by_role("link", name=action, exact=True).click()
    page.get_by_role("button", name=submit or action, exact=True).click()
    page.wait_for_selector("#timeline")


def dispatch(page, target_org):
    page.get_by_role("link", name="转办本系统", exact=True).click()
    page.select_option("#id_target", str(target_org.pk))
    page.get_by_role("button", name="转办本系统", exact=True).click()
    page.wait_for_selector("#timeline")


def verify(page):
    page.get_by_role("link", name="核查反馈", exact=True).click()
    page.get_by_label("属实", exact=True).check()
    page.fill("#id_summary", "经现场核查，举报属实，已责令停产整改。")
    page.fill("#id_decision", "罚款5万元")
    page.fill("#id_penalty_amount", "50000")
    page.get_by_role("button", name="核查反馈", exact=True).click()
    page.wait_for_selector("#timeline")


def close(page):
    page.get_by_role("link", name="办结", exact=True).click()
    page.wait_for_selector("#reward-hint-amount")  # the htmx reward hint: 15% of 50,000
    assert page.inner_text("#reward-hint-amount") == "7500.00"
    assert page.is_checked("#id_notify_reporter")
    page.get_by_role("button", name="办结", exact=True).click()
    page.wait_for_selector("#closed-conclusion")


def check_result(page, code):
    find_by_code(page, code)
    expect(page.locator("#status-label")).to_have_text("已办结")
    assert "属实" in page.locator("#result").inner_text()


def test_reports_travel_down_and_results_back_up(world, browser_as, public_page, server_clock):
    # A reporter in 金水区 reports under their real name through the public form.
    read_notice_and_choose(public_page, server_clock, "实名举报")
    choose_region(public_page, "河南省", "郑州市", "金水区")
    describe_hazard(public_page, "金水某化工厂")
    verify_phone(public_page, name="张三", phone="13800138000")
    public_code = submit_report(public_page)
    public = Report.objects.get(reported_unit_name="金水某化工厂")
    assert public.receiving_org == world.orgs.jinshui and public.reporter_name == "张三"

    # 河南省 enters a letter, accepts it and sends it down to 郑州市.
    henan = browser_as(world.users.henan)
    henan.goto("/reports/new/")
    henan.select_option("#id_channel", str(world.letter.pk))
    henan.get_by_label("实名举报").check()
    henan.fill("#id_reporter_name", "李四")
    henan.fill("#id_reporter_phone", "13900139000")
    # The region picker: 河南省 is forced (the user's jurisdiction), 郑州市 → 金水区 load on choice.
    expect(henan.get_by_label("省（自治区、直辖市）")).to_have_value("410000")
    choose_region(henan, "河南省", "郑州市", "金水区")
    henan.fill("#id_reported_unit_name", "郑州某危化品仓库")
    henan.select_option("#id_industry", str(world.hazchem.pk))
    henan.select_option("#id_problem_type", str(world.major_hazard.pk))
    henan.fill("#id_description", "仓库超量储存危险化学品。")
    henan.get_by_role("button", name="提交", exact=True).click()
    henan.wait_for_selector("#timeline")
    letter_code = re.search(r"举报编码：(\d{18})", henan.content()).group(1)
    letter = Report.objects.get(reported_unit_name="郑州某危化品仓库")
    assert letter.receiving_org == world.orgs.henan
    do(henan, "受理")
    dispatch(henan, world.orgs.zhengzhou)

    zhengzhou = browser_as(world.users.zhengzhou)
    open_report(zhengzhou, letter, from_todo=True)
    assert "仅受理单位经办人员可见" in zhengzhou.inner_text("#reporter-identity")
    do(zhengzhou, "受理")
    dispatch(zhengzhou, world.orgs.jinshui)

    # 金水区 has both in its 待办, accepts both and dispatches both to its 内设机构.
    jinshui = browser_as(world.users.jinshui)
    jinshui.goto("/reports/todo/")
    rows = jinshui.inner_text("table.report-table")
    assert public.number in rows and letter.number in rows
    for report in (public, letter):
        open_report(jinshui, report)
        do(jinshui, "受理")
        dispatch(jinshui, world.orgs.jinshui_dept)

    dept = browser_as(world.users.jinshui_dept)
    for report in (public, letter):
        open_report(dept, report, from_todo=True)
        verify(dept)

    # The public report was first accepted by 金水区: it closes it.
    open_report(jinshui, public)
    close(jinshui)
    # The letter goes back up one hop at a time to 河南省, which first accepted it.
    open_report(jinshui, letter)
    assert jinshui.get_by_role("link", name="办结", exact=True).count() == 0
    do(jinshui, "核查反馈")
    open_report(zhengzhou, letter)
    do(zhengzhou, "核查反馈")
    open_report(henan, letter)
    close(henan)

    public.refresh_from_db()
    letter.refresh_from_db()
    assert public.status == letter.status == Report.Status.CLOSED
    assert public.events.get(action="close").org == world.orgs.jinshui
    assert letter.events.get(action="close").org == world.orgs.henan
    assert "核查属实" in sms_for(public, "closed").get().text
    assert sms_for(letter, "closed").get().to_phone == "13900139000"

    check_result(public_page, public_code)
    check_result(public_page, letter_code)


def test_region_picker_retries_a_lost_request_then_says_it_failed(browser_as, world):
    """A phone on a weak connection loses requests: the picker asks again before giving up, and
    when every try fails it says so instead of leaving an empty select."""
    henan = browser_as(world.users.henan)
    tries = {"410000": 0, "410100": 0}

    def flaky(route):
        parent = route.request.url.rsplit("parent=", 1)[-1]
        tries[parent] += 1
        if parent == "410100" or tries[parent] == 1:
            route.abort()  # 410000: only the first try is lost; 410100: every try is
        else:
            route.continue_()

    henan.route("**/api/v1/regions?parent=*", flaky)
    henan.goto("/reports/new/")
    henan.get_by_label("省（自治区、直辖市）").select_option("410000")
    henan.get_by_label("市（地区、州、盟）").select_option(label="郑州市")
    assert tries["410000"] == 2
    expect(henan.locator(".region-picker-status")).to_have_text("下级地区加载失败，请检查网络后重新选择。")
    assert tries["410100"] == 3
    expect(henan.get_by_label("县（市、区、旗）")).to_be_disabled()

"""The whole case-handling path in Chromium (issue 4's browser test).

A real-name report is submitted publicly for 金水区 (created through report_create, the function the
public form calls: the public UI drives a 15-second notice, an image captcha and an SMS code,
which apps.public's own browser test covers). The 河南省 user enters a second report by 信件 and
转办 it to 郑州市, which 转办 it to 金水区; 金水区 accepts both and dispatches them to its 内设机构,
which records 核查 and 反馈; each report is closed by the org that first accepted it; the closing
SMS is in the outbox and the result shows in 进度查询.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from apps.reports.actions.create import report_create
from apps.reports.models import Report
from tests.reports.helpers import REPORTER, content_for, sms_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_as(chromium, live_server):
    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = chromium.new_context(base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai")
        context.set_default_timeout(15000)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "url": live_server.url,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def open_report(page, number):
    page.goto("/reports/todo/")
    page.get_by_role("link", name=number).click()
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


def check_progress(page, code):
    page.goto("/jubao/progress/")
    page.fill("#code", code)
    page.fill("input[name=captcha_answer]", "PASSED")  # CAPTCHA_TEST_MODE in tests
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "已办结" in text and "属实" in text, text


def test_reports_travel_down_and_results_back_up(world, browser_as, chromium):
    public, public_code = report_create(
        content=content_for(world, reported_unit_name="金水某化工厂"),
        receiving_org=world.orgs.jinshui,
        reporter=REPORTER,
    )

    # 河南省 enters a letter, accepts it and sends it down to 郑州市.
    henan = browser_as(world.users.henan)
    henan.goto("/reports/new/")
    henan.select_option("#id_channel", str(world.letter.pk))
    henan.get_by_label("实名举报").check()
    henan.fill("#id_reporter_name", "李四")
    henan.fill("#id_reporter_phone", "13900139000")
    henan.select_option("#id_region", str(world.regions["410105"].pk))
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
    open_report(zhengzhou, letter.number)
    assert "仅受理单位经办人员可见" in zhengzhou.inner_text("#reporter-identity")
    do(zhengzhou, "受理")
    dispatch(zhengzhou, world.orgs.jinshui)

    # 金水区 has both in its 待办, accepts both and dispatches both to its 内设机构.
    jinshui = browser_as(world.users.jinshui)
    jinshui.goto("/reports/todo/")
    rows = jinshui.inner_text("table.report-table")
    assert public.number in rows and letter.number in rows
    for report in (public, letter):
        open_report(jinshui, report.number)
        do(jinshui, "受理")
        dispatch(jinshui, world.orgs.jinshui_dept)

    dept = browser_as(world.users.jinshui_dept)
    for report in (public, letter):
        open_report(dept, report.number)
        verify(dept)

    # The public report was first accepted by 金水区: it closes it.
    open_report(jinshui, public.number)
    close(jinshui)
    # The letter goes back up one hop at a time to 河南省, which first accepted it.
    open_report(jinshui, letter.number)
    assert jinshui.get_by_role("link", name="办结", exact=True).count() == 0
    do(jinshui, "核查反馈")
    open_report(zhengzhou, letter.number)
    do(zhengzhou, "核查反馈")
    open_report(henan, letter.number)
    close(henan)

    public.refresh_from_db()
    letter.refresh_from_db()
    assert public.status == letter.status == Report.Status.CLOSED
    assert public.events.get(action="close").org == world.orgs.jinshui
    assert letter.events.get(action="close").org == world.orgs.henan
    assert "核查属实" in sms_for(public, "closed").get().text
    assert sms_for(letter, "closed").get().to_phone == "13900139000"

    reporter = chromium.new_page(base_url=henan.url.split("/reports")[0])
    try:
        check_progress(reporter, public_code)
        check_progress(reporter, letter_code)
    finally:
        reporter.close()

"""Issue 3's "keyboard-usable with labelled fields and sufficient contrast (WCAG 2.1 AA)", in
Chromium at phone width: axe-core (a pinned dev dependency, docs/decisions/0014, tests/axe.py) checks every
public page against the WCAG 2.0/2.1 A and AA rules, contrast included, and a report is made
from the notice to the receipt and found again through 进度查询 with the keyboard alone: no
mouse click, no `fill` on a field the keyboard did not reach first."""

import pytest
from playwright.sync_api import expect

from apps.reports.models import Report
from tests.axe import assert_accessible
from tests.public.flows import CAPTCHA_PASSED, choose_region, describe_hazard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 80


def tab_to(page, selector: str) -> None:
    """Press Tab (only Tab) until the element is focused; fail if the keyboard never reaches it."""
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    pytest.fail(f"{MAX_TABS} presses of Tab never reached {selector}; focus is on {focused}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def choose_with_arrows(page, selector: str, label: str) -> None:
    """Focus a select with Tab and move through its options with the arrow keys to `label`.
    A cascaded select is disabled (and skipped by Tab) until its options have loaded."""
    expect(page.locator(selector)).to_be_enabled()
    tab_to(page, selector)
    labels = page.eval_on_selector(selector, "(s) => Array.from(s.options, (o) => o.text.trim())")
    assert label in labels, f"{label} is not offered by {selector}: {labels}"
    page.keyboard.press("Home")
    for _ in range(labels.index(label)):
        page.keyboard.press("ArrowDown")
    expect(page.locator(selector)).to_have_js_property(
        "value",
        page.eval_on_selector(
            selector, "(s, l) => Array.from(s.options).find((o) => o.text.trim() === l).value", label
        ),
    )


def focus_is_visible(page) -> bool:
    """The focused element draws a focus ring (outline or box-shadow), as WCAG 2.4.7 asks."""
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || s.boxShadow !== 'none'; }"""
    )


def test_a_report_by_keyboard_alone_on_pages_without_wcag_violations(
    page, live_server, country, server_clock
):
    page.set_viewport_size({"width": 360, "height": 780})
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.clock.install()

    page.goto("/jubao/")
    assert_accessible(page, "举报须知 (counting down)")
    page.clock.fast_forward(15_000)
    server_clock.advance(15)
    ack = page.get_by_role("button", name="我已阅读以上条款")
    expect(ack).to_be_enabled()
    assert_accessible(page, "举报须知 (after the countdown)")
    tab_to(page, "#ack-button")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    # The choice takes the focus itself, so a keyboard or screen reader user lands on it.
    expect(page.locator("#mode-choice button").first).to_be_focused()
    assert_accessible(page, "举报须知 (the choice)")
    tab_to(page, "#mode-choice button[value=anonymous]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="匿名举报")).to_be_visible()
    page.clock.resume()
    assert_accessible(page, "匿名举报 form")

    choose_with_arrows(page, "#region_province", "河南省")
    choose_with_arrows(page, "#region_city", "郑州市")
    choose_with_arrows(page, "#region_county", "金水区")
    expect(page.locator("#region")).to_have_value("410105")
    choose_with_arrows(page, "#problem_type", "涉嫌存在重大事故隐患")
    choose_with_arrows(page, "#industry", "化工(含石油化工)")
    type_into(page, "#reported_unit_name", "某化工有限公司")
    type_into(page, "#description", "夜间在储罐区违规动火作业，可燃气体报警器被人为关闭，存在重大事故隐患。")
    type_into(page, "#captcha_answer", CAPTCHA_PASSED)
    tab_to(page, "#submit-button")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
    code = page.locator("#receipt-code").get_attribute("data-code")
    assert Report.objects.count() == 1
    assert_accessible(page, "回执")

    page.goto("/jubao/progress/")
    assert_accessible(page, "进度查询")
    type_into(page, "#code", "1234567890123456")
    type_into(page, "#captcha_answer", CAPTCHA_PASSED)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "进度查询 (not found)")
    tab_to(page, "#code")
    page.keyboard.press("Control+A")
    page.keyboard.type(code)
    type_into(page, "#captcha_answer", CAPTCHA_PASSED)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()
    assert "已提交" in page.locator("#timeline").inner_text()
    assert_accessible(page, "办理进度")
    assert problems == []


def test_the_real_name_form_and_its_errors_have_no_wcag_violations(page, live_server, country, server_clock):
    """The real-name fields, the SMS status and a refused submission's error messages (the
    invalid state is where labels and descriptions most often go missing)."""
    page.set_viewport_size({"width": 360, "height": 780})
    page.clock.install()
    page.goto("/jubao/")
    page.clock.fast_forward(15_000)
    server_clock.advance(15)
    page.get_by_role("button", name="我已阅读以上条款").click()
    page.get_by_role("button", name="实名举报").click()
    page.clock.resume()
    expect(page.get_by_role("heading", name="实名举报")).to_be_visible()
    assert_accessible(page, "实名举报 form")

    # The page's own check first: an alert, and the focus on the field to correct.
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("alert")).to_contain_text("请选择举报事项所在地")
    assert_accessible(page, "实名举报 form with the page's own error")

    # Then the server's: everything the page checks is right, the reporter's part is not.
    choose_region(page, "河南省", "郑州市", "金水区")
    describe_hazard(page, "某化工有限公司")
    page.get_by_label("手机号码").fill("1380013")
    page.get_by_label("图形验证码").fill("WRONG")
    page.get_by_role("button", name="提交举报").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert Report.objects.count() == 0
    assert_accessible(page, "实名举报 form with the server's errors")
    described = page.evaluate(
        """() => Array.from(document.querySelectorAll('.is-invalid'), (el) =>
            [el.id, el.getAttribute('aria-invalid') === 'true' &&
             (el.getAttribute('aria-describedby') || '').split(' ')
               .some((id) => { const d = document.getElementById(id);
                               return Boolean(d && d.classList.contains('invalid-feedback')
                                              && d.textContent.trim()); })])"""
    )
    assert len(described) >= 2 and all(ok for _, ok in described), (
        f"fields without their message: {described}"
    )

"""The public channel's browser steps, shared by every browser test that reports as the public
(tests/public/test_browser.py, tests/reports/test_browser.py): the 15-second notice passed with
Playwright's clock and the server's clock together, the region selects, SMS verification with
the code read from the outbox, the captcha answered by CAPTCHA_TEST_MODE, and 进度查询.

A page using these must have called `page.clock.install()` before its first navigation."""

import re
from types import SimpleNamespace

from playwright.sync_api import expect

from apps.public import clock
from apps.sms.models import SmsOutbox
from apps.sms.phones import phone_hash

CAPTCHA_PASSED = "PASSED"  # the answer CAPTCHA_TEST_MODE accepts


def patch_server_clock(monkeypatch) -> SimpleNamespace:
    """The server's notice clock, moved forward by the test with `.advance(seconds)` (a browser
    test moves Playwright's clock by the same amount), so the 15 seconds pass without waiting
    for them. Each conftest that needs it wraps it in a `server_clock` fixture."""
    state = SimpleNamespace(offset=0.0)
    real_now = clock.now

    def advance(seconds: float) -> None:
        state.offset += seconds

    monkeypatch.setattr(clock, "now", lambda: real_now() + state.offset)
    state.advance = advance
    return state


def read_notice_and_choose(page, server_clock, mode: str) -> None:
    """Open /jubao/, wait out the 15 seconds on both clocks, acknowledge, choose 匿名/实名举报."""
    page.goto("/jubao/")
    ack = page.get_by_role("button", name=re.compile("我已阅读以上条款"))
    expect(ack).to_be_disabled()
    # Counting down from 15 (the page's clock runs, so on a busy machine it may be past 15 by
    # the time the text is read; data-remaining="15" is pinned in tests/public/test_notice.py).
    expect(ack).to_have_text(re.compile(r"我已阅读以上条款（(1[0-5]|[1-9])秒）"))
    page.clock.fast_forward(15_000)
    server_clock.advance(15)
    expect(ack).to_be_enabled()
    ack.click()
    page.get_by_role("button", name=re.compile("^" + mode)).click()
    expect(page.get_by_role("heading", name=mode)).to_be_visible()


def choose_region(page, province: str, city: str, county: str) -> None:
    """Pick the place through the cascading selects, by name (each level loads after the last)."""
    page.get_by_label("省（自治区、直辖市）").select_option(label=province)
    page.get_by_label("市（地区、州、盟）").select_option(label=city)
    page.get_by_label("县（市、区、旗）").select_option(label=county)


def describe_hazard(page, unit: str) -> None:
    page.get_by_label("问题类型").select_option(label="涉嫌存在重大事故隐患")
    page.get_by_label("行业").select_option(label="化工(含石油化工)")
    page.get_by_label("被举报单位名称").fill(unit)
    page.get_by_label("举报内容").fill(
        "储罐区可燃气体报警器长期关闭，夜间违规装卸危险化学品，存在重大事故隐患。"
    )


def verify_phone(page, *, name: str, phone: str) -> None:
    """Real name: fill name and phone, pass the captcha, read the SMS code from the outbox."""
    page.get_by_label("姓名").fill(name)
    page.get_by_label("手机号码").fill(phone)
    page.get_by_label("图形验证码").fill(CAPTCHA_PASSED)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator("#sms-status")).to_contain_text("验证码已发送")
    expect(page.locator("#captcha-passed")).to_be_visible()
    sent = SmsOutbox.objects.filter(template_code="phone_verify", phone_hash=phone_hash(phone)).latest("id")
    page.get_by_label("短信验证码").fill(sent.context["code"])
    expect(page.locator("#sms-status")).to_contain_text("手机号码已验证")


def submit_report(page) -> str:
    """【提交举报】; returns the receipt code shown once on the receipt page."""
    page.get_by_role("button", name="提交举报").click()
    expect(page.get_by_role("heading", name="举报已提交")).to_be_visible()
    code = page.locator("#receipt-code").get_attribute("data-code")
    assert code and len(code) >= 16
    return code


def find_by_code(page, code: str) -> str:
    """进度查询 by receipt code; returns the timeline's text (the page stays open for more checks)."""
    page.goto("/jubao/progress/")
    page.get_by_label("举报编码").fill(code)
    page.get_by_label("图形验证码").fill(CAPTCHA_PASSED)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="办理进度")).to_be_visible()
    return page.locator("#timeline").inner_text()

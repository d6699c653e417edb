"""The staff login in Chromium: password → 【发送】 → image captcha → 【获取短信验证码】 → SMS code
(read from the outbox) → 【登录】 → the forced change of an expired password → home."""

import datetime

import pytest
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.utils import timezone

from apps.accounts.models import User
from tests.accounts.world import PASSWORD, build_world, latest_login_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_captcha(settings, monkeypatch):
    """Test mode off, so only the image's real answer passes. django-simple-captcha copies the
    setting into its own module at import, so that copy is switched off too (the live server
    runs in this process)."""
    settings.CAPTCHA_TEST_MODE = False
    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)


def open_captcha(page) -> str:
    """Click 【发送】 and return the answer of the captcha image now on the page."""
    page.click("#send-button")
    page.locator("#captcha-modal").wait_for(state="visible")
    assert page.locator("#captcha-modal img.captcha").is_visible()
    hashkey = page.input_value("#id_captcha_0")
    return CaptchaStore.objects.get(hashkey=hashkey).response


def test_sign_in_with_captcha_and_sms_then_change_expired_password(page, live_server, real_captcha):
    world = build_world()
    user = world.user("P1", "user")
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=120))
    csp_violations = []
    page.on(
        "console",
        lambda msg: csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    page.goto("/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    answer = open_captcha(page)
    # The test-mode word is refused now; the page comes back with a fresh image.
    page.fill("#id_captcha_1", "PASSED" if answer.lower() != "passed" else "WRONG")
    page.click("#get-code-button")
    page.wait_for_selector("[data-testid=login-error]")
    assert "图形验证码不正确" in page.inner_text("[data-testid=login-error]")

    page.fill("#id_password", PASSWORD)
    answer = open_captcha(page)
    page.fill("#id_captcha_1", answer)
    page.click("#get-code-button")

    page.wait_for_url("**/login/code/")
    assert "138****" in page.inner_text("main")
    page.fill("#id_code", latest_login_code(user))
    page.click("#login-button")

    page.wait_for_url("**/password/change/**")
    assert "已过期" in page.inner_text("[data-testid=password-reason]")
    assert "这是您首次登录本系统" in page.inner_text("[data-testid=login-notice]")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", "Qz7#mLp2vR")
    page.fill("#id_new_password2", "Qz7#mLp2vR")
    page.click("main button[type=submit]")

    page.wait_for_url(f"{live_server.url}/")
    assert "密码已修改" in page.inner_text("main")
    assert user.real_name in page.inner_text("header")
    user.refresh_from_db()
    assert user.check_password("Qz7#mLp2vR")
    assert csp_violations == []


def test_send_without_credentials_keeps_the_captcha_closed(page):
    build_world()
    page.goto("/login/")
    page.click("#send-button")
    page.wait_for_timeout(300)
    assert not page.locator("#captcha-modal").is_visible()
    assert "is-invalid" in page.get_attribute("#id_username", "class")

"""The staff login in Chromium: password → 【发送】 → image captcha → 【获取短信验证码】 → SMS code
(read from the outbox) → 【登录】 → the forced change of an expired password → home."""

import datetime

import pytest
from django.utils import timezone

from apps.accounts.models import User
from tests.accounts.world import PASSWORD, build_world, latest_login_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_captcha_and_sms_then_change_expired_password(page, live_server):
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
    page.click("#send-button")
    captcha = page.locator("#captcha-modal")
    captcha.wait_for(state="visible")
    assert page.locator("#captcha-modal img.captcha").is_visible()
    page.fill("#id_captcha_1", "PASSED")
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

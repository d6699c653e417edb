import datetime

import pytest
from captcha.models import CaptchaStore
from django.contrib.sessions.models import Session
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts.models import LoginCode
from apps.audit import actions
from apps.audit.models import AuditLog
from apps.sms.models import SmsOutbox
from tests.accounts.world import (
    PASSWORD,
    age_login_codes,
    captcha_fields,
    full_login,
    latest_login_code,
    start_login,
)

pytestmark = pytest.mark.django_db


def audit_rows(action, **filters):
    return AuditLog.objects.filter(action=action, **filters)


def test_login_needs_password_captcha_and_sms_code(client, world):
    user = world.user("P1", "user")
    page = client.get("/login/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "发送" in html and "获取短信验证码" in html and "/captcha/image/" in html

    response = start_login(client, user.username)
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    # Password and captcha alone do not log in: the home page still asks for the login.
    assert client.get("/").status_code == 302
    sms = SmsOutbox.objects.get(related=f"login:{user.pk}")
    assert sms.template_code == "login_code" and sms.to_phone == user.mobile
    code_page = client.get("/login/code/")
    assert "138****" in code_page.content.decode()

    response = client.post("/login/code/", {"code": latest_login_code(user)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    row = audit_rows(actions.LOGIN, actor=user).get()
    assert row.result == "success" and row.ip_address == "127.0.0.1" and row.detail["method"] == "sms"


def test_real_captcha_is_checked_before_the_password(client, world):
    user = world.user("P1", "user")
    client.get("/login/")
    store = CaptchaStore.objects.order_by("-id").first()
    wrong = client.post(
        "/login/",
        {"username": user.username, "password": PASSWORD, "captcha_0": store.hashkey, "captcha_1": "wrong"},
    )
    assert wrong.status_code == 200
    assert "图形验证码不正确" in wrong.content.decode()
    assert not LoginCode.objects.filter(user=user).exists()
    failed = audit_rows(actions.LOGIN_FAILED).get()
    assert failed.detail["reason"] == "图形验证码错误"

    client.get("/login/")
    store = CaptchaStore.objects.order_by("-id").first()
    right = client.post(
        "/login/",
        {
            "username": user.username,
            "password": PASSWORD,
            "captcha_0": store.hashkey,
            "captcha_1": store.response,
        },
    )
    assert right.status_code == 302
    assert LoginCode.objects.filter(user=user).count() == 1


def test_wrong_password_says_so_without_revealing_the_account(client, world):
    user = world.user("P1", "user")
    response = start_login(client, user.username, "Wrong@12345")
    assert "用户名或密码错误" in response.content.decode()
    unknown = start_login(client, "nobody-here", "Wrong@12345")
    assert "用户名或密码错误" in unknown.content.decode()
    assert not SmsOutbox.objects.exists()
    rows = audit_rows(actions.LOGIN_FAILED)
    assert rows.count() == 2
    assert rows.filter(target_id=str(user.pk)).exists()
    assert rows.filter(target_repr="nobody-here", target_id="").exists()


def test_account_without_mobile_cannot_get_a_code(client, world):
    user = world.user("P1", "user")
    user.mobile = ""
    user.save(update_fields=["mobile"])
    response = start_login(client, user.username)
    assert "未登记手机号码" in response.content.decode()
    assert client.get("/login/code/").status_code == 302


def test_wrong_sms_code_counts_down_and_kills_the_code_after_five(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 50  # isolate the code's own limit from the account lockout
    user = world.user("P1", "user")
    start_login(client, user.username)
    right = latest_login_code(user)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = client.post("/login/code/", {"code": wrong})
        assert f"还可尝试{left}次" in response.content.decode()
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 302 and response["Location"] == "/login/"
    # The right code no longer works: the login must start again.
    client.post("/login/code/", {"code": right})
    assert client.get("/").status_code == 302
    assert audit_rows(actions.LOGIN_FAILED, detail__reason="短信验证码错误").count() == 5


def test_malformed_code_is_refused_without_using_an_attempt(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    response = client.post("/login/code/", {"code": "12ab" * 100})
    assert "请输入6位数字短信验证码" in response.content.decode()
    assert LoginCode.objects.get(user=user).attempts == 0


def test_code_expires_after_five_minutes(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    code = LoginCode.objects.get(user=user)
    assert (code.expires_at - code.created_at) == datetime.timedelta(minutes=5)
    LoginCode.objects.filter(pk=code.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=6),
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    response = client.post("/login/code/", {"code": latest_login_code(user)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_resend_waits_sixty_seconds(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    response = client.post("/login/code/resend/", follow=True)
    assert "秒后再重新获取" in response.content.decode()
    assert SmsOutbox.objects.filter(related=f"login:{user.pk}").count() == 1
    LoginCode.objects.filter(user=user).update(created_at=timezone.now() - datetime.timedelta(seconds=61))
    old = latest_login_code(user)
    response = client.post("/login/code/resend/", follow=True)
    assert "已重新发送" in response.content.decode()
    assert SmsOutbox.objects.filter(related=f"login:{user.pk}").count() == 2
    new = latest_login_code(user)
    if old != new:
        # Only the newest code works.
        assert "不正确" in client.post("/login/code/", {"code": old}).content.decode()
    client.post("/login/code/", {"code": new})
    assert client.get("/").status_code == 200


def test_session_id_rotates_at_login(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    before = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=before).exists()
    client.post("/login/code/", {"code": latest_login_code(user)})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_idle_session_ends_after_thirty_minutes(client, world, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    user = world.user("P1", "user")
    full_login(client, user)
    key = client.cookies["sessionid"].value
    # Each request pushes the expiry 30 minutes ahead of now (idle, not absolute, timeout).
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + datetime.timedelta(minutes=2))
    assert client.get("/").status_code == 200
    expiry = Session.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + datetime.timedelta(minutes=29)
    # 30 idle minutes later the session is gone.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_lockout_after_five_failures_and_admin_unlock(client, world):
    user = world.user("C1", "user")
    for _ in range(5):
        start_login(client, user.username, "Wrong@12345")
    response = start_login(client, user.username)  # the right password no longer helps
    assert response.status_code == 429
    assert "账号已被锁定30分钟" in response.content.decode()
    assert not SmsOutbox.objects.exists()
    assert audit_rows(actions.LOCKOUT, target_id=str(user.pk)).count() == 1

    admin = world.user("C1", "admin")
    admin_client = client.__class__()
    admin_client.force_login(admin)
    page = admin_client.get(f"/sysadmin/users/{user.pk}/")
    assert "已锁定" in page.content.decode()
    assert admin_client.post(f"/sysadmin/users/{user.pk}/unlock/").status_code == 302
    assert audit_rows(actions.ACCOUNT_UNLOCK, actor=admin, target_id=str(user.pk)).exists()

    response = start_login(client, user.username)
    assert response.status_code == 302
    client.post("/login/code/", {"code": latest_login_code(user)})
    assert client.get("/").status_code == 200


def test_lockout_counts_per_client_address_too(client, world):
    # Five different accounts tried from one address: the address is locked for everyone.
    for key in ["P1", "P2", "C1", "C2", "K1"]:
        start_login(client, world.user(key, "user").username, "Wrong@12345")
    response = start_login(client, world.user("K2", "user").username)
    assert response.status_code == 429


def test_five_wrong_sms_codes_lock_the_account(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    right = latest_login_code(user)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        client.post("/login/code/", {"code": wrong})
    response = client.post("/login/code/", {"code": wrong})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_header_shows_last_login_and_failures_since(client, world):
    user = world.user("P1", "user")
    full_login(client, user)
    first = client.get("/").content.decode()
    assert "这是您首次登录本系统" in first and "此后无失败登录" in first
    # Shown once, on the first page after login.
    assert "这是您首次登录本系统" not in client.get("/").content.decode()
    client.post("/logout/")
    assert AuditLog.objects.filter(action=actions.LOGOUT, actor=user).exists()

    start_login(client, user.username, "Wrong@12345")
    start_login(client, user.username, "Wrong@12345")
    age_login_codes(user)
    full_login(client, user)
    response = client.get("/")
    page = response.content.decode()
    assert "上次登录时间：" in page
    assert "此后有 2 次登录失败" in page
    # The header partial (for the staff layout's top bar) shows the same on every page.
    header = render_to_string("accounts/_header_login_info.html", request=response.wsgi_request)
    assert "上次登录：" in header and "此后登录失败 2 次" in header


def test_django_admin_login_cannot_skip_the_sms_step(client, world):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(
        "/admin/login/", {"username": world.user("M", "admin").username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert client.get("/").status_code == 302


def test_login_page_keeps_a_safe_next_only(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username, next="https://evil.example/")
    response = client.post("/login/code/", {"code": latest_login_code(user)})
    assert response["Location"] == "/"
    client.post("/logout/")
    age_login_codes(user)
    start_login(client, user.username, next="/sysadmin/")
    response = client.post("/login/code/", {"code": latest_login_code(user)})
    assert response["Location"] == "/sysadmin/"


def test_overlong_login_input_is_refused_cleanly(client, world):
    response = client.post("/login/", {"username": "x" * 5000, "password": "y" * 5000, **captcha_fields()})
    assert response.status_code == 200
    assert "用户名不能超过150个字符" in response.content.decode()


def test_a_second_login_within_a_minute_reuses_the_unused_code(client, world):
    user = world.user("P1", "user")
    start_login(client, user.username)
    other = client.__class__()
    response = start_login(other, user.username)
    assert response.status_code == 302
    assert SmsOutbox.objects.filter(related=f"login:{user.pk}").count() == 1
    other.post("/login/code/", {"code": latest_login_code(user)})
    assert other.get("/").status_code == 200

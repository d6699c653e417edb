"""Headers on staff pages, and 三员分立: the auditor changes nothing but reads the log."""

import pytest

from apps.accounts.models import User
from apps.orgs.models import Org
from apps.sms.models import SmsTemplate
from tests.accounts.world import full_login

pytestmark = pytest.mark.django_db


def test_staff_pages_carry_the_security_headers(client, world):
    full_login(client, world.user("M", "admin"))
    for url in ("/", "/sysadmin/users/", "/sysadmin/orgs/", "/login/"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_no_inline_script_in_the_staff_pages(client, world):
    full_login(client, world.user("M", "admin"))
    for url in ("/", "/sysadmin/", "/sysadmin/users/new/", "/sysadmin/sms-templates/", "/password/change/"):
        html = client.get(url).content.decode()
        for chunk in html.split("<script")[1:]:
            assert chunk.split(">")[0].strip().startswith("src="), (url, chunk[:80])
        assert " onclick=" not in html and " onload=" not in html


def test_hsts_in_production(monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 50,
        "FIELD_ENCRYPTION_KEYS": "k1:" + "ab" * 16,
        "LOOKUP_HASH_KEY": "y" * 32,
        "ALLOWED_HOSTS": "jb.example.gov.cn",
        "SMS_BACKEND": "apps.sms.backends.file.FileBackend",
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import config.settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CAPTCHA_TEST_MODE)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["31536000", "True", "False"]
    env["CAPTCHA_TEST_MODE"] = "1"
    refused = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "CAPTCHA_TEST_MODE" in refused.stderr


@pytest.mark.parametrize("level", ["M", "P1", "C1"])
def test_auditor_changes_nothing(client, world, level):
    auditor = world.user(level, "audit")
    client.force_login(auditor)
    target_user, target_org = world.user("K1", "user"), world.orgs["K1"]
    template = SmsTemplate.objects.get(code="accepted")
    attempts = [
        (
            "/sysadmin/users/new/",
            {
                "username": "audit.made",
                "real_name": "x",
                "mobile": "13912345678",
                "org": target_org.pk,
                "role": "admin",
            },
        ),
        (
            f"/sysadmin/users/{target_user.pk}/",
            {"real_name": "x", "mobile": "13912345678", "org": target_org.pk, "role": "admin"},
        ),
        (f"/sysadmin/users/{target_user.pk}/disable/", {}),
        (f"/sysadmin/users/{target_user.pk}/reset-password/", {}),
        (
            f"/sysadmin/orgs/new/?parent={target_org.pk}",
            {"parent": target_org.pk, "kind": "internal", "name": "x"},
        ),
        (f"/sysadmin/orgs/{target_org.pk}/", {"name": "x", "code": "x"}),
        (f"/sysadmin/orgs/{target_org.pk}/deactivate/", {}),
        (f"/sysadmin/sms-templates/{template.pk}/", {"text": "x", "is_active": "on"}),
        ("/sysadmin/calendar/2031/", {"date": "2031-10-08", "kind": "off"}),
    ]
    before = (
        User.objects.count(),
        list(User.objects.values_list("real_name", "role", "is_active", "password")),
        list(Org.objects.values_list("name", "is_active")),
        SmsTemplate.objects.get(pk=template.pk).text,
    )
    for url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    after = (
        User.objects.count(),
        list(User.objects.values_list("real_name", "role", "is_active", "password")),
        list(Org.objects.values_list("name", "is_active")),
        SmsTemplate.objects.get(pk=template.pk).text,
    )
    assert before == after
    assert client.get("/audit/").status_code == 200


def test_forbidden_page_explains_in_chinese(client, world):
    client.force_login(world.user("P1", "user"))
    response = client.get("/sysadmin/users/")
    assert response.status_code == 403
    assert "只有系统管理员可以使用系统管理功能" in response.content.decode()

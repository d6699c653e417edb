import datetime

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.accounts.models import PasswordHistory, User
from apps.audit import actions
from apps.audit.models import AuditLog
from tests.accounts.world import PASSWORD, full_login

pytestmark = pytest.mark.django_db


def errors_for(password, user):
    with translation.override("zh-hans"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            return [str(message) for message in exc.messages]
    return []


@pytest.mark.parametrize(
    "password, message",
    [
        ("Ab1!xy", "至少需要8个字符"),
        ("abcdefgh1", "至少3类"),  # two classes only
        ("ABCDEFGH!", "至少3类"),
        ("Password1", "太常见"),  # Django's common-password list
    ],
)
def test_password_rules_refuse(world, password, message):
    user = world.user("P1", "user")
    assert any(message in text for text in errors_for(password, user)), errors_for(password, user)


def test_password_may_not_contain_the_username(world):
    user = world.user("P1", "user")
    assert "密码不能包含用户名。" in errors_for(f"X{user.username.upper()}#9", user)


def test_a_good_password_passes(world):
    assert errors_for("Qz7#mLp2vR", world.user("P1", "user")) == []


def test_last_five_passwords_may_not_be_reused(world):
    user = world.user("P1", "user")
    used = [PASSWORD] + [f"Qz7#mLp2v{i}" for i in range(1, 6)]
    for password in used[1:]:
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # The five most recent (current included) are refused; the sixth-oldest is allowed again.
    for password in used[1:]:
        assert "新密码不能与最近5次使用过的密码相同。" in errors_for(password, user)
    assert errors_for(used[0], user) == []


def test_change_page_applies_the_rules_and_changes_nothing_on_bad_input(client, world):
    user = world.user("P1", "user")
    client.force_login(user)
    old_hash = User.objects.get(pk=user.pk).password
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert "至少3类" in response.content.decode()
    response = client.post(
        "/password/change/",
        {"old_password": "wrong", "new_password1": "Qz7#mLp2vR", "new_password2": "Qz7#mLp2vR"},
    )
    assert "原密码不正确" in response.content.decode()
    response = client.post(
        "/password/change/",
        {"old_password": PASSWORD, "new_password1": "Qz7#mLp2vR", "new_password2": "Qz7#mLp2vX"},
    )
    assert "两次输入的新密码不一致" in response.content.decode()
    assert User.objects.get(pk=user.pk).password == old_hash
    assert AuditLog.objects.filter(action=actions.PASSWORD_CHANGE, result="failure", actor=user).count() == 1


def test_expired_password_forces_the_change_page_at_next_login(client, world, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = world.user("P1", "user")
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    response = full_login(client, user)
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/password/change/")
    page = client.get(home["Location"])
    assert "密码已超过90天未修改" in page.content.decode()
    # Nothing else is reachable either.
    assert client.get("/sysadmin/").status_code == 302
    response = client.post(
        "/password/change/?next=/",
        {"old_password": PASSWORD, "new_password1": "Qz7#mLp2vR", "new_password2": "Qz7#mLp2vR", "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200  # the session survived the change
    user.refresh_from_db()
    assert user.check_password("Qz7#mLp2vR")
    assert user.password_changed_at > timezone.now() - datetime.timedelta(minutes=1)
    assert AuditLog.objects.filter(action=actions.PASSWORD_CHANGE, result="success", actor=user).exists()


def test_must_change_password_after_reset(client, world):
    user = world.user("P1", "user")
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/password/change/")
    assert "首次登录或密码已被重置" in client.get("/password/change/").content.decode()


def test_demo_mode_may_skip_the_first_login_change(client, world, settings):
    settings.PASSWORD_FORCE_CHANGE = False
    user = world.user("P1", "user")
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_htmx_requests_are_redirected_by_header(client, world):
    user = world.user("P1", "user")
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    response = client.get("/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/password/change/?next=%2F"

import pytest
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from apps.accounts.demo import demo_data_load, generate_password
from apps.accounts.models import User
from apps.orgs.models import Org
from apps.regions.models import Region
from tests.orgs.conftest import SMALL_TREE, build_regions

pytestmark = pytest.mark.django_db

PASSWORD = "Yanshi#2026key"
KEYS = ["mem", "henan", "zhengzhou", "jinshui", "hebei", "shijiazhuang", "changan"]
USERNAMES = {f"{k}_{suffix}" for k in KEYS for suffix in ("admin", "user", "dept")} | {"mem_audit"}


@pytest.fixture
def regions(db):
    return build_regions(SMALL_TREE)


def test_accounts_roles_and_orgs(regions):
    result = demo_data_load(password=PASSWORD)
    users = {u.username: u for u in User.objects.select_related("org__parent")}
    assert set(users) == USERNAMES and len(USERNAMES) == 22
    assert result.users_created == 22

    assert (users["mem_admin"].role, users["mem_admin"].org.code) == ("admin", "MEM")
    assert (users["mem_audit"].role, users["mem_audit"].org.code) == ("auditor", "MEM")
    assert (users["jinshui_user"].role, users["jinshui_user"].org.code) == ("user", "EM410105")
    assert users["changan_admin"].org.name == "长安区应急管理局"
    assert users["shijiazhuang_admin"].org.parent.code == "EM130000"
    for key in KEYS:
        dept = users[f"{key}_dept"]
        assert dept.role == "user" and dept.org.kind == "internal"
        assert dept.org.parent == users[f"{key}_admin"].org
        assert Org.objects.filter(parent=dept.org.parent, kind="internal").count() == 1

    mobiles = [u.mobile for u in users.values()]
    assert len(set(mobiles)) == 22 and all(m.startswith("1390000") and len(m) == 11 for m in mobiles)
    assert all(u.real_name and u.must_change_password and u.is_active for u in users.values())
    for user in users.values():
        user.full_clean()  # mobile format, required fields
    assert check_password(PASSWORD, users["henan_admin"].password)


def test_second_run_adds_nothing_and_keeps_passwords(regions):
    demo_data_load(password=PASSWORD)
    snapshot = (Org.objects.count(), dict(User.objects.values_list("username", "password")))

    again = demo_data_load(password="Another#Pass2026")
    assert again.users_created == 0 and again.orgs_created == 0 and not again.regions_loaded
    assert (Org.objects.count(), dict(User.objects.values_list("username", "password"))) == snapshot


def test_reset_passwords(regions, settings):
    from apps.accounts.services import password_change_required
    from apps.audit import actions
    from apps.audit.models import AuditLog

    demo_data_load(password=PASSWORD)
    User.objects.update(must_change_password=False)  # as if everyone had changed theirs
    assert not AuditLog.objects.filter(action=actions.ACCOUNT_RESET_PASSWORD).exists()
    demo_data_load(password="Another#Pass2026", reset_passwords=True)
    user = User.objects.get(username="jinshui_dept")
    assert check_password("Another#Pass2026", user.password)
    # A shared, printed password: changed at next login, like any password someone else set.
    assert not User.objects.filter(must_change_password=False).exists()
    assert password_change_required(user)
    rows = AuditLog.objects.filter(action=actions.ACCOUNT_RESET_PASSWORD)
    assert rows.count() == 22
    row = rows.get(target_id=str(user.pk))
    assert row.actor is None and row.org == user.org and "demo_data" in row.detail["reason"]
    # Demo mode (PASSWORD_FORCE_CHANGE=0, DEBUG only) waives the change at login, as for new accounts.
    settings.PASSWORD_FORCE_CHANGE = False
    assert not password_change_required(user)


def test_loads_regions_only_when_missing(db):
    calls = []

    def fake_loader():
        calls.append(1)
        build_regions(SMALL_TREE)

    assert demo_data_load(password=PASSWORD, load_regions=fake_loader).regions_loaded
    assert not demo_data_load(password=PASSWORD, load_regions=fake_loader).regions_loaded
    assert len(calls) == 1 and Region.objects.exists()


def test_weak_password_is_refused_before_anything_is_written(regions):
    with pytest.raises(ValidationError, match="密码"):
        demo_data_load(password="12345678")
    assert not User.objects.exists() and not Org.objects.exists()


def test_generated_passwords_are_strong():
    for _ in range(20):
        pw = generate_password()
        assert len(pw) == 16
        assert any(c.isupper() for c in pw) and any(c.islower() for c in pw) and any(c.isdigit() for c in pw)
        assert any(not c.isalnum() for c in pw)


def test_command_refuses_without_debug(regions):
    with pytest.raises(CommandError, match="DEBUG=1") as exc:
        call_command("demo_data")
    assert "--force" in str(exc.value)
    assert not User.objects.exists()


@override_settings(DEMO_PASSWORD=PASSWORD)
def test_command_with_force_prints_the_table(regions, capsys):
    call_command("demo_data", "--force")
    out = capsys.readouterr().out
    assert all(name in out for name in USERNAMES)
    assert f"密码 / password: {PASSWORD}" in out and "DEMO_PASSWORD" in out
    assert "郑州市应急管理局 / 执法监察科" in out
    assert User.objects.count() == 22

    call_command("demo_data", "--force")
    out = capsys.readouterr().out
    assert "密码未改动" in out and PASSWORD not in out
    assert User.objects.count() == 22


@override_settings(DEBUG=True, DEMO_PASSWORD="")
def test_command_generates_and_prints_a_password(regions, capsys):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert "随机生成" in out
    printed = out.split("密码 / password: ")[1].split()[0]
    assert check_password(printed, User.objects.get(username="mem_audit").password)


@override_settings(DEBUG=True, DEMO_PASSWORD="short")
def test_command_rejects_a_weak_demo_password(regions):
    with pytest.raises(CommandError, match="DEMO_PASSWORD 不符合密码规则"):
        call_command("demo_data")


def test_with_the_national_tree(all_regions):
    result = demo_data_load(password=PASSWORD)
    assert result.users_created == 22 and result.orgs_created > 3200
    assert User.objects.get(username="changan_user").org.region.code == "130102"

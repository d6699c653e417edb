"""用户管理: 逐级管理 as a matrix, every action's audit row, and bad input."""

import pytest

from apps.accounts.models import User
from apps.audit import actions
from apps.audit.models import AuditLog
from apps.catalogs.models import Industry
from tests.accounts.querycount import assert_constant_queries
from tests.accounts.world import ORG_KEYS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Which orgs' accounts each administrator manages, written out by hand from the spec (第二章 9):
# own org and its 内设机构, plus the orgs directly below; never further down, above or beside.
MANAGES = {
    "M": {"M", "B", "P1", "P2"},
    "B": {"B"},
    "P1": {"P1", "P1d", "C1", "C2"},
    "P1d": {"P1d"},
    "P2": {"P2", "C3"},
    "C1": {"C1", "C1d", "K1"},
    "C1d": {"C1d"},
    "C2": {"C2", "K2"},
    "K1": {"K1"},
    "K2": {"K2"},
    "C3": {"C3"},
}


def form_data(world, org_key, **overrides):
    data = {
        "username": "new.person",
        "real_name": "新用户",
        "mobile": "13912345678",
        "org": world.orgs[org_key].pk,
        "role": User.Role.USER,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor_org", ORG_KEYS)
@pytest.mark.parametrize("actor_role", ["admin", "user", "audit"])
def test_delegation_matrix(client, world, actor_org, actor_role):
    actor = world.user(actor_org, actor_role)
    client.force_login(actor)
    expected_orgs = MANAGES[actor_org] if actor_role == "admin" else set()
    list_status = client.get("/sysadmin/users/").status_code
    assert list_status == (200 if actor_role == "admin" else 403)
    for target_org in ORG_KEYS:
        for target_role in ["admin", "user", "audit"]:
            target = world.user(target_org, target_role)
            allowed = target_org in expected_orgs and target != actor
            response = client.get(f"/sysadmin/users/{target.pk}/")
            assert response.status_code == (200 if allowed else (404 if actor_role == "admin" else 403)), (
                actor,
                target,
            )
            if not allowed and target_role == "admin":
                # Writes are refused too (checked on one account per org to keep the matrix fast).
                before = User.objects.get(pk=target.pk)
                client.post(f"/sysadmin/users/{target.pk}/disable/")
                client.post(
                    f"/sysadmin/users/{target.pk}/", {**form_data(world, target_org), "real_name": "改名"}
                )
                after = User.objects.get(pk=target.pk)
                assert (after.is_active, after.real_name) == (before.is_active, before.real_name)
        # Creating an account in that org.
        create = client.post("/sysadmin/users/new/", form_data(world, target_org, username=f"n-{target_org}"))
        created = User.objects.filter(username=f"n-{target_org}").exists()
        assert created == (target_org in expected_orgs), (actor, target_org, create.status_code)
    assert not AuditLog.objects.filter(action=actions.ACCOUNT_DISABLE).exists()


def test_list_shows_only_manageable_accounts(client, world):
    client.force_login(world.user("P1", "admin"))
    page = client.get("/sysadmin/users/").content.decode()
    assert "c1_user" in page and "p1d_user" in page
    assert "k1_user" not in page and "p2_user" not in page and "m_user" not in page
    assert "p1_admin" not in page  # oneself


def test_list_query_count_is_pinned(client, world):
    client.force_login(world.user("M", "admin"))
    client.get("/sysadmin/users/")

    def more_accounts():
        for index in range(20):
            UserFactory(username=f"extra{index}", org=world.orgs["P2"])

    assert_constant_queries(client, "/sysadmin/users/", more_accounts, limit=20)


def test_create_account_shows_a_one_time_password_that_must_be_changed(client, world):
    admin = world.user("P1", "admin")
    client.force_login(admin)
    response = client.post("/sysadmin/users/new/", form_data(world, "C1", username="c1.new", role="admin"))
    assert response.status_code == 200
    html = response.content.decode()
    temporary = html.split('data-testid="temporary-password">')[1].split("<")[0]
    account = User.objects.get(username="c1.new")
    assert account.check_password(temporary) and account.must_change_password
    assert account.role == User.Role.ADMIN and account.org == world.orgs["C1"]
    row = AuditLog.objects.get(action=actions.ACCOUNT_CREATE)
    assert row.actor == admin and row.target_id == str(account.pk) and row.org == admin.org
    assert temporary not in str(row.detail)


def test_edit_role_change_disable_enable_reset_unlock_are_audited(client, world):
    admin = world.user("C1", "admin")
    target = world.user("K1", "user")
    client.force_login(admin)
    response = client.post(
        f"/sysadmin/users/{target.pk}/",
        form_data(world, "K1", role="admin", real_name="改了名", mobile="13700000000"),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.real_name, target.mobile) == ("admin", "改了名", "13700000000")
    update = AuditLog.objects.get(action=actions.ACCOUNT_UPDATE)
    assert update.detail["changed"]["real_name"] == ["K1user", "改了名"]
    assert "13700000000" not in str(update.detail)
    assert AuditLog.objects.get(action=actions.ACCOUNT_ROLE_CHANGE).detail == {
        "from": "普通用户",
        "to": "系统管理员",
    }

    client.post(f"/sysadmin/users/{target.pk}/disable/")
    target.refresh_from_db()
    assert not target.is_active
    client.post(f"/sysadmin/users/{target.pk}/enable/")
    target.refresh_from_db()
    assert target.is_active
    response = client.post(f"/sysadmin/users/{target.pk}/reset-password/")
    temporary = response.content.decode().split('data-testid="temporary-password">')[1].split("<")[0]
    target.refresh_from_db()
    assert target.check_password(temporary) and target.must_change_password
    client.post(f"/sysadmin/users/{target.pk}/unlock/")
    for action in (
        actions.ACCOUNT_DISABLE,
        actions.ACCOUNT_ENABLE,
        actions.ACCOUNT_RESET_PASSWORD,
        actions.ACCOUNT_UNLOCK,
    ):
        assert AuditLog.objects.filter(action=action, actor=admin, target_id=str(target.pk)).count() == 1


def test_disabled_account_is_signed_out_at_once(client, world):
    admin, target = world.user("P1", "admin"), world.user("C1", "user")
    other = client.__class__()
    other.force_login(target)
    assert other.get("/").status_code == 200
    client.force_login(admin)
    client.post(f"/sysadmin/users/{target.pk}/disable/")
    assert other.get("/").status_code == 302


def test_bureau_account_industry_scope(client, world):
    admin = world.user("M", "admin")
    client.force_login(admin)
    scope = list(world.orgs["B"].industry_scope.all())
    outside = Industry.objects.filter(in_remit=True).exclude(pk__in=[i.pk for i in scope]).first()
    bad = client.post(
        "/sysadmin/users/new/", form_data(world, "B", username="bureau.bad", industry_scope=[outside.pk])
    )
    assert "行业范围只能在该司局的职责行业内选择" in bad.content.decode()
    not_bureau = client.post(
        "/sysadmin/users/new/", form_data(world, "P1", username="prov.bad", industry_scope=[scope[0].pk])
    )
    assert "只有部机关司局的账号可以设置行业范围" in not_bureau.content.decode()
    assert not User.objects.filter(username__in=["bureau.bad", "prov.bad"]).exists()
    client.post(
        "/sysadmin/users/new/", form_data(world, "B", username="bureau.ok", industry_scope=[scope[0].pk])
    )
    account = User.objects.get(username="bureau.ok")
    from apps.accounts.selectors import industry_scope_for

    assert list(industry_scope_for(account)) == [scope[0]]
    assert set(industry_scope_for(world.user("B", "user"))) == set(scope)
    assert industry_scope_for(world.user("P1", "user")) is None


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("username", "x" * 51, "用户名不能超过50个字符"),
        ("username", "张三", "用户名只能使用"),
        ("real_name", "名" * 51, "姓名不能超过50个字符"),
        ("mobile", "1381234567", "请输入正确的11位中国大陆手机号码"),
        ("mobile", "12812345678", "请输入正确的11位中国大陆手机号码"),
        ("mobile", "+85291234567", "请输入正确的11位中国大陆手机号码"),
        # Full-width and other Unicode digits: \d matches them, no SMS provider takes them.
        ("mobile", "13８１２３４５６７８", "请输入正确的11位中国大陆手机号码"),
        ("mobile", "1381234567٨", "请输入正确的11位中国大陆手机号码"),
        ("oidc_subject", "s" * 256, "统一身份认证标识不能超过255个字符"),
        ("role", "superuser", "不能授予该角色"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_changes_nothing(client, world, field, value, message):
    client.force_login(world.user("P1", "admin"))
    count = User.objects.count()
    response = client.post("/sysadmin/users/new/", form_data(world, "C1", **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == count
    assert not AuditLog.objects.filter(action=actions.ACCOUNT_CREATE).exists()


def test_username_taken_in_another_province_is_refused(client, world):
    # p2_user lives in the other province: the P1 admin cannot see it, but the name is taken.
    client.force_login(world.user("P1", "admin"))
    for name in ("p2_user", "P2_USER"):
        response = client.post("/sysadmin/users/new/", form_data(world, "C1", username=name))
        assert "该用户名已被使用" in response.content.decode()
    assert User.objects.filter(username__iexact="p2_user").count() == 1


def test_subject_already_bound_is_refused(client, world):
    bound = world.user("C1", "user")
    bound.oidc_subject = "person-1"
    bound.save(update_fields=["oidc_subject"])
    client.force_login(world.user("P1", "admin"))
    response = client.post("/sysadmin/users/new/", form_data(world, "C2", oidc_subject="person-1"))
    assert "该统一身份认证标识已绑定其他账号" in response.content.decode()


def test_cannot_place_an_account_outside_ones_reach(client, world):
    client.force_login(world.user("P1", "admin"))
    for org_key in ("K1", "P2", "M", "C1d"):
        response = client.post("/sysadmin/users/new/", form_data(world, org_key, username=f"x-{org_key}"))
        assert "不能将用户设在该机构" in response.content.decode()
    target = world.user("C1", "user")
    client.post(f"/sysadmin/users/{target.pk}/", form_data(world, "K1"))
    target.refresh_from_db()
    assert target.org == world.orgs["C1"]


def test_nonexistent_and_garbage_ids_are_404(client, world):
    client.force_login(world.user("P1", "admin"))
    assert client.get("/sysadmin/users/999999/").status_code == 404
    assert client.post("/sysadmin/users/999999/disable/").status_code == 404
    assert client.get("/sysadmin/users/?org=abc&role=zzz&page=xyz&q=" + "q" * 500).status_code == 200


def _params_sent(queries) -> str:
    return " ".join(str(q["sql"]) for q in queries)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"org": "9" * 30}, "所选机构无效"),  # OverflowError on SQLite before
        ({"org": "-1"}, "所选机构无效"),
        ({"q": "\x00"}, "查找内容中含有不可见的空字符"),  # DataError on PostgreSQL before
        ({"q": "张\x00三"}, "查找内容中含有不可见的空字符"),
        ({"q": "q" * 51}, "查找内容不能超过50个字"),
        ({"role": "superuser"}, "所选角色无效"),
    ],
)
def test_bad_list_filters_get_a_chinese_message_and_reach_no_query(client, world, query, message):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.raise_request_exception = True
    client.force_login(world.user("P1", "admin"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sysadmin/users/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "没有可管理的用户" in page
    assert "\x00" not in _params_sent(queries.captured_queries)


def test_good_list_filters_still_filter(client, world):
    client.force_login(world.user("P1", "admin"))
    query = {"org": world.orgs["C1"].pk, "role": "admin", "q": "c1"}
    page = client.get("/sysadmin/users/", query).content.decode()
    assert "c1_admin" in page and "c1_user" not in page and "p1_admin" not in page
    assert 'data-testid="filter-errors"' not in page

"""机构管理 (apps/orgs/views.py, apps/orgs/actions.py): who may change which org, and the checks."""

import pytest

from apps.audit import actions
from apps.audit.models import AuditLog
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.orgs.models import Org
from tests.accounts.querycount import assert_constant_queries
from tests.accounts.world import ORG_KEYS
from tests.factories import OrgFactory

pytestmark = pytest.mark.django_db

SUBTREE = {
    "M": set(ORG_KEYS),
    "B": {"B"},
    "P1": {"P1", "P1d", "C1", "C1d", "C2", "K1", "K2"},
    "P1d": {"P1d"},
    "P2": {"P2", "C3"},
    "C1": {"C1", "C1d", "K1"},
    "C1d": {"C1d"},
    "C2": {"C2", "K2"},
    "K1": {"K1"},
    "K2": {"K2"},
    "C3": {"C3"},
}


@pytest.mark.parametrize("actor_org", ORG_KEYS)
def test_org_matrix(client, world, actor_org):
    """Edit within the subtree; move and deactivate strictly below; other roles nothing."""
    admin = world.user(actor_org, "admin")
    client.force_login(admin)
    for target_key in ORG_KEYS:
        target = world.orgs[target_key]
        editable = target_key in SUBTREE[actor_org]
        below = editable and target_key != actor_org
        assert client.get(f"/sysadmin/orgs/{target.pk}/").status_code == (200 if editable else 404)
        assert client.get(f"/sysadmin/orgs/{target.pk}/move/").status_code == (200 if below else 404)
        response = client.post(f"/sysadmin/orgs/{target.pk}/", {"name": "改名", "code": target.code})
        target.refresh_from_db()
        assert (target.name == "改名") == editable, (actor_org, target_key, response.status_code)
    for role in ("user", "audit"):
        client.force_login(world.user(actor_org, role))
        assert client.get("/sysadmin/orgs/").status_code == 403
        assert client.post(f"/sysadmin/orgs/{world.orgs[actor_org].pk}/", {"name": "x"}).status_code == 403
        assert client.post(f"/sysadmin/orgs/{world.orgs['K1'].pk}/deactivate/").status_code == 403


def test_own_org_contact_details_only(client, world):
    admin = world.user("C1", "admin")
    client.force_login(admin)
    own = world.orgs["C1"]
    client.post(
        f"/sysadmin/orgs/{own.pk}/",
        {
            "name": "甲一市应急管理局（新）",
            "code": "HACKED",
            "contact_person": "王五",
            "contact_phone": "0371-12345678",
        },
    )
    own.refresh_from_db()
    assert own.name == "甲一市应急管理局（新）" and own.contact_person == "王五" and own.code == "W-C1"
    assert client.post(f"/sysadmin/orgs/{own.pk}/deactivate/").status_code == 404
    row = AuditLog.objects.get(action=actions.ORG_UPDATE)
    assert row.detail["changed"]["name"] == ["甲一市应急管理局", "甲一市应急管理局（新）"]


def test_browse_and_search(client, world):
    client.force_login(world.user("M", "admin"))
    page = client.get(f"/sysadmin/orgs/?parent={world.orgs['P1'].pk}").content.decode()
    assert "甲一市应急管理局" in page and "甲省厅执法处" in page and "甲一县应急管理局" not in page
    found = client.get("/sysadmin/orgs/?q=甲二县").content.decode()
    assert "甲二县应急管理局" in found
    client.force_login(world.user("C1", "admin"))
    assert client.get(f"/sysadmin/orgs/?parent={world.orgs['P1'].pk}").status_code == 404
    assert "乙一市应急管理局" not in client.get("/sysadmin/orgs/?q=乙一市").content.decode()
    parent = world.orgs["C1"]

    def more_orgs():
        for index in range(15):
            OrgFactory(code=f"W-X{index}", level="county", parent=parent)

    assert_constant_queries(client, f"/sysadmin/orgs/?parent={parent.pk}", more_orgs, limit=20)


def test_add_internal_department_and_county(client, world):
    admin = world.user("C1", "admin")
    client.force_login(admin)
    parent = world.orgs["C1"]
    response = client.post(
        f"/sysadmin/orgs/new/?parent={parent.pk}",
        {
            "parent": parent.pk,
            "kind": "internal",
            "name": "危化品监管科",
            "code": "",
            "contact_phone": "13812345678",
        },
    )
    assert response.status_code == 302
    dept = Org.objects.get(name="危化品监管科")
    assert (
        dept.parent == parent
        and dept.level == "city"
        and dept.kind == "internal"
        and dept.code.startswith("W-C1")
    )
    from apps.regions.models import Region

    region = Region.objects.get(code="910102")
    response = client.post(
        f"/sysadmin/orgs/new/?parent={parent.pk}",
        {
            "parent": parent.pk,
            "kind": "emergency",
            "name": "甲一新县应急管理局",
            "code": "W-K3",
            "region": region.pk,
        },
    )
    assert response.status_code == 302
    county = Org.objects.get(code="W-K3")
    assert county.level == "county" and county.path.startswith(parent.path) and county.region == region
    assert AuditLog.objects.filter(action=actions.ORG_CREATE, actor=admin).count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "emergency", "name": "名" * 101, "code": "W-NEW"}, "机构名称不能超过100个字符"),
        ({"kind": "emergency", "name": "新局", "code": "W-C2"}, "机构代码已被使用"),
        ({"kind": "emergency", "name": "新局", "code": "坏 代码"}, "机构代码只能使用"),
        (
            {"kind": "emergency", "name": "新局", "code": "W-NEW", "contact_phone": "打电话"},
            "请输入正确的联系电话",
        ),
        ({"kind": "emergency", "name": "新局", "code": "W-NEW"}, "请选择该机构的行政区划"),
        ({"kind": "bureau", "name": "新局", "code": "W-NEW"}, "该机构下不能添加此类型的机构"),
        ({"kind": "internal", "name": "甲一市局执法科"}, "已有同名内设机构"),
    ],
)
def test_bad_org_input_changes_nothing(client, world, data, message):
    client.force_login(world.user("C1", "admin"))
    parent = world.orgs["C1"]
    count = Org.objects.count()
    response = client.post(f"/sysadmin/orgs/new/?parent={parent.pk}", {"parent": parent.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Org.objects.count() == count


def test_region_outside_the_parent_is_refused(client, world):
    from apps.regions.models import Region

    client.force_login(world.user("P1", "admin"))
    other_province_city = Region.objects.get(code="920100")
    response = client.post(
        f"/sysadmin/orgs/new/?parent={world.orgs['P1'].pk}",
        {
            "parent": world.orgs["P1"].pk,
            "kind": "emergency",
            "name": "越界局",
            "code": "W-X",
            "region": other_province_city.pk,
        },
    )
    assert "所选行政区划无效" in response.content.decode()
    assert not Org.objects.filter(code="W-X").exists()


def test_move_rewrites_the_subtree_paths(client, world):
    admin = world.user("P1", "admin")
    county = OrgFactory(code="W-K3", name="无区划县局", level="county", parent=world.orgs["C1"])
    dept = OrgFactory(code="W-K3D", name="无区划县局科室", level="county", kind="internal", parent=county)
    client.force_login(admin)
    response = client.post(f"/sysadmin/orgs/{county.pk}/move/", {"new_parent": world.orgs["C2"].pk})
    assert response.status_code == 302
    county.refresh_from_db()
    dept.refresh_from_db()
    assert county.parent == world.orgs["C2"]
    assert (
        county.path == f"{world.orgs['C2'].path}{county.pk:08d}/"
        and county.depth == world.orgs["C2"].depth + 1
    )
    assert dept.path == f"{county.path}{dept.pk:08d}/" and dept.depth == county.depth + 1
    assert list(world.orgs["C2"].descendants()) == list(
        Org.objects.filter(path__startswith=world.orgs["C2"].path)
    )
    assert AuditLog.objects.get(action=actions.ORG_MOVE).detail == {
        "from": "甲一市应急管理局",
        "to": "甲二市应急管理局",
    }


def test_move_refuses_a_region_outside_the_new_parent_and_targets_out_of_reach(client, world):
    client.force_login(world.user("P1", "admin"))
    k1 = world.orgs["K1"]
    response = client.post(f"/sysadmin/orgs/{k1.pk}/move/", {"new_parent": world.orgs["C2"].pk})
    assert "辖区不在新上级机构的辖区内" in response.content.decode()
    response = client.post(f"/sysadmin/orgs/{k1.pk}/move/", {"new_parent": world.orgs["C3"].pk})
    assert "不能调整到该机构下" in response.content.decode()
    k1.refresh_from_db()
    assert k1.parent == world.orgs["C1"]


def test_deactivate_checks_children_users_and_open_reports(client, world):
    from apps.reports.actions.create import ReportContent, report_create

    client.force_login(world.user("C1", "admin"))
    k1 = world.orgs["K1"]
    response = client.post(f"/sysadmin/orgs/{k1.pk}/deactivate/", follow=True)
    assert "还有启用的用户" in response.content.decode()
    for account in k1.users.all():
        account.is_active = False
        account.save(update_fields=["is_active"])
    content = ReportContent(
        channel=Channel.objects.first(),
        region=k1.region,
        problem_type=ProblemType.objects.first(),
        industry=Industry.objects.filter(in_remit=True).first(),
        reported_unit_name="某厂",
        description="仓库堆放危险化学品。",
    )
    report_create(content=content, receiving_org=k1, reporter=None)
    response = client.post(f"/sysadmin/orgs/{k1.pk}/deactivate/", follow=True)
    assert "未办结的举报" in response.content.decode()
    k1.refresh_from_db()
    assert k1.is_active
    response = client.post(f"/sysadmin/orgs/{world.orgs['C1d'].pk}/deactivate/", follow=True)
    assert "还有启用的用户" in response.content.decode()


def test_deactivate_and_reactivate(client, world):
    admin = world.user("P1", "admin")
    client.force_login(admin)
    c1d = world.orgs["C1d"]
    for account in c1d.users.all():
        account.is_active = False
        account.save(update_fields=["is_active"])
    client.post(f"/sysadmin/orgs/{c1d.pk}/deactivate/")
    c1d.refresh_from_db()
    assert not c1d.is_active
    client.post(f"/sysadmin/orgs/{c1d.pk}/activate/")
    c1d.refresh_from_db()
    assert c1d.is_active
    assert AuditLog.objects.filter(action=actions.ORG_DEACTIVATE).count() == 1
    assert AuditLog.objects.filter(action=actions.ORG_ACTIVATE).count() == 1


def _mine_safety_orgs(world):
    mine = OrgFactory(
        code="W-MINE", name="国家矿山安全监察局", level="ministry", kind="mine_safety", parent=world.orgs["M"]
    )
    province = OrgFactory(
        code="W-MINE-P", name="甲省矿山安监局", level="province", kind="mine_safety", parent=mine
    )
    return mine, province


def _tree():
    return list(Org.objects.order_by("pk").values_list("pk", "parent_id", "path", "depth"))


def test_province_cannot_move_under_a_bureau_or_a_mine_safety_org(client, world):
    """A 司局 admin would otherwise manage the province's accounts (accounts_manageable_by)."""
    from django.core.exceptions import ValidationError

    from apps.accounts.permissions import accounts_manageable_by
    from apps.orgs.actions import move_targets, org_move

    admin = world.user("M", "admin")
    p1 = world.orgs["P1"]
    mine, mine_p = _mine_safety_orgs(world)
    before = _tree()
    targets = set(move_targets(admin, p1))
    assert world.orgs["B"] not in targets and mine not in targets and mine_p not in targets
    client.force_login(admin)
    page = client.get(f"/sysadmin/orgs/{p1.pk}/move/").content.decode()
    assert "安全执法局" not in page
    for target in (world.orgs["B"], mine, mine_p):
        response = client.post(f"/sysadmin/orgs/{p1.pk}/move/", {"new_parent": target.pk})
        assert response.status_code == 200 and "不能调整到该机构下" in response.content.decode()
        # The action refuses on its own too, whatever the form offered.
        with pytest.raises(ValidationError, match="不能调整到该机构下"):
            org_move(actor=admin, org=p1, new_parent=target)
    assert _tree() == before
    assert not AuditLog.objects.filter(action=actions.ORG_MOVE).exists()
    assert world.user("P1", "user") not in accounts_manageable_by(world.user("B", "admin"))


def test_a_city_cannot_move_under_a_mine_safety_org_but_may_under_another_province(client, world):
    from apps.orgs.actions import move_targets

    admin = world.user("M", "admin")
    _, mine_p = _mine_safety_orgs(world)
    targets = set(move_targets(admin, world.orgs["C2"]))
    assert mine_p not in targets and world.orgs["P1d"] not in targets
    assert world.orgs["P2"] in targets


def test_move_targets_follow_the_add_rule_for_every_pair(world):
    """move_targets (a database filter) and fits_under (child_kinds/child_level) agree."""
    from apps.orgs.actions import fits_under, move_targets

    admin = world.user("M", "admin")
    for org in Org.objects.exclude(parent=None):
        targets = set(move_targets(admin, org))
        for parent in Org.objects.filter(is_active=True).exclude(pk=org.parent_id):
            inside = parent.path.startswith(org.path)
            expected = fits_under(parent, org.kind, org.level) and not inside
            assert (parent in targets) == expected, (org.code, parent.code)


@pytest.mark.parametrize(
    "query, message",
    [
        ({"q": "\x00abc"}, "查找内容中含有不可见的空字符"),  # DataError on PostgreSQL before
        ({"q": "甲" * 51}, "查找内容不能超过50个字"),
    ],
)
def test_bad_org_search_gets_a_chinese_message_and_reaches_no_query(client, world, query, message):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.raise_request_exception = True
    client.force_login(world.user("M", "admin"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/sysadmin/orgs/", query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "\x00" not in " ".join(q["sql"] for q in queries.captured_queries)
    assert client.get("/sysadmin/orgs/", {"parent": "9" * 30}).status_code == 404

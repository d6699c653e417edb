import pytest

from apps.accounts.models import User
from apps.audit.models import AuditLog
from apps.catalogs.models import Industry
from apps.orgs.models import Org
from tests.factories import OrgFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return OrgFactory(code="MEM", name="应急管理部", level=Org.Level.MINISTRY)


@pytest.fixture
def ministry_admin(ministry):
    return UserFactory(username="mem_admin", org=ministry, role=User.Role.ADMIN)


def test_ministry_admin_sees_every_catalog(client, ministry_admin):
    client.force_login(ministry_admin)
    response = client.get("/sysadmin/catalogs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        "问题类型" in body
        and "举报形式" in body
        and "道路交通" in body
        and "移送：公安机关交通管理部门" in body
    )


@pytest.mark.parametrize("role", [User.Role.USER, User.Role.AUDITOR])
def test_other_ministry_roles_get_404(client, ministry, role):
    client.force_login(UserFactory(org=ministry, role=role))
    assert client.get("/sysadmin/catalogs/").status_code == 404
    assert client.post("/sysadmin/catalogs/industries/new/", {"code": "a", "name": "b"}).status_code == 404


def test_provincial_admin_gets_404(client, ministry):
    province = OrgFactory(parent=ministry, name="河南省应急管理厅", level=Org.Level.PROVINCE)
    client.force_login(UserFactory(org=province, role=User.Role.ADMIN))
    assert client.get("/sysadmin/catalogs/").status_code == 404


def test_edit_industry_is_saved_and_audited(client, ministry_admin):
    client.force_login(ministry_admin)
    industry = Industry.objects.get(code="town_gas")
    response = client.post(
        f"/sysadmin/catalogs/industries/{industry.pk}/",
        {
            "code": "town_gas",
            "name": "城镇燃气",
            "sort_order": 18,
            "is_active": "on",
            "competent_department": "住房和城乡建设主管部门",
        },
    )
    assert response.status_code == 302
    industry.refresh_from_db()
    assert industry.competent_department == "住房和城乡建设主管部门"
    row = AuditLog.objects.get(action="catalog.update")
    assert row.actor == ministry_admin and row.target_id == str(industry.pk)


def test_referred_industry_without_department_is_refused_and_nothing_changes(client, ministry_admin):
    client.force_login(ministry_admin)
    industry = Industry.objects.get(code="railway")
    response = client.post(
        f"/sysadmin/catalogs/industries/{industry.pk}/",
        {
            "code": "railway",
            "name": "铁路",
            "sort_order": 22,
            "is_active": "on",
            "competent_department": "",
        },
    )
    assert response.status_code == 200
    assert "不属应急管理部门职责的行业必须填写移送部门。" in response.content.decode()
    industry.refresh_from_db()
    assert industry.competent_department == "铁路监督管理部门"
    assert not AuditLog.objects.filter(action="catalog.update").exists()


def test_duplicate_name_gets_a_clear_message(client, ministry_admin):
    client.force_login(ministry_admin)
    count = Industry.objects.count()
    response = client.post(
        "/sysadmin/catalogs/industries/new/",
        {
            "code": "coal2",
            "name": "煤矿",
            "sort_order": 1,
            "is_active": "on",
            "in_remit": "on",
        },
    )
    assert response.status_code == 200
    assert "已存在" in response.content.decode()
    assert Industry.objects.count() == count


def test_unknown_catalog_is_404(client, ministry_admin):
    client.force_login(ministry_admin)
    assert client.get("/sysadmin/catalogs/nonsense/new/").status_code == 404
    assert client.get("/sysadmin/catalogs/industries/999999/").status_code == 404

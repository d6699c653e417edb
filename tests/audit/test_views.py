import io

import pytest
from openpyxl import load_workbook

from apps.audit import actions
from apps.audit.models import AuditLog
from apps.audit.services import audit_log
from tests.accounts.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def seed(world):
    audit_log(
        actor=world.user("C1", "admin"), action=actions.ACCOUNT_CREATE, target="c1 新账号", result="success"
    )
    audit_log(actor=world.user("P2", "admin"), action=actions.ORG_UPDATE, target="乙省机构", result="success")
    audit_log(actor=None, action=actions.LOGIN_FAILED, target="ghost", result="failure")


@pytest.mark.parametrize("role", ["admin", "user"])
def test_only_auditors_read_the_log(client, world, role):
    client.force_login(world.user("M", role))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.xlsx").status_code == 403


def test_ministry_auditor_sees_everything_a_provincial_one_their_province(client, world):
    seed(world)
    client.force_login(world.user("M", "audit"))
    page = client.get("/audit/").content.decode()
    assert "c1 新账号" in page and "乙省机构" in page and "ghost" in page
    client.force_login(world.user("P1", "audit"))
    page = client.get("/audit/").content.decode()
    assert "c1 新账号" in page and "乙省机构" not in page and "ghost" not in page


def test_filters(client, world):
    seed(world)
    client.force_login(world.user("M", "audit"))
    page = client.get("/audit/", {"action": actions.ORG_UPDATE}).content.decode()
    assert "乙省机构" in page and "c1 新账号" not in page
    page = client.get("/audit/", {"result": "failure"}).content.decode()
    assert "ghost" in page and "乙省机构" not in page
    page = client.get("/audit/", {"username": "c1_ad"}).content.decode()
    assert "c1 新账号" in page and "乙省机构" not in page
    bad = client.get("/audit/", {"start": "2026-13-45", "end": "x", "ip": "999.1.1.1", "result": "zzz"})
    assert bad.status_code == 200
    assert "请输入正确的IP地址" in bad.content.decode()
    reversed_dates = client.get("/audit/", {"start": "2026-02-01", "end": "2026-01-01"})
    assert "开始日期不能晚于结束日期" in reversed_dates.content.decode()


def test_list_query_count_is_pinned(client, world):
    client.force_login(world.user("M", "audit"))
    client.get("/audit/")

    def more_rows():
        for index in range(30):
            audit_log(
                actor=world.user("C1", "admin"),
                action=actions.ACCOUNT_UPDATE,
                target=f"t{index}",
                result="success",
            )

    assert_constant_queries(client, "/audit/", more_rows, limit=15)


def test_export_is_a_spreadsheet_and_is_itself_audited(client, world):
    seed(world)
    auditor = world.user("P1", "audit")
    client.force_login(auditor)
    response = client.get("/audit/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("时间", "操作人账号", "操作人姓名", "机构", "操作")
    assert "c1 新账号" in [r[5] for r in rows[1:]] and "乙省机构" not in [r[5] for r in rows[1:]]
    export = AuditLog.objects.get(action=actions.AUDIT_EXPORT)
    assert export.actor == auditor and export.detail["rows"] == len(rows) - 1


def test_nobody_can_edit_or_delete_rows_through_the_application(client, world):
    seed(world)
    row = AuditLog.objects.first()
    client.force_login(world.user("M", "audit"))
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/audit/").status_code == 405
    assert client.post(f"/admin/audit/auditlog/{row.pk}/delete/").status_code in (302, 403)
    assert AuditLog.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"start": "2026-02-01", "end": "2026-01-01", "username": "nobody"}, "开始日期不能晚于结束日期"),
        ({"ip": "999.1.1.1", "username": "nobody"}, "请输入正确的IP地址"),
        ({"username": "no\x00body"}, "操作人账号中含有不可见的空字符"),
        ({"action": "no.such", "username": "nobody"}, "请从列表中选择操作"),
    ],
)
def test_export_with_an_invalid_filter_is_refused_not_widened(client, world, query, message):
    """One bad filter used to drop them all and export the whole visible log."""
    seed(world)
    client.force_login(world.user("M", "audit"))
    response = client.get("/audit/export.xlsx", query)
    assert response.status_code == 302 and response["Location"].startswith("/audit/?")
    assert not AuditLog.objects.filter(action=actions.AUDIT_EXPORT).exists()
    page = client.get(response["Location"]).content.decode()
    assert "查询条件有误，未导出审计日志" in page and message in page

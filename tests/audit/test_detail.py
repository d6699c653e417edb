"""What auditors read is Chinese: every action code the code base writes has a label, and the
detail's keys and coded values are shown with Chinese names on the page and in the export."""

import ast
import importlib
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

import apps
from apps.audit import actions
from apps.audit.detail import KEY_LABELS, detail_items, detail_text
from apps.audit.services import audit_log

APPS = Path(apps.__file__).parent


def _audit_log_calls():
    """(module, call node) for every audit_log(...) call in apps/."""
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(APPS.parent).with_suffix("").parts)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_log"
            ):
                yield module, node


def _keyword(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _action_codes(module: str, node: ast.expr) -> list[str]:
    """The codes an `action=` argument can take: literals, constants (evaluated in the calling
    module) and either branch of a conditional."""
    if isinstance(node, ast.IfExp):
        return _action_codes(module, node.body) + _action_codes(module, node.orelse)
    namespace = vars(importlib.import_module(module))
    return [eval(compile(ast.Expression(node), module, "eval"), namespace)]  # noqa: S307 - our own source


def written_action_codes() -> dict[str, str]:
    codes = {}
    for module, call in _audit_log_calls():
        node = _keyword(call, "action")
        assert node is not None, f"{module}:{call.lineno} audit_log without action="
        for code in _action_codes(module, node):
            codes[code] = f"{module}:{call.lineno}"
    return codes


def test_the_scan_finds_the_known_writers():
    codes = written_action_codes()
    assert {
        "catalog.create",
        "catalog.update",
        "auth.login",
        "org.move",
        "data.export",
        "spotcheck.create",
    } <= set(codes)


def test_every_action_code_written_anywhere_has_a_chinese_label():
    missing = {
        code: where for code, where in written_action_codes().items() if actions.action_label(code) == code
    }
    assert missing == {}
    for code in written_action_codes():
        assert re.search(r"[\u4e00-\u9fff]", actions.action_label(code)), code


def _literal_keys(node) -> set[str]:
    keys = set()
    for sub in ast.walk(node) if node is not None else ():
        if isinstance(sub, ast.Dict):
            keys |= {k.value for k in sub.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
    return keys


def test_every_detail_key_written_anywhere_has_a_chinese_label():
    written = set()
    for _, call in _audit_log_calls():
        written |= _literal_keys(_keyword(call, "detail"))
    # Keys that reach detail through a variable: changed-field snapshots and stats query params.
    written |= {
        "real_name",
        "mobile",
        "org",
        "role",
        "oidc_subject",
        "industries",
        "code",
        "name",
        "region",
        "contact_person",
        "contact_phone",
        "address",
        "text",
        "is_active",
        "provider_template_id",
        "mode",
        "start",
        "end",
        "column",
        "region_code",
        "org_id",
        "error",
    }
    assert written - set(KEY_LABELS) == set()


def test_detail_is_rendered_in_chinese():
    items = dict(
        detail_items(
            {
                "changed": {
                    "real_name": ["K1user", "新名"],
                    "mobile": ["（已修改）"],
                    "industries": [["甲"], ["甲", "乙"]],
                },
                "method": "password",
            }
        )
    )
    assert items == {
        "修改内容": "姓名：K1user → 新名；手机号码：（已修改）；行业范围：甲 → 甲、乙",
        "登录方式": "账号密码",
    }
    assert (
        detail_text({"method": "oidc", "error": "access_denied"})
        == "登录方式：统一身份认证；错误代码：用户拒绝授权"
    )
    assert detail_text({"changed": ["name", "sort_order"]}) == "修改内容：名称、排序"
    assert detail_text({"filters": {"action": "org.move", "result": "failure"}, "rows": 3}) == (
        "查询条件：操作：调整上级机构，结果：失败；导出条数：3"
    )
    assert detail_text({"is_active": False, "note": ""}) == "启用：否；说明：—"


@pytest.mark.django_db
def test_audit_page_and_export_show_no_english_keys_or_codes(client, world):
    from apps.accounts.services import account_update

    admin, target = world.user("C1", "admin"), world.user("K1", "user")
    account_update(
        actor=admin, account=target, real_name="新名", mobile="13900001111", org=target.org, role=target.role
    )
    audit_log(
        actor=admin, action="catalog.create", target="新行业", result="success", detail={"changed": ["name"]}
    )
    audit_log(
        actor=admin, action=actions.LOGIN, target=admin, result="success", detail={"method": "password"}
    )
    client.force_login(world.user("M", "audit"))
    page = client.get("/audit/").content.decode()
    page = page[page.index("<tbody>") : page.index("</tbody>")]
    for english in ("real_name", "changed", "method", "password", "catalog.create", "{'"):
        assert english not in page, english
    assert "修改内容：" in page and "姓名：K1user → 新名" in page  # jsonb on PostgreSQL reorders keys
    assert "新增基础数据" in page and "登录方式：账号密码" in page
    workbook = load_workbook(io.BytesIO(client.get("/audit/export.xlsx").content))
    cells = " ".join(str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row)
    for english in ("real_name", "changed", "method", "catalog.create"):
        assert english not in cells, english
    assert "修改内容：" in cells and "姓名：K1user → 新名" in cells

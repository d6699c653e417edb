"""The `detail` of an audit row as auditors read it: Chinese names for the keys and for the coded
values (login method, export kind, filter fields), on the page and in the export alike.

The stored detail keeps its English keys: they are stable identifiers that code and queries rely
on, and renaming a label here relabels old rows too. A key with no label is shown as stored;
tests/audit/test_detail.py checks that every key the code base writes has one.
"""

from typing import Any

from apps.audit.actions import action_label

KEY_LABELS: dict[str, str] = {
    # Sign-in (apps.accounts)
    "method": "登录方式",
    "username": "账号",
    "reason": "原因",
    "subject": "统一身份认证标识",
    "error": "错误代码",
    "cleared_attempts": "清除的登录失败记录数",
    # Changes: {"changed": {field: [before, after]}} or a list of changed fields
    "changed": "修改内容",
    "from": "原值",
    "to": "新值",
    "before": "修改前",
    "after": "修改后",
    # Account and org fields
    "real_name": "姓名",
    "mobile": "手机号码",
    "org": "机构",
    "role": "角色",
    "oidc_subject": "统一身份认证标识",
    "industries": "行业范围",
    "parent": "上级机构",
    "kind": "类型",
    "code": "代码",
    "name": "名称",
    "region": "行政区划",
    "contact_person": "联系人",
    "contact_phone": "联系电话",
    "address": "地址",
    # SMS templates and the calendar
    "text": "短信内容",
    "is_active": "启用",
    "provider_template_id": "服务商模板编号",
    "note": "说明",
    "year": "年度",
    # Catalog fields (apps.catalogs forms' changed_data)
    "reward_basis": "奖励依据",
    "sort_order": "排序",
    "in_remit": "属应急管理部门职责",
    "competent_department": "移送部门",
    "is_public": "对公众开放",
    # Exports (apps.audit, apps.stats, apps.spotchecks)
    "filters": "查询条件",
    "rows": "导出条数",
    "what": "导出内容",
    "items": "条数",
    "mode": "查询方式",
    "start": "开始日期",
    "end": "结束日期",
    "column": "统计维度",
    "region_code": "行政区划代码",
    "org_id": "机构编号",
    "action": "操作",
    "result": "结果",
    "org_name": "机构",
    "target": "操作对象",
    "ip": "客户端地址",
    # 随机抽检 (apps.spotchecks)
    "seed": "随机种子",
    "scope": "抽检范围",
    "scope_org": "抽检机构编号",
    "scope_region": "抽检地区代码",
    "closed_from": "办结日期起",
    "closed_to": "办结日期止",
    "candidate_count": "候选举报单数",
    "candidate_digest": "候选清单摘要",
    "sample_size": "抽取数量",
}

# Coded values, per key. Values not listed (names, free text, dates) are shown as stored.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "method": {"password": "账号密码", "sms": "账号密码和短信验证码", "oidc": "统一身份认证"},
    "kind": {
        "stats_table": "举报单统计表",
        "stats_table_download": "下载举报单统计表",
        "stats_analysis": "举报信息情况分析报告",
        "stats_analysis_download": "下载举报信息情况分析报告",
    },
    "what": {"spotcheck_batch": "抽检批次"},
    "mode": {"region": "按地区", "org": "按机构"},
    "column": {"channel": "举报形式", "industry": "行业", "problem_type": "问题类型", "status": "办理状态"},
    "scope": {"org": "按机构", "region": "按地区"},
    "result": {"success": "成功", "failure": "失败", "denied": "拒绝"},
    # OAuth 2.0 / OIDC error codes the identity provider returns (RFC 6749 §4.1.2.1, OIDC §3.1.2.6)
    "error": {
        "access_denied": "用户拒绝授权",
        "mismatching_state": "登录状态校验失败",
        "invalid_request": "认证请求无效",
        "invalid_grant": "授权码无效或已过期",
        "invalid_client": "客户端认证失败",
        "unauthorized_client": "客户端未获授权",
        "server_error": "认证服务内部错误",
        "temporarily_unavailable": "认证服务暂时不可用",
        "login_required": "需要重新登录",
        "consent_required": "需要用户授权",
    },
}


def key_label(key: str) -> str:
    return KEY_LABELS.get(key, key)


def value_text(key: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "，".join(f"{key_label(k)}：{value_text(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return _list_text(key, list(value))
    if key == "action":
        return action_label(str(value))
    return VALUE_LABELS.get(key, {}).get(str(value), str(value))


def _list_text(key: str, values: list) -> str:
    if key == "changed":  # a form's changed_data: field names
        return "、".join(key_label(str(name)) for name in values) or "—"
    return "、".join(value_text(key, item) for item in values) or "—"


def detail_items(detail: dict | None) -> list[tuple[str, str]]:
    """(label, text) pairs for display, in stored order."""
    if not detail:
        return []
    if not isinstance(detail, dict):
        return [("详情", str(detail))]
    return [(key_label(key), _top_value(key, value)) for key, value in detail.items()]


def _top_value(key: str, value: Any) -> str:
    if key == "changed" and isinstance(value, dict):
        return "；".join(f"{key_label(field)}：{_pair(field, pair)}" for field, pair in value.items())
    return value_text(key, value)


def _pair(field: str, pair: Any) -> str:
    if isinstance(pair, list | tuple) and len(pair) == 2:
        return f"{value_text(field, pair[0])} → {value_text(field, pair[1])}"
    return value_text(field, pair)


def detail_text(detail: dict | None, limit: int = 2000) -> str:
    return "；".join(f"{label}：{text}" for label, text in detail_items(detail))[:limit]

"""Names of audited actions and their Chinese labels.

Action codes are dotted strings. Other apps may log actions not listed here (their code is shown
as is) or add a label with `register_action`.
"""

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
LOCKOUT = "auth.lockout"
LOGIN_CODE_SENT = "auth.login_code_sent"
PASSWORD_CHANGE = "auth.password_change"  # noqa: S105 - an action name

ACCOUNT_CREATE = "account.create"
ACCOUNT_UPDATE = "account.update"
ACCOUNT_ROLE_CHANGE = "account.role_change"
ACCOUNT_DISABLE = "account.disable"
ACCOUNT_ENABLE = "account.enable"
ACCOUNT_RESET_PASSWORD = "account.reset_password"  # noqa: S105 - an action name
ACCOUNT_UNLOCK = "account.unlock"

ORG_CREATE = "org.create"
ORG_UPDATE = "org.update"
ORG_MOVE = "org.move"
ORG_DEACTIVATE = "org.deactivate"
ORG_ACTIVATE = "org.activate"

SMS_TEMPLATE_UPDATE = "sms_template.update"

CATALOG_CREATE = "catalog.create"
CATALOG_UPDATE = "catalog.update"

CALENDAR_OVERRIDE_CREATE = "calendar.override_create"
CALENDAR_OVERRIDE_UPDATE = "calendar.override_update"
CALENDAR_OVERRIDE_DELETE = "calendar.override_delete"
CALENDAR_YEAR_CONFIRM = "calendar.year_confirm"
CALENDAR_YEAR_UNCONFIRM = "calendar.year_unconfirm"

REPORTER_VIEW = "report.view_reporter"
EXPORT = "data.export"
AUDIT_EXPORT = "audit.export"

_LABELS: dict[str, str] = {
    LOGIN: "登录",
    LOGIN_FAILED: "登录失败",
    LOGOUT: "退出登录",
    LOCKOUT: "账号锁定",
    LOGIN_CODE_SENT: "发送登录验证码",
    PASSWORD_CHANGE: "修改密码",
    ACCOUNT_CREATE: "新建用户",
    ACCOUNT_UPDATE: "修改用户",
    ACCOUNT_ROLE_CHANGE: "变更角色",
    ACCOUNT_DISABLE: "停用用户",
    ACCOUNT_ENABLE: "启用用户",
    ACCOUNT_RESET_PASSWORD: "重置密码",
    ACCOUNT_UNLOCK: "解锁账号",
    ORG_CREATE: "新建机构",
    ORG_UPDATE: "修改机构",
    ORG_MOVE: "调整上级机构",
    ORG_DEACTIVATE: "停用机构",
    ORG_ACTIVATE: "启用机构",
    SMS_TEMPLATE_UPDATE: "修改短信模板",
    CATALOG_CREATE: "新增基础数据",
    CATALOG_UPDATE: "修改基础数据",
    CALENDAR_OVERRIDE_CREATE: "新增节假日调整",
    CALENDAR_OVERRIDE_UPDATE: "修改节假日调整",
    CALENDAR_OVERRIDE_DELETE: "删除节假日调整",
    CALENDAR_YEAR_CONFIRM: "确认年度节假日安排",
    CALENDAR_YEAR_UNCONFIRM: "撤销年度节假日确认",
    REPORTER_VIEW: "查看举报人信息",
    EXPORT: "导出数据",
    AUDIT_EXPORT: "导出审计日志",
}


def register_action(code: str, label: str) -> None:
    _LABELS[code] = label


def action_label(code: str) -> str:
    return _LABELS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    return sorted(_LABELS.items(), key=lambda item: item[0])

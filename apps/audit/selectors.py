"""Who reads which audit rows: only 审计管理员 (三员分立), each for their own org's subtree; the
ministry's auditor also sees rows tied to no org (failed logins with unknown usernames)."""

from django.db.models import QuerySet

from apps.audit.models import AuditLog
from apps.orgs.scoping import user_root_org


def can_read_audit_log(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_auditor
        and user_root_org(user) is not None
    )


def audit_rows_visible_to(user) -> QuerySet[AuditLog]:
    if not can_read_audit_log(user):
        return AuditLog.objects.none()
    root = user_root_org(user)
    if root.parent_id is None:
        return AuditLog.objects.all()
    return AuditLog.objects.filter(org__path__prefix=root.path)


def audit_rows_filtered(user, filters: dict) -> QuerySet[AuditLog]:
    rows = audit_rows_visible_to(user)
    if filters.get("start"):
        rows = rows.filter(created_at__date__gte=filters["start"])
    if filters.get("end"):
        rows = rows.filter(created_at__date__lte=filters["end"])
    if filters.get("action"):
        rows = rows.filter(action=filters["action"])
    if filters.get("result"):
        rows = rows.filter(result=filters["result"])
    if filters.get("username"):
        rows = rows.filter(actor_username__icontains=filters["username"])
    if filters.get("org_name"):
        rows = rows.filter(org_name__icontains=filters["org_name"])
    if filters.get("target"):
        rows = rows.filter(target_repr__icontains=filters["target"])
    if filters.get("ip"):
        rows = rows.filter(ip_address=filters["ip"])
    return rows.order_by("-created_at", "-id")

"""查看举报人信息 (工作要求 八: only the staff handling the report may see who reported it).

The identity is held by the org that received and accepted the report and by its 内设机构 it
dispatched to (Handling.holds_identity); a subordinate org handling a transferred copy never sees
it. Every look is written to the audit log, and so is every refused attempt.
"""

from django.db import transaction

from apps.audit.actions import REPORTER_VIEW
from apps.audit.services import audit_log
from apps.reports.actions.base import ensure_may_handle
from apps.reports.actions.create import ReporterIdentity
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report


def may_view_reporter(user, report: Report) -> bool:
    """Whether to offer the 查看举报人信息 button (no audit row: nothing was revealed)."""
    if report.is_anonymous or not getattr(user, "is_authenticated", False) or user.is_auditor:
        return False
    return Handling.objects.filter(report=report, org_id=user.org_id, holds_identity=True).exists()


def report_reveal_reporter(*, actor, report: Report, request=None) -> ReporterIdentity:
    try:
        ensure_may_handle(actor)
        if report.is_anonymous:
            raise ReportActionError("该举报为匿名举报，没有举报人信息。")
        if not Handling.objects.filter(report=report, org_id=actor.org_id, holds_identity=True).exists():
            raise PermissionDeniedForAction("举报人信息仅限受理该举报的单位经办人员查看。")
    except PermissionDeniedForAction as exc:
        audit_log(
            actor=actor,
            action=REPORTER_VIEW,
            target=report,
            result="denied",
            request=request,
            detail={"reason": exc.message},
        )
        raise
    with transaction.atomic():
        audit_log(actor=actor, action=REPORTER_VIEW, target=report, result="success", request=request)
        return ReporterIdentity(
            name=report.reporter_name, phone=report.reporter_phone, id_number=report.reporter_id_number
        )

"""核查与反馈: the verifying hop records its result and feeds it back to the hop that dispatched
to it; every hop above passes it up one level at a time until it reaches the org that first
accepted the report. A reviewing hop may instead send it back for re-verification (退回重新核查).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from apps.reports import notifications
from apps.reports.actions.base import begin_hop_step, clean_text, lock_hop, now
from apps.reports.attachments import clean_uploads, store_attachments
from apps.reports.errors import InvalidTransition, ReportActionError
from apps.reports.models import Attachment, Handling, Report, Verification
from apps.reports.transitions import CHILD_ON_RETURN, PARENT_ON_FEEDBACK

MAX_AMOUNT = Decimal("999999999999.99")


def clean_amount(value, *, field: str, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ReportActionError(f"请填写{field}。")
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ReportActionError(f"{field}应为数字。") from None
    if not amount.is_finite() or amount < 0:
        raise ReportActionError(f"{field}不能为负数。")
    if amount > MAX_AMOUNT:
        raise ReportActionError(f"{field}数额过大，请核对。")
    if amount != amount.quantize(Decimal("0.01")):
        raise ReportActionError(f"{field}最多保留两位小数。")
    return amount.quantize(Decimal("0.01"))


def clean_conclusion(value: str) -> str:
    if value not in Report.Conclusion.values:
        raise ReportActionError("请选择核查结论（属实、部分属实或不属实）。")
    return value


def report_feedback(
    *,
    actor,
    report: Report,
    conclusion: str = "",
    summary: str = "",
    decision: str = "",
    penalty_amount=None,
    rectification: str = "",
    files: list | None = None,
    comment: str = "",
) -> Report:
    """反馈. From a VERIFYING hop the verification result is required (核查结论, 简要核查情况;
    处理决定, 处罚金额, 整改情况 and files optional) and recorded as a new round. From a REVIEWING hop
    (a subordinate passing its department's result up) the latest result travels on unchanged,
    with an optional comment."""
    comment = clean_text(comment, field="反馈意见", max_length=1000)
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="feedback")
        report, hop = step.report, step.hop
        parent = lock_hop(hop.parent_id)
        allowed_from, parent_to = PARENT_ON_FEEDBACK
        if parent.state not in allowed_from:  # pragma: no cover - the table keeps them in step
            raise InvalidTransition("上级单位的办理环节已变化，请刷新后重试。")
        if hop.state == Handling.State.VERIFYING:
            verification = Verification(
                report=report,
                handling=hop,
                conclusion=clean_conclusion(conclusion),
                summary=clean_text(summary, field="简要核查情况", required=True, max_length=5000),
                decision=clean_text(decision, field="处理决定", max_length=2000),
                penalty_amount=clean_amount(penalty_amount, field="处罚金额"),
                rectification=clean_text(rectification, field="整改情况", max_length=2000),
                created_by=actor,
            )
            cleaned = clean_uploads(files)
            verification.save()
            store_attachments(
                report=report,
                files=cleaned,
                stage=Attachment.Stage.VERIFICATION,
                uploaded_by=actor,
                verification=verification,
            )
            detail = f"核查结论：{verification.get_conclusion_display()}。{verification.summary[:200]}"
        else:
            verification = report.verifications.order_by("-created_at", "-id").first()
            if verification is None:  # pragma: no cover - REVIEWING means a result came up
                raise InvalidTransition("尚无核查结果，不能反馈。")
            detail = f"转报下级核查结果（{verification.get_conclusion_display()}）"
        hop.state = Handling.State.FED_BACK
        hop.finished_at = now()
        hop.save(update_fields=["state", "finished_at"])
        parent.state = parent_to
        parent.save(update_fields=["state"])
        step.record(comment=detail + (f"。{comment}" if comment else ""), target_org=parent.org)
        notifications.notify_org(
            org=parent.org,
            kind=notifications.FED_BACK,
            report=report,
            text=f"{hop.org.name}已反馈举报单 {report.number} 的核查结果，请审核。",
        )
    return report


def report_return(*, actor, report: Report, reason: str) -> Report:
    """退回重新核查: the reviewing hop sends the result back to the hop that fed it back. That hop
    verifies again (an 内设机构 or any hop that verified itself) or, when it only passed its own
    department's result on, reviews again and may return it further down."""
    reason = clean_text(reason, field="退回原因", required=True, max_length=1000)
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="return")
        report, hop = step.report, step.hop
        allowed_from, (verifying, reviewing) = CHILD_ON_RETURN
        child = (
            Handling.objects.select_for_update(of=("self",))
            .filter(parent=hop, state__in=allowed_from)
            .order_by("-finished_at", "-id")
            .first()
        )
        if child is None:  # pragma: no cover - REVIEWING always has the child that fed back
            raise InvalidTransition("没有可退回的下级环节。")
        # A hop that dispatched further down only passed the result on; one that did not verified.
        child.state = reviewing if child.children.exists() else verifying
        child.finished_at = None
        child.save(update_fields=["state", "finished_at"])
        hop.state = Handling.State.DISPATCHED
        hop.save(update_fields=["state"])
        latest = report.verifications.order_by("-created_at", "-id").first()
        if latest is not None and not latest.returned_reason:
            latest.returned_reason = reason
            latest.save(update_fields=["returned_reason"])
        step.record(comment=f"退回{child.org.name}重新核查：{reason}", target_org=child.org)
        notifications.notify_org(
            org=child.org,
            kind=notifications.RETURNED,
            report=report,
            text=f"{hop.org.name}退回举报单 {report.number}，请重新核查：{reason[:100]}",
        )
    return report

"""What the reporter sees of a report's progress: the 流转记录 rows that carry public text (never a
staff name or an org's internal step), plus the decision and the result in plain words."""

import datetime
from dataclasses import dataclass

from apps.reports.models import Report, ReportEvent

STATUS_LABELS = {
    Report.Status.RECEIVED: "已提交，等待受理",
    Report.Status.DEFERRED: "暂不受理，请补正材料",
    Report.Status.REJECTED: "不予受理",
    Report.Status.ACCEPTED: "已受理",
    Report.Status.VERIFYING: "核查中",
    Report.Status.CLOSED: "已办结",
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    text: str


@dataclass(frozen=True)
class PublicProgress:
    status: str
    status_label: str
    submitted_at: datetime.datetime
    timeline: list[TimelineEntry]
    rejection: dict | None = None
    supplement_request: str = ""
    result: dict | None = None


def public_progress(report: Report) -> PublicProgress:
    events = (ReportEvent.objects.filter(report=report).exclude(public_text="")
              .order_by("created_at", "id").only("created_at", "public_text"))
    timeline = [TimelineEntry(at=e.created_at, text=e.public_text) for e in events]
    return PublicProgress(
        status=report.status,
        status_label=STATUS_LABELS.get(report.status, report.get_status_display()),
        submitted_at=report.received_at,
        timeline=timeline,
        rejection=_rejection(report),
        supplement_request=report.supplement_request if report.status == Report.Status.DEFERRED else "",
        result=_result(report),
    )


def _rejection(report: Report) -> dict | None:
    if report.status != Report.Status.REJECTED:
        return None
    reason = report.get_reject_reason_display() if report.reject_reason else ""
    where = ""
    if report.reject_reason == Report.RejectReason.NOT_OUR_DUTY and report.referred_department:
        where = f"请向{report.referred_department}反映。"
    return {"reason": reason, "detail": report.reject_detail, "where": where}


def _result(report: Report) -> dict | None:
    if report.status != Report.Status.CLOSED:
        return None
    return {
        "conclusion": report.get_conclusion_display() if report.conclusion else "",
        "summary": report.verification_summary,
        "decision": report.decision,
        "reward": reward_text(report),
        "reward_eligible": report.reward_status in (Report.RewardStatus.PENDING, Report.RewardStatus.PAID),
    }


def reward_text(report: Report) -> str:
    if report.reward_status == Report.RewardStatus.PAID:
        return "符合举报奖励条件，奖励已兑现。"
    if report.reward_status == Report.RewardStatus.PENDING:
        return "符合举报奖励条件，奖励待兑现，办理单位将与您联系；匿名举报人请凭举报编码与办理单位联系。"
    if report.conclusion == Report.Conclusion.FALSE:
        return "举报内容经核查不属实，不符合举报奖励条件。"
    return "暂未认定举报奖励。"

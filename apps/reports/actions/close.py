"""办结 and the later 奖励兑现 record (工作要求 六: a verified report whose reward is not yet paid is
closed with its result first, and the reward entered when paid)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.reports import notifications
from apps.reports.actions.base import begin_hop_step, clean_text, now, today
from apps.reports.actions.feedback import clean_amount, clean_conclusion
from apps.reports.errors import InvalidTransition, ReportActionError
from apps.reports.models import Handling, Report
from apps.reports.reward import REWARD_MAX

Reward = Report.RewardStatus


def _clean_reward(conclusion: str, status: str, amount, paid_on, closed_on: datetime.date):
    if status not in Reward.values:
        raise ReportActionError("请选择奖励情况。")
    if status == Reward.NONE:
        if amount not in (None, ""):
            raise ReportActionError("选择“无奖励”时不能填写奖励金额。")
        return None, None
    if conclusion == Report.Conclusion.FALSE:
        raise ReportActionError("核查不属实的举报不予奖励，请选择“无奖励”。")
    amount = clean_amount(amount, field="奖励金额", required=status == Reward.PAID)
    if amount is not None and amount <= 0 and status == Reward.PAID:
        raise ReportActionError("奖励金额应大于0。")
    if amount is not None and amount > REWARD_MAX:
        raise ReportActionError("奖励金额最高不超过30万元（《安全生产领域举报奖励办法》）。")
    if status == Reward.PENDING:
        return amount, None
    return amount, _clean_paid_on(paid_on, closed_on)


def _clean_paid_on(paid_on, not_before: datetime.date) -> datetime.date:
    paid_on = paid_on or today()
    if isinstance(paid_on, str):
        try:
            paid_on = datetime.date.fromisoformat(paid_on)
        except ValueError:
            raise ReportActionError("兑现日期格式不正确。") from None
    if paid_on > today():
        raise ReportActionError("兑现日期不能晚于今天。")
    if paid_on < not_before:
        raise ReportActionError("兑现日期不能早于办结日期。")
    return paid_on


def report_close(
    *,
    actor,
    report: Report,
    conclusion: str,
    summary: str,
    decision: str = "",
    penalty_amount=None,
    rectification: str = "",
    reward_status: str = Reward.NONE,
    reward_amount=None,
    reward_paid_on=None,
    notify_reporter: bool = False,
    comment: str = "",
) -> Report:
    """办结 by the org that first accepted the report, once the verification result has come back
    up to it (its hop REVIEWING). The final result may differ from the fed-back one (the closing
    org's own judgement). A reward not yet paid is closed as 待兑现 and shows in 待兑现奖励."""
    conclusion = clean_conclusion(conclusion)
    summary = clean_text(summary, field="简要核查情况", required=True, max_length=5000)
    decision = clean_text(decision, field="处理决定", max_length=2000)
    rectification = clean_text(rectification, field="整改情况", max_length=2000)
    penalty = clean_amount(penalty_amount, field="处罚金额")
    comment = clean_text(comment, field="办结意见", max_length=1000)
    amount, paid_on = _clean_reward(conclusion, reward_status, reward_amount, reward_paid_on, today())
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="close")
        report, hop = step.report, step.hop
        moment = now()
        hop.state = Handling.State.CLOSED
        hop.finished_at = moment
        hop.save(update_fields=["state", "finished_at"])
        report.status = Report.Status.CLOSED
        report.closed_at = moment
        report.conclusion = conclusion
        report.verification_summary = summary
        report.decision = decision
        report.penalty_amount = penalty
        report.rectification = rectification
        report.reward_status = reward_status
        report.reward_amount = amount
        report.reward_paid_on = paid_on
        report.save(
            update_fields=[
                "status",
                "closed_at",
                "conclusion",
                "verification_summary",
                "decision",
                "penalty_amount",
                "rectification",
                "reward_status",
                "reward_amount",
                "reward_paid_on",
                "updated_at",
            ]
        )
        conclusion_label = report.get_conclusion_display()
        reward_text = {
            Reward.NONE: "无奖励",
            Reward.PENDING: "奖励待兑现",
            Reward.PAID: f"奖励{amount}元已兑现",
        }[reward_status]
        step.record(
            comment=f"核查结论：{conclusion_label}；{reward_text}" + (f"。{comment}" if comment else ""),
            public_text=f"已办结，核查结论：{conclusion_label}",
        )
        if notify_reporter:
            result = f"核查{conclusion_label}" + (f"，{decision[:60]}" if decision else "")
            notifications.sms_to_reporter(report=report, template_code="closed", context={"result": result})
    return report


def report_reward_record(*, actor, report: Report, amount, paid_on=None, comment: str = "") -> Report:
    """Record that the pending reward of a closed report has been paid (待兑现 → 已兑现)."""
    comment = clean_text(comment, field="备注", max_length=1000)
    amount = clean_amount(amount, field="奖励金额", required=True)
    if amount <= Decimal("0"):
        raise ReportActionError("奖励金额应大于0。")
    if amount > REWARD_MAX:
        raise ReportActionError("奖励金额最高不超过30万元（《安全生产领域举报奖励办法》）。")
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="reward_record")
        report = step.report
        if report.reward_status != Reward.PENDING:
            raise InvalidTransition(
                "该举报单的奖励已兑现，不能重复录入。"
                if report.reward_status == Reward.PAID
                else "该举报单办结时未登记待兑现奖励。"
            )
        paid_on = _clean_paid_on(paid_on, timezone.localdate(report.closed_at))
        report.reward_status = Reward.PAID
        report.reward_amount = amount
        report.reward_paid_on = paid_on
        report.save(update_fields=["reward_status", "reward_amount", "reward_paid_on", "updated_at"])
        step.record(
            comment=f"奖励{amount}元已于{paid_on:%Y-%m-%d}兑现" + (f"。{comment}" if comment else ""),
            public_text="举报奖励已兑现",
        )
    return report

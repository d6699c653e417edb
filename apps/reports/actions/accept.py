"""Acceptance decisions (工作要求 一、五): 受理, 暂不受理 (待补正), 不予受理 (three reasons), and a
subordinate's 退回上级 for a report its superior dispatched.

Each decision is one function: lock, check who may act and from which state (transitions.py),
save with update_fields, append the 流转记录 row, queue the messages and the SMS, all in one
transaction.
"""

from django.db import transaction

from apps.reports import notifications
from apps.reports.actions.base import begin_hop_step, clean_text, lock_hop, now, today
from apps.reports.errors import InvalidTransition, ReportActionError
from apps.reports.models import Handling, Report
from apps.reports.selectors import reports_visible_to
from apps.reports.transitions import PARENT_ON_HAND_BACK, ROOT_ONLY_REPORT_CHANGE, check_report
from apps.workcalendar.calendar import add_working_days

DISPATCH_WORKING_DAYS = 3
RESULT_WORKING_DAYS = 60
# 不予受理 reason 2 names an earlier report "已办结或正在办理中".
DUPLICATE_OF_STATUSES = frozenset({Report.Status.ACCEPTED, Report.Status.VERIFYING, Report.Status.CLOSED})


def report_accept(*, actor, report: Report, comment: str = "", notify_reporter: bool = False) -> Report:
    """受理. At the report's first hop this is the report's acceptance: the 60-working-day result
    clock starts and this org becomes the one that closes it. At a subordinate's hop it is that
    org taking on the dispatched report. Either way the hop then has 3 working days to 转办."""
    comment = clean_text(comment, field="受理意见", max_length=1000)
    with transaction.atomic():
        # The report's status is checked below, where it changes: at the first acceptance only.
        step = begin_hop_step(actor=actor, report=report, action="accept", check_status=False)
        report, hop = step.report, step.hop
        moment, day = now(), today()
        hop.state = Handling.State.ACCEPTED
        hop.accepted_at = moment
        hop.dispatch_due = add_working_days(day, DISPATCH_WORKING_DAYS)
        hop.save(update_fields=["state", "accepted_at", "dispatch_due"])
        is_first_acceptance = hop.parent_id is None
        if is_first_acceptance and "accept" in ROOT_ONLY_REPORT_CHANGE:
            check_report("accept", report)
            report.status = Report.Status.ACCEPTED
            report.accepted_at = moment
            report.accepting_org_id = hop.org_id
            report.result_due = add_working_days(day, RESULT_WORKING_DAYS)
            report.save(update_fields=["status", "accepted_at", "accepting_org", "result_due", "updated_at"])
        step.record(comment=comment, public_text="举报已受理" if is_first_acceptance else "")
        if is_first_acceptance and notify_reporter:
            notifications.sms_to_reporter(report=report, template_code="accepted")
    return report


def report_defer(*, actor, report: Report, missing: str, notify_reporter: bool = True) -> Report:
    """暂不受理: the report lacks material; the reporter is told everything to supply (补正). The
    acceptance clock stops until the reporter supplements (report_supplement)."""
    missing = clean_text(missing, field="需补正内容", required=True, max_length=500)
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="defer")
        report, hop = step.report, step.hop
        hop.state = Handling.State.DEFERRED
        hop.save(update_fields=["state"])
        report.status = Report.Status.DEFERRED
        report.supplement_request = missing
        report.save(update_fields=["status", "supplement_request", "updated_at"])
        step.record(comment=f"需补正：{missing}", public_text=f"暂不受理，请补正以下内容：{missing}")
        if notify_reporter:
            notifications.sms_to_reporter(
                report=report, template_code="deferred_supplement", context={"missing": missing}
            )
    return report


def report_reject(
    *,
    actor,
    report: Report,
    reason: str,
    detail: str = "",
    duplicate_of: Report | int | None = None,
    referred_department: str = "",
    notify_reporter: bool = True,
) -> Report:
    """不予受理, with one of the three reasons of 工作要求 五:

    no_evidence   — `detail` lists everything the reporter must supply (required);
    duplicate     — `duplicate_of` is the earlier report (one the actor can see, accepted,
                    being verified or closed) and `detail` explains;
    not_our_duty  — 移送: `referred_department` names the competent department (defaults to the
                    industry's) and the reporter is told to report there.
    """
    reasons = Report.RejectReason
    if reason not in reasons.values:
        raise ReportActionError("请选择不予受理的原因。")
    detail = clean_text(detail, field="说明", max_length=1000)
    referred_department = clean_text(referred_department, field="移送部门", max_length=100)
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="reject")
        report, hop = step.report, step.hop
        earlier = None
        if reason == reasons.NO_EVIDENCE:
            if not detail:
                raise ReportActionError("请填写需举报人补正的全部内容。")
            sms = ("rejected_no_evidence", {"missing": detail})
            public = f"不予受理：未提供有效证据线索，无法查明举报事实。请补正：{detail}。补正后可再次举报。"
        elif reason == reasons.DUPLICATE:
            earlier = _earlier_report(actor, report, duplicate_of)
            detail = detail or f"与举报单 {earlier.number} 为同一事项。"
            sms = ("rejected_duplicate", {"explanation": detail})
            public = f"不予受理：所涉事项已办结或正在办理中，且未提供新的有效证据线索。{detail}"
        else:
            referred_department = referred_department or report.industry.competent_department
            if not referred_department:
                raise ReportActionError("请填写移送的有关部门。")
            sms = ("rejected_not_our_duty", {"department": referred_department})
            public = f"不属于应急管理部门职责，已移送{referred_department}处理，您也可以直接向该部门举报。"
        hop.state = Handling.State.REJECTED
        hop.finished_at = now()
        hop.save(update_fields=["state", "finished_at"])
        report.status = Report.Status.REJECTED
        report.reject_reason = reason
        report.reject_detail = detail
        report.duplicate_of = earlier
        report.referred_department = referred_department if reason == reasons.NOT_OUR_DUTY else ""
        report.save(
            update_fields=[
                "status",
                "reject_reason",
                "reject_detail",
                "duplicate_of",
                "referred_department",
                "updated_at",
            ]
        )
        label = reasons(reason).label
        comment = f"{label}。{detail}" if detail else label
        if reason == reasons.NOT_OUR_DUTY:
            comment += f"（移送{referred_department}）"
        step.record(comment=comment, public_text=public)
        if notify_reporter:
            notifications.sms_to_reporter(report=report, template_code=sms[0], context=sms[1])
    return report


def _earlier_report(actor, report: Report, duplicate_of) -> Report:
    if duplicate_of in (None, ""):
        raise ReportActionError("请选择与之重复的原举报单。")
    pk = duplicate_of.pk if isinstance(duplicate_of, Report) else duplicate_of
    earlier = reports_visible_to(actor).filter(pk=pk).first() if str(pk).isdigit() else None
    if earlier is None:
        raise ReportActionError("所选原举报单不存在或不在您的查看范围内。")
    if earlier.pk == report.pk:
        raise ReportActionError("原举报单不能是本举报单。")
    if earlier.status not in DUPLICATE_OF_STATUSES:
        # The reporter is told the matter "已办结或正在办理中": only true of an accepted report.
        raise ReportActionError(
            f"原举报单 {earlier.number} 当前状态为“{earlier.get_status_display()}”，"
            "只能选择已受理、核查中或已办结的举报单作为重复举报的原举报单。"
        )
    return earlier


def report_hand_back(*, actor, report: Report, reason: str) -> Report:
    """退回上级: a subordinate that finds a dispatched report is not its matter (not its
    jurisdiction, or needs the superior's level) hands it back with a reason. The superior's hop
    is ACCEPTED again with a fresh 3-working-day dispatch clock."""
    reason = clean_text(reason, field="退回原因", required=True, max_length=1000)
    with transaction.atomic():
        # Only the hops are checked: a hop to hand back exists only once the report was accepted.
        step = begin_hop_step(actor=actor, report=report, action="hand_back", check_status=False)
        report, hop = step.report, step.hop
        parent = lock_hop(hop.parent_id)
        allowed_from, parent_to = PARENT_ON_HAND_BACK
        if parent.state not in allowed_from:  # pragma: no cover - the table keeps them in step
            raise InvalidTransition("上级单位的办理环节已变化，请刷新后重试。")
        hop.state = Handling.State.HANDED_BACK
        hop.finished_at = now()
        hop.save(update_fields=["state", "finished_at"])
        parent.state = parent_to
        parent.dispatch_due = add_working_days(today(), DISPATCH_WORKING_DAYS)
        parent.save(update_fields=["state", "dispatch_due"])
        step.record(comment=reason, target_org=parent.org)
        notifications.notify_org(
            org=parent.org,
            kind=notifications.NEW_IN_WORKLIST,
            report=report,
            text=f"举报单 {report.number} 被{hop.org.name}退回：{reason[:100]}",
        )
    return report

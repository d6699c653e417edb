"""延期申请, 延期审批 and 督办: one function per action (house style 1).

Each runs in one transaction: lock the report row (the same lock the report actions take, so a
decision never interleaves with a close or a dispatch), check who may act, check the state, write
with update_fields, append the 流转记录 row, and leave messages/SMS that commit with the data.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.inbox.models import Message
from apps.inbox.services import notify
from apps.orgs.models import Org
from apps.reports.actions.base import clean_text, ensure_may_handle, lock_report, now, today
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.events import record_event
from apps.reports.models import Handling, Report
from apps.spotchecks.models import SpotCheckItem
from apps.spotchecks.selectors import item_awaiting_rectification
from apps.supervision.deadlines import (
    OPEN_STATES,
    RESULT_STATUSES,
    OpenDeadline,
    answering_org,
    is_strictly_below,
    most_urgent,
    open_deadlines,
)
from apps.supervision.models import MAX_EXTENSION_DAYS, ExtensionRequest, Stage, Supervision
from apps.supervision.selectors import RECTIFY_LABEL
from apps.workcalendar.calendar import add_calendar_days

logger = logging.getLogger(__name__)

S = Handling.State
# Hops whose org has accepted the report and still holds it: only they may ask for more time.
EXTENDABLE_HOP_STATES = (S.ACCEPTED, S.DISPATCHED, S.VERIFYING, S.REVIEWING)
# Hops whose org accepted the report at some point (to tell "not yours" from "no longer open").
ACCEPTED_HOP_STATES = (*EXTENDABLE_HOP_STATES, S.FED_BACK, S.CLOSED)
# The public timeline's wording (工作要求 四); it names no member of staff.
EXTENDED_PUBLIC_TEXT = "案件情况复杂，经上级部门批准，已依法延长核查期限至{date}"
MAX_SUPERVISION_HORIZON_DAYS = 366


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _link(name: str, *args) -> str:
    """The page's address, or "" while the app that has it is not mounted."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def report_link(report: Report) -> str:
    """The report's detail page, or "" while apps.reports has no pages mounted."""
    return _link("reports:detail", report.pk)


def clean_days(value) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        raise ReportActionError(f"延期天数必须是1到{MAX_EXTENSION_DAYS}之间的整数。") from None
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ReportActionError(f"延期天数必须是1到{MAX_EXTENSION_DAYS}之间的整数。")
    return days


def _ensure_not_internal(actor, what: str) -> Org:
    org = actor.org
    if org.kind == Org.Kind.INTERNAL:
        raise PermissionDeniedForAction(f"内设机构不能{what}，请由本单位{what}。")
    return org


def extension_request_check(*, actor, report: Report) -> tuple[Handling, Org]:
    """Raise unless `actor` may ask for an extension of `report` now; returns the actor's hop and
    the org that will decide. The action calls it under the row lock; pages call it to decide
    whether to offer the button."""
    ensure_may_handle(actor)
    org = _ensure_not_internal(actor, "申请延期")
    hops = list(
        Handling.objects.filter(report=report, org=org, state__in=ACCEPTED_HOP_STATES).order_by(
            "-received_at", "-id"
        )
    )
    if not hops:
        raise PermissionDeniedForAction("只有受理并正在办理该举报单的单位可以申请延期。")
    hop = next((h for h in hops if h.state in EXTENDABLE_HOP_STATES), None)
    if report.status not in RESULT_STATUSES or report.result_due is None:
        raise InvalidTransition(f"该举报单当前状态为“{report.get_status_display()}”，不能申请延期。")
    if hop is None:
        raise InvalidTransition("本单位已反馈核查结果，不能再申请延期。")
    if today() > report.result_due:
        raise InvalidTransition(f"核查期限（{chinese_date(report.result_due)}）已过，不能再申请延期。")
    superior = org.parent
    if superior is None:
        raise ReportActionError("本单位没有上级单位，无法申请延期。")
    if report.extension_days >= MAX_EXTENSION_DAYS:
        raise InvalidTransition(f"该举报单已延期{MAX_EXTENSION_DAYS}日，不能再申请延期。")
    if ExtensionRequest.objects.filter(report=report, state=ExtensionRequest.State.PENDING).exists():
        raise InvalidTransition("该举报单已有待审批的延期申请，请等待审批结果。")
    return hop, superior


def report_extension_request(*, actor, report: Report, reason: str, days: int) -> ExtensionRequest:
    """延期申请 (工作要求 四): the org handling an accepted report asks its superior for up to 30 more
    days in total, before the result deadline has passed, one request at a time."""
    reason = clean_text(reason, field="申请理由", required=True, max_length=1000)
    days = clean_days(days)
    with transaction.atomic():
        report = lock_report(report)
        hop, superior = extension_request_check(actor=actor, report=report)
        org = actor.org
        left = MAX_EXTENSION_DAYS - report.extension_days
        if days > left:
            raise ReportActionError(
                f"延期总天数不得超过{MAX_EXTENSION_DAYS}日：已延期{report.extension_days}日，最多还可申请{left}日。"
            )
        try:
            with transaction.atomic():
                extension = ExtensionRequest.objects.create(
                    report=report,
                    requesting_org=org,
                    approver_org=superior,
                    handling=hop,
                    requested_by=actor,
                    reason=reason,
                    days=days,
                    due_before=report.result_due,
                )
        except IntegrityError:  # a concurrent request won (only possible without the row lock)
            raise InvalidTransition("该举报单已有待审批的延期申请，请等待审批结果。") from None
        record_event(
            report=report,
            action="extension_request",
            actor=actor,
            handling=hop,
            org=org,
            target_org=superior,
            from_status=report.status,
            to_status=report.status,
            comment=f"申请将核查期限延长{days}日（现期限{chinese_date(report.result_due)}）。理由：{reason}",
        )
        notify(
            org=superior,
            kind=Message.Kind.EXTENSION_REQUESTED,
            report=report,
            text=f"{org.name}申请将举报单{report.number}的核查期限延长{days}日，请审批。",
            url=_link("supervision:extensions"),
        )
    return extension


def report_extension_decide(
    *, actor, extension: ExtensionRequest, approve: bool, comment: str
) -> ExtensionRequest:
    """延期审批: the requesting org's superior approves (the result deadline moves by the days, in
    calendar days, 工作要求 四 “延长期限不得超过30日”) or rejects (with a reason)."""
    comment = clean_text(comment, field="审批意见", required=not approve, max_length=1000)
    with transaction.atomic():
        # The report first, as in every report action, so two lock orders never meet.
        report = lock_report(extension.report_id)
        extension = (
            ExtensionRequest.objects.select_for_update().select_related("requesting_org").get(pk=extension.pk)
        )
        ensure_may_handle(actor)
        if actor.org_id != extension.approver_org_id:
            raise PermissionDeniedForAction("只有申请单位的上级单位可以审批该延期申请。")
        if extension.state != ExtensionRequest.State.PENDING:
            raise InvalidTransition(f"该延期申请已审批（{extension.get_state_display()}），不能重复审批。")
        if approve:
            if report.status not in RESULT_STATUSES or report.result_due is None:
                raise InvalidTransition(
                    f"该举报单当前状态为“{report.get_status_display()}”，无需延期，请作不批准处理。"
                )
            if report.extension_days + extension.days > MAX_EXTENSION_DAYS:
                raise ReportActionError(f"延期总天数不得超过{MAX_EXTENSION_DAYS}日，请作不批准处理。")
            before = report.result_due
            # Calendar days, and a period ending on a day off runs to the next working day
            # (《民法典》第二百零三条), as add_calendar_days does by default.
            report.result_due = add_calendar_days(before, extension.days)
            report.extension_days += extension.days
            report.save(update_fields=["result_due", "extension_days", "updated_at"])
            extension.state = ExtensionRequest.State.APPROVED
            extension.due_after = report.result_due
        else:
            extension.state = ExtensionRequest.State.REJECTED
        extension.decided_by = actor
        extension.decided_at = now()
        extension.decision_comment = comment
        extension.save(update_fields=["state", "due_after", "decided_by", "decided_at", "decision_comment"])

        requester = extension.requesting_org
        if approve:
            new_due = chinese_date(report.result_due)
            record_event(
                report=report,
                action="extension_approve",
                actor=actor,
                org=actor.org,
                target_org=requester,
                from_status=report.status,
                to_status=report.status,
                comment=f"批准延期{extension.days}日，核查期限由{chinese_date(before)}延长至{new_due}。"
                + (f"意见：{comment}" if comment else ""),
                public_text=EXTENDED_PUBLIC_TEXT.format(date=new_due),
            )
            text = f"举报单{report.number}的延期申请已批准，核查期限延长至{new_due}。"
            _sms_extended(report, new_due)
        else:
            record_event(
                report=report,
                action="extension_reject",
                actor=actor,
                org=actor.org,
                target_org=requester,
                from_status=report.status,
                to_status=report.status,
                comment=f"不批准延期{extension.days}日。意见：{comment}",
            )
            text = f"举报单{report.number}的延期申请未获批准：{comment}"
        notify(
            org=requester,
            kind=Message.Kind.EXTENSION_DECIDED,
            report=report,
            text=text,
            url=report_link(report),
        )
    return extension


def _sms_extended(report: Report, new_due: str) -> None:
    """Tell a real-name reporter the new deadline. The approval does not depend on the SMS: a
    number the outbox refuses is logged, and the extension still stands."""
    from apps.reports.notifications import sms_to_reporter

    try:
        sms_to_reporter(report=report, template_code="extended", context={"new_deadline": new_due})
    except ReportActionError as exc:
        logger.warning("report %s: extension SMS not queued: %s", report.pk, exc.message)


def clean_due_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except (TypeError, ValueError):
            raise ReportActionError("请填写正确的要求办结日期（如 2025-01-31）。") from None
    day = today()
    if value < day:
        raise ReportActionError("要求办结日期不能早于今天。")
    if (value - day).days > MAX_SUPERVISION_HORIZON_DAYS:
        raise ReportActionError("要求办结日期不能晚于一年以后。")
    return value


@dataclass(frozen=True)
class RectifyDeadline:
    """A spot-checked report's 整改期限 as a deadline to 督办 (the checked org answers for it).

    Supervision.stage has no 抽检整改 value (adding one is a migration of apps.supervision's
    models): it is recorded as 核查, the result the 整改 reworks, with no handling hop; the
    deadline is the item's rectify_due."""

    item: SpotCheckItem
    deadline: dt.date
    org: Org
    stage: Stage = Stage.RESULT
    hop: None = None
    label: str = RECTIFY_LABEL


def _rectify_deadline(report: Report, root: Org) -> RectifyDeadline | None:
    """The report's open 抽检整改, when `root` may 督办 it: a superior of the checked org."""
    item = item_awaiting_rectification(report)
    if item is None:
        return None
    if not is_strictly_below(item.checked_org, root):
        raise PermissionDeniedForAction("只有被抽检单位的上级单位可以督办该抽检整改。")
    return RectifyDeadline(item=item, deadline=item.rectify_due, org=answering_org(item.checked_org))


def supervise_check(*, actor, report: Report) -> tuple[Org, OpenDeadline | RectifyDeadline]:
    """Raise unless `actor` may 督办 `report` now; returns the actor's org and the deadline the
    督办 is about: the most urgent one running at an org strictly below the actor's, or, for a
    closed report, the 整改期限 of its open spot check."""
    ensure_may_handle(actor)
    root = _ensure_not_internal(actor, "督办")
    hops = list(Handling.objects.filter(report=report, state__in=OPEN_STATES).select_related("org__parent"))
    if not any(is_strictly_below(h.org, root) for h in hops):
        rectify = _rectify_deadline(report, root)
        if rectify is not None:
            return root, rectify
        if report.status in (Report.Status.CLOSED, Report.Status.REJECTED):
            raise InvalidTransition(f"该举报单当前状态为“{report.get_status_display()}”，无需督办。")
        raise PermissionDeniedForAction("只有当前办理单位的上级单位可以督办该举报单。")
    current = most_urgent(open_deadlines(report, hops, below=root))
    if current is None:
        raise InvalidTransition(
            f"该举报单当前状态为“{report.get_status_display()}”，没有正在计时的办理期限，无需督办。"
        )
    return root, current


def _supervise_texts(
    root: Org, report: Report, current, due_date: dt.date, comment: str
) -> tuple[str, str, str]:
    """The 流转记录 comment, the 消息中心 text and its link for a 督办 of `current`."""
    deadline, due = chinese_date(current.deadline), chinese_date(due_date)
    if isinstance(current, RectifyDeadline):
        return (
            f"督办抽检整改（整改期限{deadline}），要求于{due}前完成整改。督办意见：{comment}",
            f"{root.name}督办举报单{report.number}的抽检整改（整改期限{deadline}），要求于{due}前完成整改：{comment}",
            _link("spotchecks:item", current.item.pk) or _link("supervision:supervised"),
        )
    stage = current.stage.label
    return (
        f"督办{stage}环节（期限{deadline}），要求于{due}前办结。督办意见：{comment}",
        f"{root.name}督办举报单{report.number}（{stage}环节），要求于{due}前办结：{comment}",
        report_link(report) or _link("supervision:supervised"),
    )


def report_supervise(*, actor, report: Report, comment: str, due_date) -> Supervision:
    """督办 (工作要求 七): a superior of the org answering for the report's most urgent running
    deadline asks it to finish by `due_date`. The 督办 is recorded against that deadline, goes
    into the report's 流转记录, and lands in the supervised org's 消息中心. A closed report with an
    open 抽检整改 is supervised on the correction's deadline, at the org that must correct it."""
    comment = clean_text(comment, field="督办意见", required=True, max_length=1000)
    due_date = clean_due_date(due_date)
    with transaction.atomic():
        report = lock_report(report)
        root, current = supervise_check(actor=actor, report=report)
        supervision = Supervision.objects.create(
            report=report,
            stage=current.stage,
            deadline=current.deadline,
            handling=current.hop,
            supervising_org=root,
            supervised_org=current.org,
            supervisor=actor,
            comment=comment,
            due_date=due_date,
        )
        event_text, message_text, url = _supervise_texts(root, report, current, due_date, comment)
        record_event(
            report=report,
            action="supervise",
            actor=actor,
            handling=current.hop,
            org=root,
            target_org=current.org,
            from_status=report.status,
            to_status=report.status,
            comment=event_text,
        )
        notify(org=current.org, kind=Message.Kind.SUPERVISED, report=report, text=message_text, url=url)
    return supervision

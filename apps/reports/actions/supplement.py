"""补正: the reporter adds the material a 暂不受理 decision asked for (called by apps.public)."""

from django.db import transaction

from apps.reports import notifications
from apps.reports.actions.base import clean_text, lock_report, today
from apps.reports.attachments import clean_uploads, store_attachments
from apps.reports.errors import InvalidTransition
from apps.reports.events import record_event
from apps.reports.models import Attachment, Handling, Report, Supplement
from apps.reports.transitions import check_hop, check_report
from apps.workcalendar.calendar import add_working_days

ACCEPT_WORKING_DAYS = 3


def report_supplement(*, report: Report, text: str, files: list) -> Report:
    """The reporter's 补正 for a 暂不受理 report. The report goes back to the receiving org's 待受理
    with a fresh 3-working-day acceptance clock (counted from today). The caller has established
    that the submitter holds the report's 举报编码; there is no staff actor."""
    text = clean_text(text, field="补正说明", required=True, max_length=5000)
    cleaned = clean_uploads(files, keep_names=False)
    with transaction.atomic():
        report = lock_report(report)
        check_report("supplement", report)
        hop = (
            Handling.objects.select_for_update(of=("self",))
            .filter(report=report, parent__isnull=True, state=Handling.State.DEFERRED)
            .first()
        )
        if hop is None:  # pragma: no cover - a DEFERRED report always has its DEFERRED first hop
            raise InvalidTransition("该举报单当前不需要补正。")
        check_hop("supplement", hop)
        from_status, from_state = report.status, hop.state
        due = add_working_days(today(), ACCEPT_WORKING_DAYS)
        hop.state = Handling.State.PENDING
        hop.accept_due = due
        hop.save(update_fields=["state", "accept_due"])
        report.status = Report.Status.RECEIVED
        report.accept_due = due
        report.save(update_fields=["status", "accept_due", "updated_at"])
        Supplement.objects.create(report=report, text=text)
        store_attachments(report=report, files=cleaned, stage=Attachment.Stage.SUPPLEMENT)
        record_event(
            report=report,
            handling=hop,
            action="supplement",
            target_org=hop.org,
            from_status=from_status,
            to_status=report.status,
            from_state=from_state,
            to_state=hop.state,
            comment=f"举报人提交补正材料：{text[:200]}",
            public_text="已提交补正材料，等待受理",
        )
        notifications.notify_org(
            org=hop.org,
            kind=notifications.NEW_IN_WORKLIST,
            report=report,
            text=f"举报单 {report.number} 的举报人已补正材料，请重新决定是否受理。",
        )
    return report

"""转办本系统 (工作要求 三): an accepted report goes, 属地管理、分级负责, to an 内设机构 of the same
org (本级核查) or to a direct subordinate org (下级机构), which decides acceptance in its turn.

The reporter's identity stays with the org holding it: an 内设机构 of that org inherits the
right to see it, a subordinate org never gets it (copies for transfer have the reporter's
details removed).
"""

from django.db import transaction

from apps.orgs.models import Org
from apps.reports import notifications
from apps.reports.actions.base import begin_hop_step, clean_text, now, today
from apps.reports.errors import ReportActionError
from apps.reports.models import Handling, Report
from apps.workcalendar.calendar import add_working_days

ACCEPT_WORKING_DAYS = 3


def dispatch_targets(org: Org):
    """Where `org` may dispatch: its active 内设机构 and its active direct subordinate orgs."""
    return Org.objects.filter(parent=org, is_active=True).order_by("kind", "path")


def _target(hop: Handling, target_org) -> Org:
    pk = target_org.pk if isinstance(target_org, Org) else target_org
    target = None
    if pk not in (None, "") and str(pk).isdigit():
        target = dispatch_targets(hop.org).filter(pk=pk).first()
    if target is None:
        raise ReportActionError("请选择本单位的内设机构或直属下级机构。")
    return target


def report_dispatch(*, actor, report: Report, target_org: Org | int, comment: str = "") -> Report:
    comment = clean_text(comment, field="转办意见", max_length=1000)
    with transaction.atomic():
        step = begin_hop_step(actor=actor, report=report, action="dispatch")
        report, hop = step.report, step.hop
        target = _target(hop, target_org)
        if Handling.objects.filter(report=report, org=target, state__in=Handling.OPEN_STATES).exists():
            raise ReportActionError(f"{target.name}正在办理该举报单，不能重复转办。")
        moment, day = now(), today()
        internal = target.kind == Org.Kind.INTERNAL
        Handling.objects.create(
            report=report,
            org=target,
            parent=hop,
            state=Handling.State.VERIFYING if internal else Handling.State.PENDING,
            holds_identity=hop.holds_identity and internal,
            received_at=moment,
            accept_due=None if internal else add_working_days(day, ACCEPT_WORKING_DAYS),
        )
        hop.state = Handling.State.DISPATCHED
        hop.dispatched_at = moment
        hop.save(update_fields=["state", "dispatched_at"])
        if report.status != Report.Status.VERIFYING:
            report.status = Report.Status.VERIFYING
            report.save(update_fields=["status", "updated_at"])
        kind_label = "内设机构" if internal else "下级机构"
        step.record(
            comment=f"转办{kind_label}：{target.name}" + (f"。{comment}" if comment else ""),
            public_text="已转办，正在核查",
            target_org=target,
        )
        notifications.notify_org(
            org=target,
            kind=notifications.NEW_IN_WORKLIST,
            report=report,
            text=(
                f"{hop.org.name}转办举报单 {report.number}（{report.reported_unit_name}），"
                + ("请核查。" if internal else "请在3个工作日内决定是否受理。")
            ),
        )
    return report

"""督办 and 延期 lists. Every report list starts from reports_visible_to (house style 4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least
from django.http import Http404
from django.utils import timezone

from apps.orgs.models import Org
from apps.orgs.scoping import below_q, user_root_org
from apps.reports.models import Handling, Report
from apps.reports.selectors import reports_visible_to
from apps.spotchecks.models import SpotCheckItem
from apps.spotchecks.selectors import spotcheck_items_due_count
from apps.supervision.candidates import CandidatePage
from apps.supervision.deadlines import (
    OPEN_STATES,
    RESULT_STATUSES,
    OpenDeadline,
    most_urgent,
    open_deadlines,
    warning_limit,
)
from apps.supervision.models import ExtensionRequest, Stage, Supervision
from apps.workcalendar.calendar import deadline_badge_text, deadline_state

FAR_FUTURE = dt.date(9999, 12, 31)
# What a 督办 of a spot-checked report's correction is about (see actions.RectifyDeadline).
RECTIFY_LABEL = "抽检整改"
CLOSED_STATUSES = (Report.Status.CLOSED, Report.Status.REJECTED)
OPEN_REPORT_STATUSES = (Report.Status.RECEIVED, *RESULT_STATUSES)


def _supervising_root(user) -> Org | None:
    root = user_root_org(user)
    # 审计管理员 see no reports; a 内设机构 supervises nobody (督办 is between 应急管理部门).
    if root is None or user.is_auditor or root.kind == Org.Kind.INTERNAL:
        return None
    return root


def _orgs_below(root: Org):
    return Org.objects.filter(below_q(root))


def _hops_below(root: Org):
    """Hops of the outer report at orgs strictly below root."""
    return Handling.objects.filter(report=OuterRef("pk"), org__in=_orgs_below(root))


def _warning_limit(warn_days: int | None, today: dt.date | None) -> dt.date:
    """Deadlines before this date are overdue or due within `warn_days` working days."""
    if warn_days is None:
        warn_days = settings.DEADLINE_WARNING_WORKING_DAYS
    return warning_limit(today or timezone.localdate(), warn_days)


def supervision_candidates(
    user, warn_days: int | None = None, today: dt.date | None = None
) -> QuerySet[Report]:
    """督办举报: every report below the user's org that is overdue, or due within `warn_days`
    working days, at any stage (受理 / 转办 / 核查), most urgent first.

    The calendar is consulted once, for the threshold date; the rest is date comparisons in SQL.
    Each report carries `urgent_due` (its most urgent qualifying deadline) and `is_supervised`
    (a 督办 exists against that same deadline).
    """
    root = _supervising_root(user)
    if root is None:
        return Report.objects.none()
    limit = _warning_limit(warn_days, today)
    below = _hops_below(root)
    accept_due = below.filter(state=Handling.State.PENDING, accept_due__lt=limit).order_by("accept_due")
    dispatch_due = below.filter(state=Handling.State.ACCEPTED, dispatch_due__lt=limit).order_by(
        "dispatch_due"
    )
    far = Value(FAR_FUTURE, output_field=DateField())
    qs = (
        # Only reports with a clock running can qualify; the status index narrows the scan first.
        reports_visible_to(user)
        .filter(status__in=OPEN_REPORT_STATUSES)
        .annotate(
            acc_due=Subquery(accept_due.values("accept_due")[:1], output_field=DateField()),
            disp_due=Subquery(dispatch_due.values("dispatch_due")[:1], output_field=DateField()),
            res_due=Case(
                When(
                    Q(status__in=RESULT_STATUSES, result_due__lt=limit)
                    & Q(Exists(below.filter(state__in=OPEN_STATES))),
                    then=F("result_due"),
                ),
                default=None,
                output_field=DateField(),
            ),
        )
        .filter(Q(acc_due__isnull=False) | Q(disp_due__isnull=False) | Q(res_due__isnull=False))
        .annotate(
            urgent_due=Least(Coalesce("acc_due", far), Coalesce("disp_due", far), Coalesce("res_due", far))
        )
    )
    return qs.annotate(
        is_supervised=Exists(
            Supervision.objects.filter(report=OuterRef("pk"), deadline=OuterRef("urgent_due"))
        )
    ).order_by("urgent_due", "received_at", "id")


def candidate_list(
    user, warn_days: int | None = None, today: dt.date | None = None, supervised: str = ""
) -> CandidatePage | QuerySet[Report]:
    """The 督办举报 page's rows: supervision_candidates (filtered on whether each is already under
    督办: `supervised` "yes" / "no"), read from the running clocks (apps.supervision.candidates)."""
    root = _supervising_root(user)
    if root is None:
        return Report.objects.none()  # (not annotated: no is_supervised to filter on)
    if root.kind == Org.Kind.BUREAU:  # a 司局's industry scope: nothing below it
        qs = supervision_candidates(user, warn_days, today).select_related("problem_type", "accepting_org")
        return qs.filter(is_supervised=supervised == "yes") if supervised else qs
    limit = _warning_limit(warn_days, today)
    if root.level == Org.Level.MINISTRY:  # everything is below it but a few orgs, if any
        outside = Org.objects.exclude(below_q(root)).values_list("pk", flat=True)
        return CandidatePage(None, list(outside), limit, supervised)
    below = _orgs_below(root).values_list("pk", flat=True)
    return CandidatePage(list(below), None, limit, supervised)


@dataclass
class CandidateRow:
    """One line of the 督办列表."""

    report: Report
    current: OpenDeadline | None
    badge_state: str
    badge_text: str
    latest: Supervision | None  # the newest 督办 against the current deadline

    @property
    def is_supervised(self) -> bool:
        return self.latest is not None


def candidate_rows(user, reports, today: dt.date | None = None) -> list[CandidateRow]:
    """Rows for one page of supervision_candidates(): two queries (hops, supervisions) whatever
    the page size."""
    root = _supervising_root(user)
    reports = list(reports)
    if root is None or not reports:
        return []
    today = today or timezone.localdate()
    ids = [r.pk for r in reports]
    hops: dict[int, list[Handling]] = {}
    for hop in Handling.objects.filter(report_id__in=ids, state__in=OPEN_STATES).select_related(
        "org__parent"
    ):
        hops.setdefault(hop.report_id, []).append(hop)
    latest: dict[tuple[int, dt.date], Supervision] = {}
    for sup in (
        Supervision.objects.filter(report_id__in=ids)
        .select_related("supervising_org", "supervisor")
        .order_by("created_at", "id")
    ):
        latest[(sup.report_id, sup.deadline)] = sup  # ascending order: the newest one wins
    rows = []
    for report in reports:
        current = most_urgent(open_deadlines(report, hops.get(report.pk, []), below=root))
        due = current.deadline if current else getattr(report, "urgent_due", None)
        if due is None:
            state, text = "", ""
        else:
            status = deadline_state(due, today)
            state, text = str(status.state), deadline_badge_text(status.state, status.days)
        rows.append(CandidateRow(report, current, state, text, latest.get((report.pk, due))))
    return rows


def supervised_for(user) -> QuerySet[Supervision]:
    """被督办: the 督办 addressed to the user's org (or, for a 内设机构 user, to their hops)."""
    root = user_root_org(user)
    if root is None or user.is_auditor:
        return Supervision.objects.none()
    return (
        Supervision.objects.filter(Q(supervised_org=root) | Q(handling__org=root))
        .select_related(
            "report__problem_type", "report__accepting_org", "supervising_org", "supervisor", "supervised_org"
        )
        .order_by("-created_at", "-id")
    )


def supervision_stage_label(sup: Supervision) -> str:
    """What a 督办 was about: its stage, or 抽检整改 for a spot-checked report's correction (the
    only 督办 without a handling hop: every running report deadline has one)."""
    if sup.handling_id is None and sup.stage == Stage.RESULT:
        return RECTIFY_LABEL
    return sup.get_stage_display()


def supervised_open_count(user) -> int:
    """The header's 被督办 count: reports under 督办 that are not finished yet (one query). A
    spot-checked report is closed: its 督办 stays open while the correction it named is awaited."""
    correcting = SpotCheckItem.objects.filter(
        report=OuterRef("report_id"), state=SpotCheckItem.State.RECTIFYING, rectify_due=OuterRef("deadline")
    )
    return (
        supervised_for(user)
        .filter(~Q(report__status__in=CLOSED_STATUSES) | Exists(correcting))
        .values("report_id")
        .distinct()
        .count()
    )


def candidate_count(
    user, warn_days: int | None = None, today: dt.date | None = None, cap: int | None = None
) -> int:
    """What the user should 督办: the number of supervision_candidates, counted from the running
    clocks (the 督办举报 page's CandidatePage) rather than per report, plus the 抽检整改 below the
    user's org that are overdue or nearly so (their reports are closed, so never counted twice).
    With `cap`, counting stops above it (the answer is then cap + 1): the header of every page
    shows "99+" rather than wait for it."""
    rows = candidate_list(user, warn_days, today)
    if not isinstance(rows, CandidatePage):
        count = rows.count()
    else:
        count = rows.count() if cap is None else rows.capped_count(cap)
    if cap is not None and count > cap:
        return cap + 1
    count += corrections_due_count(user, warn_days, today, cap)
    return count if cap is None else min(count, cap + 1)


def corrections_due_count(
    user, warn_days: int | None = None, today: dt.date | None = None, cap: int | None = None
) -> int:
    """抽检整改 below the user's org that are overdue or due within `warn_days` working days: one
    count over the (state, rectify_due) index, whatever the number of reports."""
    if _supervising_root(user) is None:
        return 0
    return spotcheck_items_due_count(user, warn_days, today, cap)


def extensions_to_decide(user) -> QuerySet[ExtensionRequest]:
    """待审批延期: pending requests whose approver is the user's org."""
    root = _supervising_root(user)
    if root is None:
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.filter(approver_org=root, state=ExtensionRequest.State.PENDING)
        .select_related("report__problem_type", "requesting_org", "requested_by")
        .order_by("created_at", "id")
    )


def extensions_of_org(user) -> QuerySet[ExtensionRequest]:
    """Requests the user's org made or decided, newest first (the 延期申请记录 tab)."""
    root = _supervising_root(user)
    if root is None:
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.filter(Q(requesting_org=root) | Q(approver_org=root))
        .select_related("report", "requesting_org", "approver_org", "requested_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def extension_get_for_user_or_404(user, pk) -> ExtensionRequest:
    try:
        return extensions_of_org(user).get(pk=pk)
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("延期申请不存在") from None


def report_supervisions(report: Report) -> QuerySet[Supervision]:
    return (
        Supervision.objects.filter(report=report)
        .select_related("supervising_org", "supervised_org", "supervisor")
        .order_by("-created_at", "-id")
    )


def report_extensions(report: Report) -> QuerySet[ExtensionRequest]:
    return (
        ExtensionRequest.objects.filter(report=report)
        .select_related("requesting_org", "approver_org", "requested_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def report_hops_for_deadlines(report: Report) -> list[Handling]:
    return list(report.handlings.filter(state__in=OPEN_STATES).select_related("org__parent"))

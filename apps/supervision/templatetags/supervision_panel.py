"""Data for templates/supervision/_report_panel.html, which the report detail page includes, and
the filter the 督办 pages print a 督办's stage with.

A tag rather than a context variable so the detail view needs no change beyond the include.
"""

from django import template
from django.utils import timezone

from apps.reports.errors import ReportActionError
from apps.supervision import selectors
from apps.supervision.actions import extension_request_check, supervise_check
from apps.workcalendar.calendar import deadline_badge_text, deadline_state

register = template.Library()


@register.simple_tag
def supervision_panel(report, user) -> dict:
    """Extension history, 督办 history, the result deadline clock, and which buttons to offer."""
    try:
        extension_request_check(actor=user, report=report)
        can_request = True
    except ReportActionError:
        can_request = False
    try:
        _root, current = supervise_check(actor=user, report=report)
    except ReportActionError:
        current = None
    badge = ""
    if report.result_due and report.status in ("accepted", "verifying"):
        status = deadline_state(report.result_due, timezone.localdate())
        badge = deadline_badge_text(status.state, status.days)
    extensions = list(selectors.report_extensions(report))
    return {
        "can_request_extension": can_request,
        "can_supervise": current is not None,
        "current": current,
        "result_badge": badge,
        "extensions": extensions,
        "pending_extension": next((e for e in extensions if e.state == "pending"), None),
        "supervisions": list(selectors.report_supervisions(report)),
    }


@register.filter
def stage_label(sup) -> str:
    """A 督办's stage as every page prints it: a spot-check correction's 督办 is stored as 核查
    (see selectors.supervision_stage_label), but the user must read 抽检整改."""
    return selectors.supervision_stage_label(sup)

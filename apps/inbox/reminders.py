"""The “deadline within 1 working day” reminder (消息中心), run hourly by the task worker.

Every open hop whose acceptance or dispatch deadline, and every accepted report whose result
deadline, falls today or on the next working day gets one message for the org that must act. The
dedupe key names the deadline date, so the hourly repeats create nothing new, while a deadline
that moves (an approved extension) is reminded again before its new date.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.inbox.models import Message
from apps.inbox.services import notify
from apps.reports.models import Handling, Report
from apps.supervision.deadlines import OPEN_STATES, RESULT_STATUSES, answering_org
from apps.workcalendar.calendar import add_working_days, working_days_between

REMIND_WITHIN_WORKING_DAYS = 1
STAGE_WORDS = {"accept": "受理", "dispatch": "转办", "result": "核查结果录入"}


def _link(report: Report) -> str:
    try:
        return reverse("reports:detail", args=[report.pk])
    except NoReverseMatch:
        return ""


def _text(report: Report, stage: str, due: dt.date, today: dt.date) -> str:
    left = working_days_between(today, due)
    when = "今天到期" if left <= 0 else f"剩{left}个工作日"
    return (
        f"举报单{report.number}的{STAGE_WORDS[stage]}期限为{due.year}年{due.month}月{due.day}日（{when}），"
        "请及时办理。"
    )


def _remind(org, report: Report, stage: str, due: dt.date, subject: str, today: dt.date) -> bool:
    key = f"deadline:{stage}:{subject}:{due.isoformat()}:{org.pk}"
    before = Message.objects.filter(dedupe_key=key).exists()
    if before:
        return False
    notify(
        org=org,
        kind=Message.Kind.DEADLINE,
        report=report,
        text=_text(report, stage, due, today),
        url=_link(report),
        dedupe_key=key,
    )
    return True


def send_deadline_reminders(today: dt.date | None = None) -> int:
    """Returns how many new messages were left."""
    today = today or timezone.localdate()
    # "Within 1 working day": at most one working day in (today, due], i.e. due before the
    # second working day after today (the same rule as deadline_state's 即将超期).
    limit = add_working_days(today, REMIND_WITHIN_WORKING_DAYS + 1)
    sent = 0
    with transaction.atomic():
        for hop in Handling.objects.filter(
            state=Handling.State.PENDING, accept_due__gte=today, accept_due__lt=limit
        ).select_related("report", "org"):
            sent += _remind(hop.org, hop.report, "accept", hop.accept_due, f"hop{hop.pk}", today)
        for hop in Handling.objects.filter(
            state=Handling.State.ACCEPTED, dispatch_due__gte=today, dispatch_due__lt=limit
        ).select_related("report", "org"):
            sent += _remind(hop.org, hop.report, "dispatch", hop.dispatch_due, f"hop{hop.pk}", today)
        reports = list(
            Report.objects.filter(
                status__in=RESULT_STATUSES, result_due__gte=today, result_due__lt=limit
            ).select_related("accepting_org")
        )
        hops: dict[int, list[Handling]] = {}
        for hop in Handling.objects.filter(report__in=reports, state__in=OPEN_STATES).select_related(
            "org__parent"
        ):
            hops.setdefault(hop.report_id, []).append(hop)
        for report in reports:
            # The org that must close it (it owns the deadline) and the org the work is with.
            targets = {}
            if report.accepting_org_id:
                targets[report.accepting_org_id] = report.accepting_org
            open_hops = hops.get(report.pk, [])
            if open_hops:
                deepest = answering_org(max(open_hops, key=lambda h: (h.org.depth, h.received_at, h.pk)).org)
                targets.setdefault(deepest.pk, deepest)
            for org in targets.values():
                sent += _remind(org, report, "result", report.result_due, f"report{report.pk}", today)
    return sent

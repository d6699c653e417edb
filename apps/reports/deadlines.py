"""The deadline clock of a hop and of a report, and the same thing as SQL for list filters.

Deadlines are working-day dates (inclusive): a hop PENDING has 3 working days to decide
acceptance (accept_due), an ACCEPTED hop 3 to dispatch (dispatch_due); once dispatched, every hop
of the report runs on the report's 60-working-day result clock (result_due, moved by an approved
extension). DEFERRED waits for the reporter and has no clock.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, DateField, F, Q, QuerySet, Value, When
from django.utils import timezone

from apps.reports.models import Handling, Report
from apps.workcalendar.calendar import (
    DeadlineState,
    add_working_days,
    deadline_badge_text,
    deadline_state,
    unconfirmed_years_in,
)

S = Handling.State

HOP_CLOCKS = {
    S.PENDING: ("受理期限", "accept_due"),
    S.ACCEPTED: ("转办期限", "dispatch_due"),
    S.DISPATCHED: ("核查期限", "report__result_due"),
    S.VERIFYING: ("核查期限", "report__result_due"),
    S.REVIEWING: ("核查期限", "report__result_due"),
}
REPORT_CLOCKS = {
    Report.Status.RECEIVED: ("受理期限", "accept_due"),
    Report.Status.ACCEPTED: ("核查期限", "result_due"),
    Report.Status.VERIFYING: ("核查期限", "result_due"),
}


@dataclass(frozen=True)
class Badge:
    label: str  # which clock: 受理期限 / 转办期限 / 核查期限
    due: datetime.date
    state: str  # DeadlineState value
    days: int
    text: str  # 正常 / 即将超期（剩N天） / 超期（N天）
    unconfirmed: bool  # the calendar of a year in the span is not confirmed yet

    @property
    def css(self) -> str:
        return f"deadline-{self.state}"


def due_unconfirmed(due: datetime.date, today: datetime.date | None = None) -> bool:
    """Whether a deadline may still move: a year between today and `due` has no confirmed
    holiday arrangement yet (every display of the date carries the mark)."""
    return bool(unconfirmed_years_in(today or timezone.localdate(), due))


def badge_for(label: str, due: datetime.date | None, today: datetime.date | None = None) -> Badge | None:
    if due is None:
        return None
    today = today or timezone.localdate()
    status = deadline_state(due, today)
    return Badge(
        label=label,
        due=due,
        state=str(status.state),
        days=status.days,
        text=deadline_badge_text(status.state, status.days),
        unconfirmed=due_unconfirmed(due, today),
    )


def _resolve(obj, dotted: str):
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj


def hop_badge(hop: Handling, today: datetime.date | None = None) -> Badge | None:
    clock = HOP_CLOCKS.get(hop.state)
    if clock is None:
        return None
    label, field = clock
    return badge_for(label, _resolve(hop, field), today)


def report_badge(report: Report, today: datetime.date | None = None) -> Badge | None:
    clock = REPORT_CLOCKS.get(report.status)
    if clock is None:
        return None
    label, field = clock
    return badge_for(label, getattr(report, field), today)


def annotate_hop_due(qs: QuerySet[Handling]) -> QuerySet[Handling]:
    """Adds `due`: the date the hop's current clock runs out (NULL when it has none)."""
    return qs.annotate(
        due=Case(
            *[When(state=state, then=F(field)) for state, (_, field) in HOP_CLOCKS.items()],
            default=Value(None),
            output_field=DateField(),
        )
    )


def annotate_report_due(qs: QuerySet, prefix: str = "") -> QuerySet:
    """Adds the report's `due`; `prefix` is "report__" on a hop queryset."""
    return qs.annotate(
        due=Case(
            *[
                When(**{f"{prefix}status": status}, then=F(f"{prefix}{field}"))
                for status, (_, field) in REPORT_CLOCKS.items()
            ],
            default=Value(None),
            output_field=DateField(),
        )
    )


def due_state_q(
    state: str, *, field: str = "due", today: datetime.date | None = None, warn_days: int | None = None
) -> Q:
    """SQL for deadline_state(): "soon" is a due date from today up to (not including) the
    (warn_days + 1)-th working day after today, exactly where deadline_state() turns "soon"."""
    today = today or timezone.localdate()
    warn = settings.DEADLINE_WARNING_WORKING_DAYS if warn_days is None else warn_days
    first_normal = add_working_days(today, warn + 1)
    if state == DeadlineState.OVERDUE:
        return Q(**{f"{field}__lt": today})
    if state == DeadlineState.SOON:
        return Q(**{f"{field}__gte": today, f"{field}__lt": first_normal})
    if state == DeadlineState.NORMAL:
        return Q(**{f"{field}__gte": first_normal})
    raise ValueError(f"unknown deadline state {state!r}")

"""Which deadlines of a report are running, and which org answers for each.

A report has up to three kinds of clock (工作要求 一、三、四):
* 受理: each hop waiting for its org to accept (Handling PENDING, accept_due);
* 转办: each hop accepted and not yet dispatched (Handling ACCEPTED, dispatch_due);
* 核查: the report's result deadline while it is accepted and not closed (Report.result_due).
The org answering for the 核查 clock is the one furthest down the chain of open hops: that is
where the verification is stuck. A 内设机构 answers through the org it belongs to, because
督办 and 延期 are between 应急管理部门 (上级/下级), not inside one.

The SQL in selectors.supervision_candidates and the Python here must agree; both are written
from this docstring and tested against each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.orgs.models import Org
from apps.reports.models import Handling, Report
from apps.supervision.models import Stage
from apps.workcalendar.calendar import add_working_days

RESULT_STATUSES = (Report.Status.ACCEPTED, Report.Status.VERIFYING)
OPEN_STATES = tuple(Handling.OPEN_STATES)
STAGE_ORDER = {Stage.ACCEPTANCE: 0, Stage.DISPATCH: 1, Stage.RESULT: 2}


@dataclass(frozen=True)
class OpenDeadline:
    stage: Stage
    deadline: dt.date
    hop: Handling
    org: Org  # the 应急管理部门 answering for it (a 内设机构's own org)


def answering_org(org: Org) -> Org:
    """A 内设机构 answers through its org. Callers select_related("org__parent") to keep this free."""
    return org.owning_org()


def is_strictly_below(org: Org, root: Org) -> bool:
    """Strictly below root, and not one of root's own 内设机构 (they are root itself for 督办)."""
    return org.path.startswith(root.path) and answering_org(org).pk != root.pk


def open_deadlines(report: Report, hops, below: Org | None = None) -> list[OpenDeadline]:
    """The running deadlines of `report`, given all of its hops (with org and org.parent loaded).
    With `below`, only those answered for by an org strictly below it."""
    open_hops = [h for h in hops if h.state in OPEN_STATES]
    if below is not None:
        open_hops = [h for h in open_hops if is_strictly_below(h.org, below)]
    found = []
    for hop in open_hops:
        if hop.state == Handling.State.PENDING and hop.accept_due:
            found.append(OpenDeadline(Stage.ACCEPTANCE, hop.accept_due, hop, answering_org(hop.org)))
        elif hop.state == Handling.State.ACCEPTED and hop.dispatch_due:
            found.append(OpenDeadline(Stage.DISPATCH, hop.dispatch_due, hop, answering_org(hop.org)))
    if report.status in RESULT_STATUSES and report.result_due and open_hops:
        deepest = max(open_hops, key=lambda h: (h.org.depth, h.received_at, h.pk))
        found.append(OpenDeadline(Stage.RESULT, report.result_due, deepest, answering_org(deepest.org)))
    return found


def most_urgent(deadlines: list[OpenDeadline]) -> OpenDeadline | None:
    if not deadlines:
        return None
    return min(deadlines, key=lambda d: (d.deadline, STAGE_ORDER[d.stage]))


def warning_limit(today: dt.date, warn_days: int) -> dt.date:
    """The first date that is NOT "due within warn_days working days" of today.

    deadline_state() calls a deadline 即将超期 when the working days in (today, deadline] are at
    most warn_days, i.e. when the deadline comes before the (warn_days + 1)-th working day after
    today. Deadlines before today are overdue, so `deadline < limit` is exactly "overdue or
    即将超期" — one date comparison the database can do with an index.
    """
    return add_working_days(today, warn_days + 1)

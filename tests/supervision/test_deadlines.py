import datetime as dt

import pytest

from apps.reports.models import Handling
from apps.supervision.deadlines import most_urgent, open_deadlines, warning_limit
from apps.supervision.models import Stage
from apps.workcalendar.calendar import DeadlineState, deadline_state
from tests.supervision.world import TODAY, chain

pytestmark = pytest.mark.django_db
S = Handling.State


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


@pytest.mark.parametrize("warn_days", [0, 1, 3])
def test_warning_limit_is_exactly_where_deadline_state_stops_warning(warn_days):
    # Across 中秋节, 国庆节 and the 调休 Saturday: the SQL comparison and the badge never disagree.
    for today in _days(dt.date(2026, 9, 17), dt.date(2026, 10, 12)):
        limit = warning_limit(today, warn_days)
        for deadline in _days(today - dt.timedelta(days=3), dt.date(2026, 10, 20)):
            state = deadline_state(deadline, today, warn_days).state
            assert (deadline < limit) == (state != DeadlineState.NORMAL), (today, deadline, state)


def test_warning_limit_skips_the_holidays():
    assert warning_limit(TODAY, 3) == dt.date(2026, 10, 8)  # Mon 28, Tue 29, Wed 30 are the 3 days
    assert warning_limit(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 12)  # Oct 8, 9, 10 (调休)


def test_open_deadlines_names_the_org_that_answers_for_each(world):
    w = world.orgs
    report = chain(
        world,
        [
            (w.henan, S.DISPATCHED),
            (w.zhengzhou, S.DISPATCHED),
            (w.jinshui, S.DISPATCHED),
            (w.jinshui_dept, S.VERIFYING),
        ],
        result_due=dt.date(2026, 10, 9),
    )
    hops = list(report.handlings.select_related("org__parent"))
    [result] = open_deadlines(report, hops)
    # The work is with 金水区's 内设机构: 金水区 answers for it.
    assert (result.stage, result.deadline, result.org) == (Stage.RESULT, dt.date(2026, 10, 9), w.jinshui)
    assert open_deadlines(report, hops, below=w.zhengzhou)[0].org == w.jinshui
    # 金水区 itself is not below 金水区 (its own department counts as itself).
    assert open_deadlines(report, hops, below=w.jinshui) == []


def test_acceptance_of_a_subordinate_and_the_result_clock_run_together(world):
    w = world.orgs
    report = chain(
        world,
        [(w.henan, S.DISPATCHED), (w.zhengzhou, S.PENDING)],
        result_due=dt.date(2026, 12, 1),
        accept_due=dt.date(2026, 9, 28),
    )
    hops = list(report.handlings.select_related("org__parent"))
    found = {d.stage: d for d in open_deadlines(report, hops, below=w.henan)}
    assert set(found) == {Stage.ACCEPTANCE, Stage.RESULT}
    assert found[Stage.ACCEPTANCE].org == found[Stage.RESULT].org == w.zhengzhou
    assert most_urgent(list(found.values())).stage == Stage.ACCEPTANCE


def test_a_dispatch_clock_belongs_to_the_accepting_hop(world):
    w = world.orgs
    report = chain(
        world,
        [(w.henan, S.DISPATCHED), (w.zhengzhou, S.ACCEPTED)],
        result_due=dt.date(2026, 12, 1),
        dispatch_due=dt.date(2026, 9, 29),
    )
    hops = list(report.handlings.select_related("org__parent"))
    current = most_urgent(open_deadlines(report, hops, below=w.henan))
    assert (current.stage, current.deadline, current.org) == (
        Stage.DISPATCH,
        dt.date(2026, 9, 29),
        w.zhengzhou,
    )

"""Reports with known timings, built with the real workflow actions on the stats `world`, so the
exported numbers can be checked against values worked out by hand (not against the same
measures the code uses).

The period is 2025-03-01 … 2025-05-31 (PERIOD); 上期 is the 92 days before it, 2024-11-29 …
2025-02-28; 去年同期 is 2024-03-01 … 2024-05-31. The 2025 working-day calendar is the State
Council's published one: 4 April (清明), 1, 2 and 5 May (劳动节) and 2 June (端午) are off, Sunday
27 April is worked.

本期 (all times Beijing):
  R1 金水区  received Mon 03-03; accepted 03-04 (due 03-06: on time); dispatched to its 执法监察大队
             03-05 (due 03-07: on time); 属实, closed 03-14 (8 working days, on time), penalty
             5000.00, reward recorded paid 123.45 on 03-20.
  R2 金水区  received Mon 03-03; accepted 03-10 (late); dispatched 03-17 (due 03-13: late);
             部分属实, closed 06-10: 62 working days, after result_due 06-06 (late); reward pending.
  R3 中原区  received Mon 04-07; accepted 04-08, dispatched 04-09 (on time); 不属实, closed 04-21
             (9 working days: 04-09 … 04-21 less the weekends, on time).
  R4 金水区  received 05-06, never accepted: open and overdue.
  R5 长安区  received 05-12, accepted that day (on time), never dispatched: open and overdue.
上期: P1 济源市 2025-01-15, P2 长安区 2025-02-10 (both still 待受理).
去年同期: L1 金水区 2024-03-15, L2 金水区 2024-04-15, L3 中原区 2024-05-15, L4 长安区 2024-05-20.
Outside every period: 金水区 2024-11-28 and 2025-06-16.

So for the whole country: 5 reports (上期 2, 去年同期 4); 受理及时率 3/4 = 75.0%, 转办及时率 2/3 =
66.7%, 办结及时率 2/3 = 66.7%, 超期 2, 平均办结工作日 (8 + 62 + 9) / 3 = 26.3, 属实率 2/3 = 66.7%,
奖励兑现 1件 123.45元 (1 more pending), 处罚 5000.00元.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace

from django.utils import timezone

from apps.stats.analysis import Period
from tests.stats.conftest import make_report

PERIOD = Period(dt.date(2025, 3, 1), dt.date(2025, 5, 31))


def bj(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour))


@contextmanager
def clock(moment: dt.datetime):
    """The workflow actions' clock set to `moment` (deadlines and timestamps follow it)."""
    from apps.reports.actions import base

    original = base._clock
    base._clock = lambda: moment
    try:
        yield
    finally:
        base._clock = original


def _users(world, leaf: str):
    key = world.key_for_leaf[leaf]
    return getattr(world.users, key), getattr(world.users, f"{key}_dept"), getattr(world.orgs, f"{key}_dept")


def _handle(
    world, report, *, accept, dispatch=None, feedback=None, close=None, conclusion="true", **close_kw
):
    """Accept, dispatch to the county's 内设机构, feed back and close, each at its own moment."""
    from apps.reports.actions.accept import report_accept
    from apps.reports.actions.close import report_close
    from apps.reports.actions.dispatch import report_dispatch
    from apps.reports.actions.feedback import report_feedback

    owner, dept_user, dept = _users(world, report.region.code)
    with clock(accept):
        report = report_accept(actor=owner, report=report)
    if dispatch:
        with clock(dispatch):
            report = report_dispatch(actor=owner, report=report, target_org=dept)
    if feedback:
        with clock(feedback):
            report = report_feedback(
                actor=dept_user, report=report, conclusion=conclusion, summary="核查完毕"
            )
    if close:
        with clock(close):
            report = report_close(
                actor=owner, report=report, conclusion=conclusion, summary="已办结", **close_kw
            )
    return report


def build(world) -> SimpleNamespace:
    """The reports described in the module docstring; returns the world with `reports` added."""
    from apps.reports.actions.close import report_reward_record

    pt, ch, ind = world.problem_types, world.channels, world.industries

    def report(leaf, received, p=0, c=0, i=4):
        return make_report(
            world, leaf=leaf, received=received, problem_type=pt[p], channel=ch[c], industry=ind[i]
        )

    r1 = report("410105", bj(2025, 3, 3, 9), p=0, c=0)
    r1 = _handle(
        world,
        r1,
        accept=bj(2025, 3, 4),
        dispatch=bj(2025, 3, 5),
        feedback=bj(2025, 3, 12),
        close=bj(2025, 3, 14),
        conclusion="true",
        penalty_amount="5000.00",
        reward_status="pending",
    )
    with clock(bj(2025, 3, 20)):
        owner, _dept_user, _dept = _users(world, "410105")
        r1 = report_reward_record(actor=owner, report=r1, amount="123.45")
    r2 = _handle(
        world,
        report("410105", bj(2025, 3, 3, 11), p=0, c=1),
        accept=bj(2025, 3, 10),
        dispatch=bj(2025, 3, 17),
        feedback=bj(2025, 6, 9),
        close=bj(2025, 6, 10),
        conclusion="partly_true",
        reward_status="pending",
    )
    r3 = _handle(
        world,
        report("410102", bj(2025, 4, 7), p=1, c=0, i=5),
        accept=bj(2025, 4, 8),
        dispatch=bj(2025, 4, 9),
        feedback=bj(2025, 4, 17),
        close=bj(2025, 4, 21),
        conclusion="false",
    )
    r4 = report("410105", bj(2025, 5, 6), p=1, c=2)
    r5 = _handle(world, report("130102", bj(2025, 5, 12), p=2, c=0, i=5), accept=bj(2025, 5, 12, 15))
    previous = [report("419001", bj(2025, 1, 15), p=0, c=0), report("130102", bj(2025, 2, 10), p=2, c=1)]
    last_year = [
        report("410105", bj(2024, 3, 15), p=0),
        report("410105", bj(2024, 4, 15), p=1),
        report("410102", bj(2024, 5, 15), p=0),
        report("130102", bj(2024, 5, 20), p=3),
    ]
    outside = [report("410105", bj(2024, 11, 28)), report("410105", bj(2025, 6, 16))]
    world.reports = SimpleNamespace(
        r1=r1, r2=r2, r3=r3, r4=r4, r5=r5, previous=previous, last_year=last_year, outside=outside
    )
    return world

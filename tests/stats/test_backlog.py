"""open_backlog: the 首页's all-time 待处理 and 超期, for place scopes (cells) and for industry
scopes (the open reports on the reports table) — the same numbers as report_totals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.reports.models import Report
from apps.stats import queries as q
from tests.stats.conftest import at, make_report

S = Report.Status
TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=30)
FUTURE = TODAY + dt.timedelta(days=30)


def _set(report: Report, status: str, accept_due=None, result_due=None) -> None:
    report.status, report.accept_due, report.result_due = status, accept_due, result_due
    if status == S.CLOSED:
        report.closed_at = timezone.now()
    report.save()


@pytest.fixture
def backlog(world):
    hazchem = next(i for i in world.industries if i.code == "hazchem")
    other = next(i for i in world.industries if i.code == "metallurgy")
    old = TODAY - dt.timedelta(days=3000)  # years ago: only an all-time figure counts it
    states = [
        (S.RECEIVED, PAST, None),  # overdue for acceptance
        (S.RECEIVED, FUTURE, None),
        (S.ACCEPTED, PAST, PAST),  # overdue for the result: result_due counts, not accept_due
        (S.VERIFYING, PAST, FUTURE),
        (S.CLOSED, PAST, PAST),  # closed: neither pending nor overdue
        (S.DEFERRED, PAST, None),
    ]
    for industry in (hazchem, other):
        for leaf in ("410105", "130102"):
            for i, (status, accept_due, result_due) in enumerate(states):
                received = at(old if i % 2 else TODAY - dt.timedelta(days=40))
                report = make_report(world, leaf=leaf, received=received, industry=industry)
                _set(report, status, accept_due, result_due)
    return world


def test_industry_scope_counts_its_open_reports(backlog):
    scope = q.stats_scope(backlog.users.hazchem_bureau)
    assert scope.industry_ids is not None
    totals = q.report_totals(scope=scope, start=None, end=None, today=TODAY)
    found = q.open_backlog(scope=scope, today=TODAY)
    assert found == {"pending": totals["pending"], "overdue": totals["overdue"]}
    # Two places × (received, received, accepted, verifying); overdue: received-past, accepted-past.
    assert found == {"pending": 8, "overdue": 4}
    in_hebei = q.open_backlog(scope=scope, region_code="130000", today=TODAY)
    assert in_hebei == {"pending": 4, "overdue": 2}


def test_place_scope_reads_the_cells(backlog):
    scope = q.stats_scope(backlog.users.henan)
    expected = q.report_totals(scope=scope, start=None, end=None, today=TODAY)
    assert q.open_backlog(scope=scope, today=TODAY) == {"pending": 8, "overdue": 4}
    assert expected["pending"] == 8 and expected["overdue"] == 4


def test_bad_scope_is_refused(backlog):
    with pytest.raises(q.StatsQueryError):
        q.open_backlog(scope=None)
    scope = q.stats_scope(backlog.users.hazchem_bureau)
    with pytest.raises(q.StatsQueryError):
        q.open_backlog(scope=scope, region_code="999999")

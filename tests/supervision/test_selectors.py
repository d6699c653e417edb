import datetime as dt

import pytest

from apps.reports.models import Handling, Report
from apps.supervision.models import Stage, Supervision
from apps.supervision.selectors import (
    candidate_count,
    candidate_rows,
    supervised_for,
    supervised_open_count,
    supervision_candidates,
)
from tests.supervision.world import TODAY, chain

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

SOON = dt.date(2026, 9, 30)  # 3 working days after TODAY: 即将超期（剩3天）
LATER = dt.date(2026, 10, 8)  # 4 working days after TODAY (国庆节 in between): 正常
PAST = dt.date(2026, 9, 22)


def ids(user, **kwargs):
    return {r.pk for r in supervision_candidates(user, today=TODAY, **kwargs)}


@pytest.fixture
def reports(world):
    w = world.orgs
    return {
        # 郑州市 has not accepted a report 河南省 dispatched to it, and its 3 days are over.
        "accept_overdue": chain(
            world,
            [(w.henan, S.DISPATCHED), (w.zhengzhou, S.PENDING)],
            accept_due=PAST,
            result_due=dt.date(2026, 12, 18),
        ),
        # 金水区 accepted but has not dispatched; due in 3 working days.
        "dispatch_soon": chain(
            world,
            [(w.henan, S.DISPATCHED), (w.zhengzhou, S.DISPATCHED), (w.jinshui, S.ACCEPTED)],
            dispatch_due=SOON,
            result_due=dt.date(2026, 12, 18),
        ),
        # 金水区's department is verifying; the 60-day clock runs out in 3 working days.
        "result_soon": chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
            result_due=SOON,
        ),
        # Same shape, but the deadline is after the holiday: not yet 即将超期.
        "result_later": chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
            result_due=LATER,
        ),
        # 河南省 verifies at its own department: nobody below 河南省 is involved.
        "own_dept": chain(world, [(w.henan, S.DISPATCHED), (w.henan_dept, S.VERIFYING)], result_due=PAST),
        # Closed long ago although the date is past.
        "closed": chain(
            world, [(w.henan, S.CLOSED), (w.zhengzhou, S.FED_BACK)], status=R.CLOSED, result_due=PAST
        ),
    }


def test_province_sees_every_stage_below_it(world, reports):
    assert ids(world.users.henan) == {
        reports[k].pk for k in ("accept_overdue", "dispatch_soon", "result_soon")
    }


def test_city_sees_only_what_is_below_it(world, reports):
    # The overdue acceptance is 郑州市's own: its superior supervises it, not itself.
    assert ids(world.users.zhengzhou) == {reports["dispatch_soon"].pk, reports["result_soon"].pk}


def test_county_and_its_department_and_other_provinces_see_nothing(world, reports):
    for key in ("jinshui", "jinshui_dept", "zhongyuan", "hebei", "henan_dept", "auditor"):
        assert ids(getattr(world.users, key)) == set(), key


def test_ministry_sees_its_provinces_own_department_work(world, reports):
    assert reports["own_dept"].pk in ids(world.users.ministry)
    assert reports["closed"].pk not in ids(world.users.ministry)


def test_warning_days_are_configurable(world, reports, settings):
    assert reports["result_later"].pk in ids(world.users.henan, warn_days=4)
    assert ids(world.users.henan, warn_days=0) == {reports["accept_overdue"].pk}
    settings.DEADLINE_WARNING_WORKING_DAYS = 4
    assert reports["result_later"].pk in ids(world.users.henan)


def test_most_urgent_first_and_rows_agree_with_the_sql(world, reports, on_today):
    qs = supervision_candidates(world.users.henan, today=TODAY)
    assert qs.first().pk == reports["accept_overdue"].pk
    rows = candidate_rows(world.users.henan, qs, today=TODAY)
    for row in rows:
        assert row.current.deadline == row.report.urgent_due
    by_key = {row.report.pk: row for row in rows}
    overdue = by_key[reports["accept_overdue"].pk]
    assert (overdue.current.stage, overdue.current.org, overdue.badge_text) == (
        Stage.ACCEPTANCE,
        world.orgs.zhengzhou,
        "超期（2天）",
    )
    soon = by_key[reports["result_soon"].pk]
    assert (soon.current.stage, soon.current.org, soon.badge_text) == (
        Stage.RESULT,
        world.orgs.jinshui,
        "即将超期（剩3天）",
    )
    assert by_key[reports["dispatch_soon"].pk].current.stage == Stage.DISPATCH
    assert candidate_count(world.users.henan) == 3


def _supervise(world, report, deadline, by="henan", stage=Stage.RESULT, target=None):
    return Supervision.objects.create(
        report=report,
        stage=stage,
        deadline=deadline,
        supervising_org=getattr(world.orgs, by),
        supervised_org=target or world.orgs.jinshui,
        supervisor=getattr(world.users, by),
        comment="请加快办理",
        due_date=TODAY + dt.timedelta(days=3),
    )


def test_supervised_status_follows_the_current_deadline(world, reports):
    report = reports["result_soon"]
    _supervise(world, report, SOON)
    qs = supervision_candidates(world.users.henan, today=TODAY)
    assert set(qs.filter(is_supervised=True).values_list("pk", flat=True)) == {report.pk}
    row = next(r for r in candidate_rows(world.users.henan, qs, today=TODAY) if r.report.pk == report.pk)
    assert row.is_supervised and row.latest.supervisor == world.users.henan
    # An approved extension moves the deadline: the old 督办 no longer counts.
    Report.objects.filter(pk=report.pk).update(result_due=dt.date(2026, 10, 1))
    qs = supervision_candidates(world.users.henan, today=TODAY, warn_days=5)
    assert not qs.get(pk=report.pk).is_supervised


def test_supervised_for_and_its_count(world, reports):
    _supervise(world, reports["result_soon"], SOON)
    _supervise(world, reports["result_soon"], SOON, by="zhengzhou")
    _supervise(world, reports["closed"], PAST, target=world.orgs.zhengzhou)
    assert supervised_for(world.users.jinshui).count() == 2
    assert supervised_open_count(world.users.jinshui) == 1  # one report, twice supervised
    assert supervised_open_count(world.users.zhengzhou) == 0  # its only one is closed
    assert supervised_for(world.users.zhengzhou).count() == 1
    assert supervised_for(world.users.auditor).count() == 0
    assert supervised_for(world.users.hebei).count() == 0


@pytest.mark.parametrize("warn_days", [0, 3, 4, 30])
def test_the_header_count_is_the_length_of_the_list(world, reports, warn_days):
    # candidate_count counts from the hops, the list per report: they must always agree.
    keys = ("ministry", "henan", "zhengzhou", "jinshui", "jinshui_dept", "hebei", "henan_dept", "auditor")
    for key in keys:
        user = getattr(world.users, key)
        expected = supervision_candidates(user, warn_days=warn_days, today=TODAY).count()
        assert candidate_count(user, warn_days=warn_days, today=TODAY) == expected, key


def test_the_badge_count_stops_above_its_cap(world, reports):
    user = world.users.henan  # three candidates
    assert candidate_count(user, today=TODAY, cap=5) == 3
    assert candidate_count(user, today=TODAY, cap=3) == 3
    assert candidate_count(user, today=TODAY, cap=2) == 3  # cap + 1: "more than 2"
    assert candidate_count(user, today=TODAY, cap=1) == 2

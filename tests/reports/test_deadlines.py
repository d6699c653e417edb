"""Working-day deadlines of the workflow across weekends, holidays, 调休 days and an extension.

2024 calendar used (State Council notice): 中秋 9月15–17日放假, 9月14日(六)上班; 国庆 10月1–7日放假,
9月29日(日)、10月12日(六)上班.
"""

import datetime

import pytest
from django.utils import timezone

from apps.reports.actions import base
from apps.reports.actions.accept import report_accept
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.supplement import report_supplement
from apps.reports.deadlines import annotate_hop_due, due_state_q, hop_badge, report_badge
from apps.reports.models import Handling, Report
from apps.workcalendar.calendar import add_calendar_days, deadline_state
from tests.reports.helpers import at, hop, new_report

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def clock(monkeypatch):
    """Move the actions' clock to a given day (10:00 Beijing time)."""

    def set_day(day: datetime.date, hour: int = 10):
        monkeypatch.setattr(base, "_clock", lambda: at(day, hour))

    return set_day


def test_accept_due_skips_weekend_and_counts_make_up_sunday(world):
    # Received Friday 27 Sep: day 1 is Sunday 29 Sep (调休上班), day 2 Monday 30 Sep, then the
    # National Day holiday; day 3 is Tuesday 8 Oct.
    report = new_report(world, received_at=at(D(2024, 9, 27)))
    assert report.accept_due == D(2024, 10, 8)
    assert hop(report, world.orgs.jinshui).accept_due == D(2024, 10, 8)


def test_accept_due_from_saturday_equals_from_friday(world):
    assert new_report(world, received_at=at(D(2024, 11, 8))).accept_due == D(2024, 11, 13)  # Fri → Wed
    assert new_report(world, received_at=at(D(2024, 11, 9))).accept_due == D(2024, 11, 13)  # Sat → Wed


def test_accept_over_mid_autumn_with_make_up_saturday(world):
    # Received Friday 13 Sep: day 1 is Saturday 14 (调休上班), 15–17 off, days 2 and 3 are 18 and 19 Sep.
    assert new_report(world, received_at=at(D(2024, 9, 13))).accept_due == D(2024, 9, 19)


def test_dispatch_and_result_clocks_from_acceptance_day(world, clock):
    report = new_report(world, received_at=at(D(2024, 9, 25)))
    clock(D(2024, 9, 27))
    report = report_accept(actor=world.users.jinshui, report=report)
    assert hop(report, world.orgs.jinshui).dispatch_due == D(2024, 10, 8)
    # 60 working days after 27 Sep 2024, skipping National Day and counting 29 Sep and 12 Oct.
    assert report.result_due == D(2024, 12, 25)


def test_subordinate_acceptance_clock(world, clock):
    report = new_report(
        world,
        world.orgs.zhengzhou,
        region_code="410105",
        received_at=at(D(2024, 9, 26)),
        channel=world.letter,
    )
    clock(D(2024, 9, 26))
    report_accept(actor=world.users.zhengzhou, report=report)
    clock(D(2024, 9, 30), hour=16)
    report_dispatch(actor=world.users.zhengzhou, report=report, target_org=world.orgs.jinshui)
    assert hop(report, world.orgs.jinshui).accept_due == D(2024, 10, 10)  # 8, 9, 10 Oct


def test_supplement_restarts_acceptance_clock(world, clock):
    from apps.reports.actions.accept import report_defer

    report = new_report(world, received_at=at(D(2024, 9, 25)))
    clock(D(2024, 9, 26))
    report_defer(actor=world.users.jinshui, report=report, missing="照片", notify_reporter=False)
    clock(D(2024, 9, 30))
    report = report_supplement(report=report, text="已补充照片", files=[])
    assert report.accept_due == D(2024, 10, 10)
    assert hop(report, world.orgs.jinshui).accept_due == D(2024, 10, 10)


@pytest.mark.parametrize(
    ("today", "state", "days", "text"),
    [
        (D(2024, 9, 27), "soon", 3, "即将超期（剩3天）"),
        (D(2024, 9, 28), "soon", 3, "即将超期（剩3天）"),  # Saturday: still three working days left
        (D(2024, 9, 30), "soon", 1, "即将超期（剩1天）"),
        (D(2024, 10, 8), "soon", 0, "即将超期（剩0天）"),
        (D(2024, 10, 9), "overdue", 1, "超期（1天）"),
        (D(2024, 10, 12), "overdue", 4, "超期（4天）"),  # Saturday 12 Oct is a working day
        (D(2024, 10, 13), "overdue", 4, "超期（4天）"),
    ],
)
def test_badges_and_sql_filter_agree(world, today, state, days, text):
    report = new_report(world, received_at=at(D(2024, 9, 27)))
    badge = report_badge(report, today)
    assert (badge.state, badge.days, badge.text) == (state, days, text)
    assert badge.due == D(2024, 10, 8) and badge.label == "受理期限"
    hops = annotate_hop_due(Handling.objects.filter(report=report))
    for candidate in ("normal", "soon", "overdue"):
        matched = hops.filter(due_state_q(candidate, today=today)).exists()
        assert matched == (candidate == state), candidate


def test_normal_state_far_from_deadline(world):
    report = new_report(world, received_at=at(D(2024, 9, 2)))
    badge = hop_badge(hop(report, world.orgs.jinshui), D(2024, 9, 2))
    assert (badge.state, badge.text) == ("soon", "即将超期（剩3天）")
    assert deadline_state(D(2024, 12, 25), D(2024, 9, 27)).state == "normal"


def test_result_clock_moves_with_extension(world, clock):
    report = new_report(world, received_at=at(D(2024, 9, 25)))
    clock(D(2024, 9, 27))
    report = report_accept(actor=world.users.jinshui, report=report)
    day = D(2024, 12, 26)
    assert report_badge(report, day).state == "overdue"
    # An approved 30-day extension (apps.supervision) moves result_due by calendar days, rolled
    # forward past a day off; the badge and the SQL filter follow the stored date.
    new_due = add_calendar_days(report.result_due, 30)
    Report.objects.filter(pk=report.pk).update(result_due=new_due, extension_days=30)
    report.refresh_from_db()
    assert new_due == D(2025, 1, 24)
    badge = report_badge(report, day)
    assert badge.state == "normal" and badge.due == new_due
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    verifying = annotate_hop_due(Handling.objects.filter(report=report, state="verifying")).get()
    assert verifying.due == new_due
    assert hop_badge(verifying, D(2025, 1, 23)).text == "即将超期（剩1天）"
    assert timezone.localdate(report.accepted_at) == D(2024, 9, 27)

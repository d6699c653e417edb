"""The header's 督办 counts with 抽检整改: what a superior should supervise includes a correction
below it that is overdue or nearly so; what an org is supervised on includes its open correction."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.spotchecks.actions import spotcheck_rectify
from apps.supervision.actions import report_supervise
from apps.supervision.selectors import candidate_count, supervised_for, supervised_open_count
from apps.workcalendar.calendar import add_working_days
from tests.spotchecks.world import build_world, item_to_rectify

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def sc(db):
    return build_world()


@pytest.mark.parametrize(("due_in", "counted"), [(-3, True), (0, True), (1, True), (30, False)])
def test_the_candidate_count_includes_corrections_due(sc, due_in, counted):
    due = add_working_days(TODAY, due_in) if due_in > 0 else TODAY + dt.timedelta(days=due_in)
    item_to_rectify(sc, due=due)
    u = sc.users
    assert candidate_count(u.henan) == int(counted)
    assert candidate_count(u.ministry) == int(counted)
    for who in ("zhengzhou", "jinshui", "luoyang", "hebei", "henan_dept", "auditor"):
        assert candidate_count(getattr(u, who)) == 0, who


def test_the_capped_count_and_a_submitted_correction(sc):
    item = item_to_rectify(sc, due=TODAY - dt.timedelta(days=1))
    assert candidate_count(sc.users.henan, cap=0) == 1
    assert candidate_count(sc.users.henan, cap=5) == 1
    spotcheck_rectify(actor=sc.users.zhengzhou, item=item, explanation="已改", penalty_amount="90000")
    assert candidate_count(sc.users.henan) == 0


def test_the_supervised_org_sees_the_supervision_until_it_corrects(sc):
    item = item_to_rectify(sc, due=TODAY - dt.timedelta(days=1))
    sup = report_supervise(actor=sc.users.henan, report=item.report, comment="请抓紧整改",
                           due_date=TODAY + dt.timedelta(days=3))
    assert list(supervised_for(sc.users.zhengzhou)) == [sup]
    assert supervised_open_count(sc.users.zhengzhou) == 1
    assert supervised_open_count(sc.users.henan) == 0
    spotcheck_rectify(actor=sc.users.zhengzhou, item=item, explanation="已改", penalty_amount="90000")
    assert supervised_open_count(sc.users.zhengzhou) == 0

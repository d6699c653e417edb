"""督办 of a 抽检整改 (issue 7: the correction deadline is "included in 督办"): a superior of the
org that must correct a spot-checked report supervises it with report_supervise, the same action
as for a report's running deadlines."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.inbox.models import Message
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction
from apps.spotchecks.actions import spotcheck_rectify
from apps.supervision.actions import report_supervise, supervise_check
from apps.supervision.models import Stage, Supervision
from tests.spotchecks.world import build_world, item_to_rectify

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def sc(db):
    return build_world()


@pytest.fixture
def late(sc):
    """郑州市's correction was due two days ago."""
    return item_to_rectify(sc, due=TODAY - dt.timedelta(days=2))


def supervise(user, item, comment="请抓紧整改"):
    return report_supervise(actor=user, report=item.report, comment=comment,
                            due_date=TODAY + dt.timedelta(days=3))


@pytest.mark.parametrize("who", ["henan", "henan2", "ministry"])
def test_a_superior_supervises_the_correction(sc, late, who):
    user = getattr(sc.users, who)
    sup = supervise(user, late)
    assert sup.supervised_org == sc.orgs.zhengzhou and sup.supervising_org == user.org
    assert sup.deadline == late.rectify_due and sup.handling is None and sup.stage == Stage.RESULT
    event = late.report.events.get(action="supervise")
    assert "抽检整改" in event.comment and event.target_org == sc.orgs.zhengzhou
    message = Message.objects.get(kind=Message.Kind.SUPERVISED)
    assert message.recipient_org == sc.orgs.zhengzhou and message.report_id == late.report_id
    assert "抽检整改" in message.text and "请抓紧整改" in message.text
    assert message.url == reverse("spotchecks:item", args=[late.pk])


def test_the_check_names_the_correction_deadline_and_the_org(sc, late):
    root, current = supervise_check(actor=sc.users.henan, report=late.report)
    assert root == sc.orgs.henan
    assert current.deadline == late.rectify_due and current.org == sc.orgs.zhengzhou
    assert current.label == "抽检整改"


@pytest.mark.parametrize("who", ["zhengzhou", "zhengzhou_dept", "jinshui", "luoyang", "hebei",
                                 "shijiazhuang", "henan_dept", "auditor"])
def test_only_a_superior_of_the_checked_org_may_supervise(sc, late, who):
    with pytest.raises(PermissionDeniedForAction):
        supervise(getattr(sc.users, who), late)
    assert not Supervision.objects.exists()
    assert not Message.objects.filter(kind=Message.Kind.SUPERVISED).exists()


def test_nothing_to_supervise_once_the_correction_is_submitted(sc, late):
    spotcheck_rectify(actor=sc.users.zhengzhou, item=late, explanation="已加重处罚", penalty_amount="90000")
    with pytest.raises(InvalidTransition, match="无需督办"):
        supervise(sc.users.henan, late)
    assert not Supervision.objects.exists()


def test_bad_input_changes_nothing(sc, late):
    from apps.reports.errors import ReportActionError

    with pytest.raises(ReportActionError, match="督办意见"):
        supervise(sc.users.henan, late, comment="")
    with pytest.raises(ReportActionError, match="不能早于今天"):
        report_supervise(actor=sc.users.henan, report=late.report, comment="x",
                         due_date=TODAY - dt.timedelta(days=1))
    assert not Supervision.objects.exists()

"""查看举报人信息 (audited) and the reward calculator hint."""

from decimal import Decimal

import pytest

from apps.audit.models import AuditLog
from apps.reports.actions.identity import report_reveal_reporter
from apps.reports.errors import PermissionDeniedForAction, ReportActionError
from apps.reports.reward import reward_hint
from tests.reports.helpers import chain_to_jinshui, new_report, run_to_verifying

pytestmark = pytest.mark.django_db


def test_reveal_writes_audit_row(world):
    report = new_report(world)
    identity = report_reveal_reporter(actor=world.users.jinshui, report=report)
    assert (identity.name, identity.phone) == ("张三", "13800138000")
    row = AuditLog.objects.get(action="report.view_reporter")
    assert (row.actor, row.result, row.target_id, row.org_id) == (
        world.users.jinshui,
        "success",
        str(report.pk),
        world.orgs.jinshui.pk,
    )


def test_department_of_identity_holder_may_reveal(world):
    report = run_to_verifying(world)
    assert report_reveal_reporter(actor=world.users.jinshui_dept, report=report).name == "张三"


@pytest.mark.parametrize("who", ["zhengzhou", "henan", "zhongyuan", "auditor"])
def test_reveal_refused_and_audited(world, who):
    report = new_report(world)
    with pytest.raises(PermissionDeniedForAction):
        report_reveal_reporter(actor=getattr(world.users, who), report=report)
    assert AuditLog.objects.get(action="report.view_reporter").result == "denied"


def test_transferred_copy_hides_identity_from_subordinates(world):
    report = chain_to_jinshui(world)
    with pytest.raises(PermissionDeniedForAction):
        report_reveal_reporter(actor=world.users.jinshui, report=report)
    assert report_reveal_reporter(actor=world.users.henan, report=report).phone == "13800138000"


def test_anonymous_has_nothing_to_reveal(world):
    with pytest.raises(ReportActionError, match="匿名"):
        report_reveal_reporter(actor=world.users.jinshui, report=new_report(world, anonymous=True))


@pytest.mark.parametrize(
    ("penalty", "expected"),
    [
        ("10000", Decimal("3000")),  # 1,500 → minimum 3,000
        ("50000", Decimal("7500.00")),
        ("3000000", Decimal("300000")),  # 450,000 → maximum
    ],
)
def test_fine_based_reward(penalty, expected):
    hint = reward_hint(basis="fine", penalty_amount=Decimal(penalty))
    assert hint.amount == expected and "15%" in hint.explanation


@pytest.mark.parametrize(
    ("grade", "deaths", "expected"),
    [
        ("ordinary", 1, Decimal("30000")),
        ("larger", 2, Decimal("80000")),
        ("major", 3, Decimal("150000")),
        ("extraordinary", 4, Decimal("240000")),
        ("extraordinary", 6, Decimal("300000")),  # 360,000 → maximum
    ],
)
def test_concealed_accident_reward(grade, deaths, expected):
    assert (
        reward_hint(basis="concealed_deaths", concealed_deaths=deaths, accident_grade=grade).amount
        == expected
    )


def test_reward_hint_without_input():
    assert reward_hint(basis="fine").amount is None
    assert reward_hint(basis="concealed_deaths", concealed_deaths=2).amount is None
    assert reward_hint(basis="none").amount is None

"""办结 by the first-accepting org, the reward hint, and the later 奖励兑现 record."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.reports.actions.accept import report_accept
from apps.reports.actions.close import report_close, report_reward_record
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report
from apps.reports.selectors import pending_rewards_for
from tests.reports.helpers import chain_to_jinshui, events, hop, new_report, run_to_verifying, sms_for, verify

pytestmark = pytest.mark.django_db

CLOSE = dict(conclusion="true", summary="核查属实", decision="罚款5万元", penalty_amount="50000")


def reviewed(world):
    return verify(world, run_to_verifying(world))


def test_close_by_first_accepting_org(world):
    report = report_close(
        actor=world.users.jinshui,
        report=reviewed(world),
        notify_reporter=True,
        reward_status="paid",
        reward_amount="7500",
        reward_paid_on=timezone.localdate(),
        **CLOSE,
    )
    assert report.status == Report.Status.CLOSED and report.closed_at is not None
    assert (report.conclusion, report.penalty_amount, report.reward_amount) == (
        "true",
        Decimal("50000.00"),
        Decimal("7500.00"),
    )
    assert report.reward_paid
    assert hop(report, world.orgs.jinshui).state == Handling.State.CLOSED
    event = events(report, "close").get()
    assert event.public_text == "已办结，核查结论：属实" and event.actor == world.users.jinshui
    sms = sms_for(report, "closed").get()
    assert "核查属实" in sms.text


def test_close_without_sms_and_for_anonymous(world):
    report = report_close(actor=world.users.jinshui, report=reviewed(world), **CLOSE)
    assert not sms_for(report).exists()
    anon = verify(world, run_to_verifying(world, new_report(world, anonymous=True)))
    report_close(actor=world.users.jinshui, report=anon, notify_reporter=True, **CLOSE)
    assert not sms_for(anon).exists()


def test_close_before_feedback_is_invalid(world):
    report = run_to_verifying(world)
    with pytest.raises(InvalidTransition, match="已转办待反馈"):
        report_close(actor=world.users.jinshui, report=report, **CLOSE)
    fresh = report_accept(actor=world.users.jinshui, report=new_report(world))
    with pytest.raises(InvalidTransition):
        report_close(actor=world.users.jinshui, report=fresh, **CLOSE)


def test_close_denied_to_department_and_others(world):
    report = reviewed(world)
    with pytest.raises(InvalidTransition):  # the department's hop is FED_BACK: nothing to close
        report_close(actor=world.users.jinshui_dept, report=report, **CLOSE)
    for who in ("zhengzhou", "zhongyuan", "auditor"):
        with pytest.raises(PermissionDeniedForAction):
            report_close(actor=getattr(world.users, who), report=report, **CLOSE)


def test_only_org_that_first_accepted_closes(world):
    report = chain_to_jinshui(world)
    report_accept(actor=world.users.jinshui, report=report)
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    verify(world, report)
    with pytest.raises(InvalidTransition, match="只有最先受理该举报的单位可以办结"):
        report_close(actor=world.users.jinshui, report=report, **CLOSE)
    report_feedback(actor=world.users.jinshui, report=report)
    with pytest.raises(InvalidTransition, match="只有最先受理该举报的单位可以办结"):
        report_close(actor=world.users.zhengzhou, report=report, **CLOSE)
    report_feedback(actor=world.users.zhengzhou, report=report)
    report = report_close(actor=world.users.henan, report=report, **CLOSE)
    assert report.status == Report.Status.CLOSED
    assert events(report, "close").get().org == world.orgs.henan


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"conclusion": "?"}, "核查结论"),
        ({"summary": ""}, "简要核查情况"),
        ({"reward_status": "paid"}, "奖励金额"),
        ({"reward_status": "paid", "reward_amount": "0"}, "大于0"),
        ({"reward_status": "paid", "reward_amount": "300000.01"}, "30万元"),
        ({"reward_status": "none", "reward_amount": "100"}, "无奖励"),
        ({"reward_status": "pending", "conclusion": "false"}, "不属实"),
        ({"reward_status": "bogus"}, "奖励情况"),
        ({"reward_status": "paid", "reward_amount": "100", "reward_paid_on": "2999-01-01"}, "晚于今天"),
        ({"reward_status": "paid", "reward_amount": "100", "reward_paid_on": "yesterday"}, "格式"),
        ({"penalty_amount": "1e400"}, "处罚金额"),
    ],
)
def test_close_bad_input_changes_nothing(world, fields, message):
    report = reviewed(world)
    with pytest.raises(ReportActionError, match=message):
        report_close(actor=world.users.jinshui, report=report, **{**CLOSE, **fields})
    report.refresh_from_db()
    assert report.status == Report.Status.VERIFYING
    assert not events(report, "close").exists()


def test_pending_reward_listed_until_recorded(world):
    report = report_close(actor=world.users.jinshui, report=reviewed(world), reward_status="pending", **CLOSE)
    assert list(pending_rewards_for(world.users.jinshui)) == [report]
    assert list(pending_rewards_for(world.users.henan)) == [report]  # superiors see it too
    with pytest.raises(PermissionDeniedForAction):
        report_reward_record(actor=world.users.zhengzhou, report=report, amount="7500")
    with pytest.raises(InvalidTransition, match="不能录入奖励兑现情况"):  # its hop is FED_BACK, not the root
        report_reward_record(actor=world.users.jinshui_dept, report=report, amount="7500")
    with pytest.raises(ReportActionError, match="大于0"):
        report_reward_record(actor=world.users.jinshui, report=report, amount="0")
    report = report_reward_record(
        actor=world.users.jinshui, report=report, amount="7500", paid_on=timezone.localdate()
    )
    assert report.reward_status == Report.RewardStatus.PAID and report.reward_amount == Decimal("7500.00")
    assert list(pending_rewards_for(world.users.jinshui)) == []
    event = events(report, "reward_record").get()
    assert event.public_text == "举报奖励已兑现" and "7500" in event.comment
    with pytest.raises(InvalidTransition, match="已兑现"):
        report_reward_record(actor=world.users.jinshui, report=report, amount="7500")


def test_reward_record_needs_a_pending_reward_and_a_closed_report(world):
    report = report_close(actor=world.users.jinshui, report=reviewed(world), **CLOSE)
    with pytest.raises(InvalidTransition, match="未登记待兑现奖励"):
        report_reward_record(actor=world.users.jinshui, report=report, amount="100")
    open_report = reviewed(world)
    with pytest.raises(InvalidTransition):
        report_reward_record(actor=world.users.jinshui, report=open_report, amount="100")


def test_reward_paid_date_not_before_closing(world):
    report = report_close(actor=world.users.jinshui, report=reviewed(world), reward_status="pending", **CLOSE)
    with pytest.raises(ReportActionError, match="早于办结日期"):
        report_reward_record(
            actor=world.users.jinshui,
            report=report,
            amount="100",
            paid_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_database_refuses_reward_on_open_report_and_paid_without_amount(world):
    report = new_report(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=report.pk).update(reward_status="pending")
    closed = report_close(actor=world.users.jinshui, report=reviewed(world), reward_status="pending", **CLOSE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.filter(pk=closed.pk).update(reward_status="paid", reward_amount=None)

import datetime as dt

import pytest

from apps.inbox.models import Message
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report, ReportEvent
from apps.sms.models import SmsOutbox
from apps.supervision.actions import report_supervise
from apps.supervision.models import Stage, Supervision
from tests.supervision.world import TODAY, chain

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

DUE = dt.date(2026, 10, 9)


@pytest.fixture
def verifying(world):
    """河南省 accepted and passed it down; 金水区's department is verifying; due in 3 working days."""
    w = world.orgs
    return chain(
        world,
        [
            (w.henan, S.DISPATCHED),
            (w.zhengzhou, S.DISPATCHED),
            (w.jinshui, S.DISPATCHED),
            (w.jinshui_dept, S.VERIFYING),
        ],
        result_due=dt.date(2026, 9, 30),
    )


def snapshot():
    return (
        Supervision.objects.count(),
        ReportEvent.objects.count(),
        Message.objects.count(),
        SmsOutbox.objects.count(),
    )


def test_superior_supervises_the_org_the_work_is_with(world, verifying, on_today):
    before = snapshot()
    sup = report_supervise(
        actor=world.users.henan, report=verifying, comment="请于国庆前报送核查结果", due_date=DUE
    )
    assert (sup.stage, sup.deadline, sup.supervised_org, sup.supervising_org, sup.supervisor) == (
        Stage.RESULT,
        dt.date(2026, 9, 30),
        world.orgs.jinshui,
        world.orgs.henan,
        world.users.henan,
    )
    assert sup.handling.org == world.orgs.jinshui_dept
    assert ReportEvent.objects.filter(report=verifying).latest("id").handling == sup.handling
    event = ReportEvent.objects.filter(report=verifying).latest("id")
    assert (event.action, event.actor, event.org, event.target_org) == (
        "supervise",
        world.users.henan,
        world.orgs.henan,
        world.orgs.jinshui,
    )
    assert "请于国庆前报送核查结果" in event.comment and "2026年10月9日" in event.comment
    assert event.public_text == ""  # 督办 is internal: the reporter's timeline does not show it
    message = Message.objects.get(kind=Message.Kind.SUPERVISED)
    assert message.recipient_org == world.orgs.jinshui and message.report == verifying
    assert verifying.number in message.text and "河南省应急管理厅" in message.text
    assert snapshot() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])  # no SMS for 督办
    verifying.refresh_from_db()
    assert verifying.status == R.VERIFYING  # 督办 changes no state


def test_acceptance_stage_is_supervised_at_the_pending_org(world, on_today):
    w = world.orgs
    report = chain(
        world,
        [(w.henan, S.DISPATCHED), (w.zhengzhou, S.PENDING)],
        accept_due=dt.date(2026, 9, 22),
        result_due=dt.date(2026, 12, 1),
    )
    sup = report_supervise(actor=world.users.ministry, report=report, comment="请尽快受理", due_date=DUE)
    assert (sup.stage, sup.supervised_org, sup.deadline) == (
        Stage.ACCEPTANCE,
        w.zhengzhou,
        dt.date(2026, 9, 22),
    )


@pytest.mark.parametrize("who", ["jinshui", "jinshui_dept", "zhongyuan", "hebei", "auditor", "henan_dept"])
def test_only_a_superior_of_the_answering_org_may_supervise(world, verifying, on_today, who):
    before = snapshot()
    with pytest.raises(PermissionDeniedForAction):
        report_supervise(actor=getattr(world.users, who), report=verifying, comment="督办", due_date=DUE)
    assert snapshot() == before


@pytest.mark.parametrize(
    "status,states",
    [
        (R.CLOSED, [S.CLOSED, S.FED_BACK]),
        (R.DEFERRED, [S.DEFERRED]),
    ],
)
def test_nothing_to_supervise_in_a_finished_or_waiting_report(world, on_today, status, states):
    w = world.orgs
    report = chain(
        world,
        list(zip([w.zhengzhou, w.jinshui], states, strict=False)),
        status=status,
        result_due=dt.date(2026, 9, 22),
    )
    before = snapshot()
    with pytest.raises(InvalidTransition):
        report_supervise(actor=world.users.henan, report=report, comment="督办", due_date=DUE)
    assert snapshot() == before


@pytest.mark.parametrize(
    "comment,due,message",
    [
        ("  ", DUE, "请填写督办意见。"),
        ("督办", TODAY - dt.timedelta(days=1), "要求办结日期不能早于今天。"),
        ("督办", "2026-13-01", "请填写正确的要求办结日期（如 2025-01-31）。"),
        ("督办", TODAY + dt.timedelta(days=400), "要求办结日期不能晚于一年以后。"),
        ("督" * 1001, DUE, "督办意见不能超过1000个字。"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, verifying, on_today, comment, due, message):
    before = snapshot()
    with pytest.raises(ReportActionError) as exc:
        report_supervise(actor=world.users.henan, report=verifying, comment=comment, due_date=due)
    assert exc.value.message == message
    assert snapshot() == before


def test_due_date_as_text_is_accepted(world, verifying, on_today):
    sup = report_supervise(
        actor=world.users.zhengzhou, report=verifying, comment="督办", due_date="2026-10-09"
    )
    assert sup.due_date == DUE and sup.supervised_org == world.orgs.jinshui

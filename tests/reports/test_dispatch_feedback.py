"""转办, 核查反馈 one hop at a time, 退回重新核查."""

import pytest

from apps.orgs.models import Org
from apps.reports.actions.accept import report_accept
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback, report_return
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report
from tests.factories import OrgFactory
from tests.reports.helpers import (
    chain_to_jinshui,
    events,
    hop,
    messages_for,
    new_report,
    run_to_verifying,
    verify,
)

pytestmark = pytest.mark.django_db
S = Handling.State


def test_dispatch_to_internal_department_starts_verification_with_identity(world):
    report = run_to_verifying(world)
    assert report.status == Report.Status.VERIFYING
    assert hop(report, world.orgs.jinshui).state == S.DISPATCHED
    child = hop(report, world.orgs.jinshui_dept)
    assert (
        child.state == S.VERIFYING
        and child.holds_identity
        and child.parent == hop(report, world.orgs.jinshui)
    )
    event = events(report, "dispatch").get()
    assert event.target_org == world.orgs.jinshui_dept and event.from_state == "accepted"
    assert event.public_text
    assert messages_for(report, world.orgs.jinshui_dept, "new_report").count() == 1


def test_dispatch_to_subordinate_needs_acceptance_and_carries_no_identity(world):
    report = new_report(world, world.orgs.henan, channel=world.letter)
    report_accept(actor=world.users.henan, report=report)
    report_dispatch(actor=world.users.henan, report=report, target_org=world.orgs.zhengzhou.pk)
    child = hop(report, world.orgs.zhengzhou)
    assert child.state == S.PENDING and not child.holds_identity and child.accept_due is not None
    assert messages_for(report, world.orgs.zhengzhou, "new_report").count() == 1


def test_dispatch_only_to_own_departments_and_direct_subordinates(world):
    report = new_report(world, world.orgs.henan, channel=world.letter)
    report_accept(actor=world.users.henan, report=report)
    for target in (
        world.orgs.jinshui,
        world.orgs.hebei,
        world.orgs.zhengzhou_dept,
        world.orgs.henan,
        999999,
        "x",
    ):
        with pytest.raises(ReportActionError, match="内设机构或直属下级机构"):
            report_dispatch(actor=world.users.henan, report=report, target_org=target)
    inactive = OrgFactory(name="停用科", kind=Org.Kind.INTERNAL, parent=world.orgs.henan, level="province")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ReportActionError):
        report_dispatch(actor=world.users.henan, report=report, target_org=inactive)
    assert hop(report, world.orgs.henan).state == S.ACCEPTED
    assert not events(report, "dispatch").exists()


def test_dispatch_before_acceptance_is_invalid(world):
    report = new_report(world)
    with pytest.raises(InvalidTransition, match="待受理"):
        report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)


def test_dispatch_denied_to_other_org(world):
    report = report_accept(actor=world.users.jinshui, report=new_report(world))
    with pytest.raises(PermissionDeniedForAction):
        report_dispatch(actor=world.users.zhongyuan, report=report, target_org=world.orgs.jinshui_dept)
    with pytest.raises(PermissionDeniedForAction):
        report_dispatch(actor=world.users.auditor, report=report, target_org=world.orgs.jinshui_dept)


def test_feedback_records_verification_and_moves_parent_to_review(world):
    report = verify(world, run_to_verifying(world))
    child, parent = hop(report, world.orgs.jinshui_dept), hop(report, world.orgs.jinshui)
    assert child.state == S.FED_BACK and parent.state == S.REVIEWING
    v = report.verifications.get()
    assert (v.conclusion, str(v.penalty_amount), v.handling) == ("true", "50000.00", child)
    event = events(report, "feedback").get()
    assert event.org == world.orgs.jinshui_dept and event.target_org == world.orgs.jinshui
    assert event.public_text == ""  # internal step
    assert messages_for(report, world.orgs.jinshui, "fed_back").count() == 1


def test_owning_org_may_record_its_departments_verification(world):
    report = verify(world, run_to_verifying(world), actor=world.users.jinshui)
    assert hop(report, world.orgs.jinshui_dept).state == S.FED_BACK


def test_feedback_requires_conclusion_and_summary(world):
    report = run_to_verifying(world)
    with pytest.raises(ReportActionError, match="核查结论"):
        verify(world, report, conclusion="maybe")
    with pytest.raises(ReportActionError, match="简要核查情况"):
        verify(world, report, summary="")
    with pytest.raises(ReportActionError, match="处罚金额"):
        verify(world, report, penalty_amount="-5")
    with pytest.raises(ReportActionError, match="处罚金额"):
        verify(world, report, penalty_amount="abc")
    assert hop(report, world.orgs.jinshui_dept).state == S.VERIFYING
    assert not report.verifications.exists()


def test_feedback_denied_to_other_orgs_and_root(world):
    report = run_to_verifying(world)
    with pytest.raises(PermissionDeniedForAction):
        verify(world, report, actor=world.users.zhongyuan)
    with pytest.raises(PermissionDeniedForAction):
        verify(world, report, actor=world.users.zhengzhou_dept)
    verify(world, report)
    # The first-accepting org closes; it has nobody to feed back to.
    with pytest.raises(InvalidTransition, match="请直接办结"):
        report_feedback(actor=world.users.jinshui, report=report)


def test_feedback_twice_is_invalid(world):
    report = verify(world, run_to_verifying(world))
    with pytest.raises(InvalidTransition):
        verify(world, report)


def test_return_for_reverification_and_second_round(world):
    report = verify(world, run_to_verifying(world))
    report_return(actor=world.users.jinshui, report=report, reason="未附处罚决定书")
    assert hop(report, world.orgs.jinshui).state == S.DISPATCHED
    assert hop(report, world.orgs.jinshui_dept).state == S.VERIFYING
    assert report.verifications.get().returned_reason == "未附处罚决定书"
    assert events(report, "return").get().target_org == world.orgs.jinshui_dept
    assert messages_for(report, world.orgs.jinshui_dept, "returned").count() == 1
    verify(world, report, summary="补充处罚决定书")
    assert report.verifications.count() == 2
    assert hop(report, world.orgs.jinshui).state == S.REVIEWING


def test_return_needs_reason_and_reviewing_state(world):
    report = run_to_verifying(world)
    with pytest.raises(InvalidTransition, match="已转办待反馈"):
        report_return(actor=world.users.jinshui, report=report, reason="x")
    verify(world, report)
    with pytest.raises(ReportActionError, match="退回原因"):
        report_return(actor=world.users.jinshui, report=report, reason=" ")
    with pytest.raises(PermissionDeniedForAction):
        report_return(actor=world.users.zhengzhou, report=report, reason="x")


def test_feedback_travels_up_one_hop_at_a_time(world):
    report = chain_to_jinshui(world)
    report_accept(actor=world.users.jinshui, report=report)
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    verify(world, report)
    states = lambda: {h.org.code: h.state for h in report.handlings.select_related("org")}  # noqa: E731
    assert states() == {
        "EM410000": S.DISPATCHED,
        "EM410100": S.DISPATCHED,
        "EM410105": S.REVIEWING,
        "EM410105-D01": S.FED_BACK,
    }
    # 郑州市 cannot skip 金水区's review, nor can 河南省 close yet.
    with pytest.raises(InvalidTransition):
        report_feedback(actor=world.users.zhengzhou, report=report)
    report_feedback(actor=world.users.jinshui, report=report, comment="经审核属实")
    assert states()["EM410105"] == S.FED_BACK and states()["EM410100"] == S.REVIEWING
    assert states()["EM410000"] == S.DISPATCHED
    report_feedback(actor=world.users.zhengzhou, report=report)
    assert states()["EM410100"] == S.FED_BACK and states()["EM410000"] == S.REVIEWING
    assert [e.org.code for e in events(report, "feedback")] == ["EM410105-D01", "EM410105", "EM410100"]


def test_return_from_top_goes_down_one_hop_and_can_go_further(world):
    report = chain_to_jinshui(world)
    report_accept(actor=world.users.jinshui, report=report)
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    verify(world, report)
    report_feedback(actor=world.users.jinshui, report=report)
    report_feedback(actor=world.users.zhengzhou, report=report)
    report_return(actor=world.users.henan, report=report, reason="证据不足")
    assert hop(report, world.orgs.zhengzhou).state == S.REVIEWING  # it only passed the result on
    assert hop(report, world.orgs.jinshui).state == S.FED_BACK
    report_return(actor=world.users.zhengzhou, report=report, reason="请补充证据")
    assert hop(report, world.orgs.jinshui).state == S.REVIEWING
    report_return(actor=world.users.jinshui, report=report, reason="请补充证据")
    assert hop(report, world.orgs.jinshui_dept).state == S.VERIFYING


def test_subordinate_report_reaches_no_identity(world):
    from apps.reports.actions.identity import may_view_reporter

    report = chain_to_jinshui(world)
    report_accept(actor=world.users.jinshui, report=report)
    report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)
    assert not hop(report, world.orgs.jinshui_dept).holds_identity
    assert may_view_reporter(world.users.henan, report)
    for who in ("zhengzhou", "jinshui", "jinshui_dept", "henan_dept", "auditor"):
        assert not may_view_reporter(getattr(world.users, who), report), who

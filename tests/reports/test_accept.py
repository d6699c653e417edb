"""受理 / 暂不受理 / 不予受理 / 退回上级: allowed, denied, wrong state, 流转记录, messages and SMS."""

import pytest

from apps.reports.actions.accept import report_accept, report_defer, report_hand_back, report_reject
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report
from tests.reports.helpers import chain_to_jinshui, events, hop, messages_for, new_report, sms_for

pytestmark = pytest.mark.django_db


def test_report_create_puts_report_in_receiving_orgs_worklist(world):
    report = new_report(world)
    first = hop(report, world.orgs.jinshui)
    assert report.status == Report.Status.RECEIVED
    assert first.state == Handling.State.PENDING and first.holds_identity
    assert first.accept_due == report.accept_due
    assert events(report, "create").count() == 1
    assert messages_for(report, world.orgs.jinshui, "new_report").count() == 1


def test_accept_starts_result_clock_and_records_event(world):
    report = new_report(world)
    report = report_accept(actor=world.users.jinshui, report=report, comment="属实可查", notify_reporter=True)
    assert report.status == Report.Status.ACCEPTED
    assert report.accepting_org == world.orgs.jinshui
    assert report.result_due is not None and report.accepted_at is not None
    first = hop(report, world.orgs.jinshui)
    assert first.state == Handling.State.ACCEPTED and first.dispatch_due is not None
    event = events(report, "accept").get()
    assert (event.actor, event.org, event.from_status, event.to_status) == (
        world.users.jinshui,
        world.orgs.jinshui,
        "received",
        "accepted",
    )
    assert event.from_state == "pending" and event.to_state == "accepted"
    assert event.comment == "属实可查" and event.public_text == "举报已受理"
    sms = sms_for(report, "accepted").get()
    assert sms.to_phone == "13800138000"
    assert f"尾号{report.receipt_tail}" in sms.text


def test_accept_without_sms_queues_none(world):
    report = report_accept(actor=world.users.jinshui, report=new_report(world))
    assert not sms_for(report).exists()


def test_internal_department_user_of_org_may_not_accept_for_parent(world):
    # Acting for a parent org is not a department's power; the reverse (the org recording its
    # department's verification) is.
    report = new_report(world)
    with pytest.raises(PermissionDeniedForAction):
        report_accept(actor=world.users.jinshui_dept, report=report)


@pytest.mark.parametrize("who", ["zhongyuan", "zhengzhou", "henan", "hebei"])
def test_accept_denied_for_other_orgs(world, who):
    report = new_report(world)
    with pytest.raises(PermissionDeniedForAction, match="不是该举报单的办理单位"):
        report_accept(actor=getattr(world.users, who), report=report)
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED
    assert events(report).count() == 1


def test_accept_denied_for_auditor(world):
    report = new_report(world, world.orgs.henan)
    with pytest.raises(PermissionDeniedForAction, match="审计管理员"):
        report_accept(actor=world.users.auditor, report=report)


def test_system_admin_of_the_org_may_handle(world):
    report = new_report(world, world.orgs.henan)
    assert report_accept(actor=world.users.henan_admin, report=report).status == Report.Status.ACCEPTED


def test_accept_twice_is_invalid_transition(world):
    report = report_accept(actor=world.users.jinshui, report=new_report(world))
    with pytest.raises(InvalidTransition, match="已受理待转办"):
        report_accept(actor=world.users.jinshui, report=report)
    assert events(report, "accept").count() == 1


def test_defer_then_accept(world):
    report = report_defer(actor=world.users.jinshui, report=new_report(world), missing="现场照片")
    assert report.status == Report.Status.DEFERRED and report.supplement_request == "现场照片"
    assert hop(report, world.orgs.jinshui).state == Handling.State.DEFERRED
    sms = sms_for(report, "deferred_supplement").get()
    assert "现场照片" in sms.text
    assert events(report, "defer").get().public_text.endswith("现场照片")
    with pytest.raises(InvalidTransition):
        report_defer(actor=world.users.jinshui, report=report, missing="再补")
    assert report_accept(actor=world.users.jinshui, report=report).status == Report.Status.ACCEPTED


def test_defer_requires_what_is_missing(world):
    report = new_report(world)
    with pytest.raises(ReportActionError, match="需补正内容"):
        report_defer(actor=world.users.jinshui, report=report, missing="  ")
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_defer_of_anonymous_report_sends_no_sms(world):
    report = report_defer(actor=world.users.jinshui, report=new_report(world, anonymous=True), missing="照片")
    assert report.status == Report.Status.DEFERRED
    assert not sms_for(report).exists()


def test_reject_no_evidence(world):
    report = report_reject(
        actor=world.users.jinshui, report=new_report(world), reason="no_evidence", detail="企业名称、具体位置"
    )
    assert report.status == Report.Status.REJECTED and report.reject_reason == "no_evidence"
    assert hop(report, world.orgs.jinshui).state == Handling.State.REJECTED
    assert "企业名称、具体位置" in sms_for(report, "rejected_no_evidence").get().text
    assert events(report, "reject").get().to_status == "rejected"


def test_reject_no_evidence_needs_the_list(world):
    report = new_report(world)
    with pytest.raises(ReportActionError, match="补正的全部内容"):
        report_reject(actor=world.users.jinshui, report=report, reason="no_evidence")
    assert not sms_for(report).exists()


def test_reject_duplicate_links_earlier_report(world):
    earlier = report_accept(actor=world.users.jinshui, report=new_report(world))
    report = report_reject(
        actor=world.users.jinshui, report=new_report(world), reason="duplicate", duplicate_of=earlier
    )
    assert report.duplicate_of == earlier
    assert earlier.number in sms_for(report, "rejected_duplicate").get().text


def _earlier_in(world, status):
    """An earlier report of 金水区, brought to `status` by the real actions."""
    from apps.reports.actions.close import report_close
    from tests.reports.helpers import run_to_verifying, verify

    earlier, jinshui = new_report(world), world.users.jinshui
    if status == "deferred":
        report_defer(actor=jinshui, report=earlier, missing="现场照片", notify_reporter=False)
    elif status == "rejected":
        report_reject(
            actor=jinshui, report=earlier, reason="no_evidence", detail="现场照片", notify_reporter=False
        )
    elif status == "accepted":
        report_accept(actor=jinshui, report=earlier)
    elif status in ("verifying", "closed"):
        run_to_verifying(world, earlier)
        if status == "closed":
            verify(world, earlier)
            report_close(actor=jinshui, report=earlier, conclusion="true", summary="核查属实")
    earlier.refresh_from_db()
    assert earlier.status == status
    return earlier


@pytest.mark.parametrize("status", ["accepted", "verifying", "closed"])
def test_reject_duplicate_of_a_report_in_hand_or_closed(world, status):
    earlier = _earlier_in(world, status)
    report = report_reject(
        actor=world.users.jinshui, report=new_report(world), reason="duplicate", duplicate_of=earlier.pk
    )
    assert report.status == Report.Status.REJECTED and report.duplicate_of == earlier


@pytest.mark.parametrize("status", ["received", "deferred", "rejected"])
def test_reject_duplicate_refuses_an_earlier_report_never_accepted(world, status):
    # The SMS tells the reporter the matter "已办结或正在办理中": not true of these.
    earlier = _earlier_in(world, status)
    report = new_report(world)
    with pytest.raises(ReportActionError, match="只能选择已受理、核查中或已办结的举报单") as refused:
        report_reject(actor=world.users.jinshui, report=report, reason="duplicate", duplicate_of=earlier)
    assert earlier.number in refused.value.message
    report.refresh_from_db()
    assert (report.status, report.duplicate_of_id) == (Report.Status.RECEIVED, None)
    assert hop(report, world.orgs.jinshui).state == Handling.State.PENDING
    assert not events(report, "reject").exists() and not sms_for(report).exists()


def test_reject_duplicate_refuses_report_outside_scope(world):
    elsewhere = new_report(world, world.orgs.hebei, region_code="130100")
    report = new_report(world)
    with pytest.raises(ReportActionError, match="不在您的查看范围内"):
        report_reject(actor=world.users.jinshui, report=report, reason="duplicate", duplicate_of=elsewhere)
    with pytest.raises(ReportActionError, match="不能是本举报单"):
        report_reject(actor=world.users.jinshui, report=report, reason="duplicate", duplicate_of=report)
    with pytest.raises(ReportActionError, match="原举报单"):
        report_reject(actor=world.users.jinshui, report=report, reason="duplicate")


def test_reject_not_our_duty_names_department(world):
    report = report_reject(
        actor=world.users.jinshui,
        report=new_report(world),
        reason="not_our_duty",
        referred_department="市场监督管理局",
    )
    assert report.referred_department == "市场监督管理局"
    assert "市场监督管理局" in sms_for(report, "rejected_not_our_duty").get().text


def test_reject_not_our_duty_defaults_to_industrys_department(world):
    from apps.catalogs.models import Industry

    road = Industry.objects.get(code="road_traffic")
    report = report_reject(
        actor=world.users.jinshui,
        report=new_report(world, industry=road),
        reason="not_our_duty",
        notify_reporter=False,
    )
    assert report.referred_department == road.competent_department
    assert not sms_for(report).exists()


def test_reject_unknown_reason(world):
    with pytest.raises(ReportActionError, match="原因"):
        report_reject(actor=world.users.jinshui, report=new_report(world), reason="bogus")


def test_rejected_report_cannot_be_accepted(world):
    report = report_reject(
        actor=world.users.jinshui, report=new_report(world), reason="no_evidence", detail="照片"
    )
    with pytest.raises(InvalidTransition, match="不予受理"):
        report_accept(actor=world.users.jinshui, report=report)


def test_sms_with_bad_phone_refuses_whole_action(world):
    report = new_report(world)
    Report.objects.filter(pk=report.pk).update(reporter_phone="12345")
    report.refresh_from_db()
    with pytest.raises(ReportActionError, match="短信未能发送"):
        report_accept(actor=world.users.jinshui, report=report, notify_reporter=True)
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED
    assert not events(report, "accept").exists()


# ---- a subordinate's acceptance of a dispatched report ----


def test_subordinate_accepts_without_changing_report(world):
    report = chain_to_jinshui(world)
    before = Report.objects.get(pk=report.pk)
    report_accept(actor=world.users.jinshui, report=report)
    after = Report.objects.get(pk=report.pk)
    assert after.accepting_org == world.orgs.henan
    assert (after.status, after.result_due, after.accepted_at) == (
        before.status,
        before.result_due,
        before.accepted_at,
    )
    assert hop(report, world.orgs.jinshui).state == Handling.State.ACCEPTED
    assert events(report, "accept").last().public_text == ""


def test_subordinate_cannot_defer_or_reject(world):
    report = chain_to_jinshui(world)
    with pytest.raises(InvalidTransition, match="只能受理或退回上级"):
        report_defer(actor=world.users.jinshui, report=report, missing="照片")
    with pytest.raises(InvalidTransition, match="只能受理或退回上级"):
        report_reject(actor=world.users.jinshui, report=report, reason="no_evidence", detail="x")


def test_hand_back_returns_report_to_superior(world):
    report = chain_to_jinshui(world)
    report_hand_back(actor=world.users.jinshui, report=report, reason="不在本区辖区")
    assert hop(report, world.orgs.jinshui).state == Handling.State.HANDED_BACK
    parent = hop(report, world.orgs.zhengzhou)
    assert parent.state == Handling.State.ACCEPTED and parent.dispatch_due is not None
    event = events(report, "hand_back").get()
    assert event.org == world.orgs.jinshui and event.target_org == world.orgs.zhengzhou
    assert messages_for(report, world.orgs.zhengzhou, "new_report").filter(text__contains="退回").exists()
    # 郑州市 may now dispatch it elsewhere, e.g. to 中原区.
    from apps.reports.actions.dispatch import report_dispatch

    report_dispatch(actor=world.users.zhengzhou, report=report, target_org=world.orgs.zhongyuan)
    assert hop(report, world.orgs.zhongyuan).state == Handling.State.PENDING


def test_hand_back_needs_reason_and_a_superior(world):
    report = chain_to_jinshui(world)
    with pytest.raises(ReportActionError, match="退回原因"):
        report_hand_back(actor=world.users.jinshui, report=report, reason="")
    own = new_report(world)
    with pytest.raises(InvalidTransition, match="没有可退回的上级单位"):
        report_hand_back(actor=world.users.jinshui, report=own, reason="不归我管")

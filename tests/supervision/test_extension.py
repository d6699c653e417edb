import datetime as dt

import pytest

from apps.inbox.models import Message
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.reports.models import Handling, Report, ReportEvent
from apps.sms.models import SmsOutbox
from apps.supervision.actions import report_extension_decide, report_extension_request
from apps.supervision.models import ExtensionRequest
from apps.supervision.selectors import supervision_candidates
from apps.workcalendar.calendar import deadline_badge_text, deadline_state
from tests.supervision.world import TODAY, chain, today_is

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

RESULT_DUE = dt.date(2026, 9, 30)  # a Wednesday, the eve of 国庆节


@pytest.fixture
def handling(world):
    """郑州市 accepted the report and dispatched it to 金水区, whose department is verifying."""
    w = world.orgs
    return chain(
        world,
        [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
        result_due=RESULT_DUE,
    )


def snapshot():
    return (
        ExtensionRequest.objects.count(),
        ReportEvent.objects.count(),
        Message.objects.count(),
        SmsOutbox.objects.count(),
    )


def request(world, report, who="jinshui", days=10, reason="涉及多家企业，需联合调查"):
    return report_extension_request(actor=getattr(world.users, who), report=report, reason=reason, days=days)


# ---- 延期申请 ----


def test_the_handling_org_asks_its_superior(world, handling, on_today):
    before = snapshot()
    ext = request(world, handling)
    assert (ext.state, ext.requesting_org, ext.approver_org, ext.days, ext.due_before) == (
        ExtensionRequest.State.PENDING,
        world.orgs.jinshui,
        world.orgs.zhengzhou,
        10,
        RESULT_DUE,
    )
    event = ReportEvent.objects.filter(report=handling).latest("id")
    assert (event.action, event.org, event.target_org, event.public_text) == (
        "extension_request",
        world.orgs.jinshui,
        world.orgs.zhengzhou,
        "",
    )
    assert "10日" in event.comment and "涉及多家企业" in event.comment
    message = Message.objects.get(kind=Message.Kind.EXTENSION_REQUESTED)
    assert message.recipient_org == world.orgs.zhengzhou and message.url == "/supervision/extensions/"
    assert snapshot() == (before[0] + 1, before[1] + 1, before[2] + 1, before[3])
    handling.refresh_from_db()
    assert handling.result_due == RESULT_DUE  # nothing moves before the decision


def test_the_accepting_org_may_ask_too(world, handling, on_today):
    assert request(world, handling, who="zhengzhou").approver_org == world.orgs.henan


@pytest.mark.parametrize("who", ["zhongyuan", "hebei", "henan", "auditor", "jinshui_dept"])
def test_orgs_not_handling_it_may_not_ask(world, handling, on_today, who):
    before = snapshot()
    with pytest.raises(PermissionDeniedForAction):
        request(world, handling, who=who)
    assert snapshot() == before


def test_an_org_that_has_not_accepted_may_not_ask(world, on_today):
    w = world.orgs
    report = chain(world, [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.PENDING)], result_due=RESULT_DUE)
    with pytest.raises(PermissionDeniedForAction):
        request(world, report)


def test_not_after_feedback_nor_once_closed(world, on_today):
    w = world.orgs
    fed_back = chain(world, [(w.zhengzhou, S.REVIEWING), (w.jinshui, S.FED_BACK)], result_due=RESULT_DUE)
    with pytest.raises(InvalidTransition, match="已反馈"):
        request(world, fed_back)
    closed = chain(
        world, [(w.zhengzhou, S.CLOSED), (w.jinshui, S.FED_BACK)], status=R.CLOSED, result_due=RESULT_DUE
    )
    with pytest.raises(InvalidTransition, match="已办结"):
        request(world, closed, who="zhengzhou")


def test_not_after_the_deadline(world, handling):
    with (
        today_is(dt.date(2026, 10, 8)),
        pytest.raises(InvalidTransition, match="核查期限（2026年9月30日）已过"),
    ):
        request(world, handling)
    with today_is(RESULT_DUE):  # the last day still counts
        assert request(world, handling).state == ExtensionRequest.State.PENDING


def test_one_pending_request_at_a_time(world, handling, on_today):
    request(world, handling)
    with pytest.raises(InvalidTransition, match="已有待审批的延期申请"):
        request(world, handling, who="zhengzhou")


@pytest.mark.parametrize(
    "days,reason,message",
    [
        (0, "理由", "延期天数必须是1到30之间的整数。"),
        (31, "理由", "延期天数必须是1到30之间的整数。"),
        ("十", "理由", "延期天数必须是1到30之间的整数。"),
        (5, "", "请填写申请理由。"),
    ],
)
def test_bad_input(world, handling, on_today, days, reason, message):
    before = snapshot()
    with pytest.raises(ReportActionError) as exc:
        request(world, handling, days=days, reason=reason)
    assert exc.value.message == message
    assert snapshot() == before


def test_thirty_days_in_total(world, handling, on_today):
    ext = request(world, handling, days=20)
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")
    with pytest.raises(ReportActionError, match="已延期20日，最多还可申请10日"):
        request(world, handling, days=11)
    ext = request(world, handling, days=10)
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")
    handling.refresh_from_db()
    assert handling.extension_days == 30
    with pytest.raises(InvalidTransition, match="已延期30日"):
        request(world, handling, days=1)


# ---- 延期审批 ----


def test_approval_moves_the_deadline_in_calendar_days_past_the_holiday(world, handling, on_today):
    ext = request(world, handling, days=3)
    before = snapshot()
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="同意")
    handling.refresh_from_db()
    ext.refresh_from_db()
    # 30 Sep + 3 calendar days = 3 Oct, inside 国庆节: the period runs to the next working day.
    assert handling.result_due == dt.date(2026, 10, 8)
    assert handling.extension_days == 3
    assert (ext.state, ext.due_after, ext.decided_by, ext.decision_comment) == (
        ExtensionRequest.State.APPROVED,
        dt.date(2026, 10, 8),
        world.users.zhengzhou,
        "同意",
    )
    event = ReportEvent.objects.filter(report=handling).latest("id")
    assert event.action == "extension_approve"
    assert event.public_text == "案件情况复杂，经上级部门批准，已依法延长核查期限至2026年10月8日"
    assert "经办人" not in event.public_text  # no staff name on the reporter's timeline
    message = Message.objects.filter(kind=Message.Kind.EXTENSION_DECIDED).get()
    assert message.recipient_org == world.orgs.jinshui and "2026年10月8日" in message.text
    sms = SmsOutbox.objects.get(related=f"report:{handling.pk}", template_code="extended")
    assert sms.to_phone == "13800138000" and "2026年10月8日" in sms.text
    assert snapshot() == (before[0], before[1] + 1, before[2] + 1, before[3] + 1)


def test_no_sms_for_an_anonymous_reporter(world, on_today):
    w = world.orgs
    report = chain(
        world, [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.VERIFYING)], result_due=RESULT_DUE, anonymous=True
    )
    ext = request(world, report)
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")
    assert not SmsOutbox.objects.exists()


def test_rejection_needs_a_reason_and_moves_nothing(world, handling, on_today):
    ext = request(world, handling)
    with pytest.raises(ReportActionError, match="请填写审批意见"):
        report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=False, comment=" ")
    before = snapshot()
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=False, comment="理由不充分")
    handling.refresh_from_db()
    ext.refresh_from_db()
    assert handling.result_due == RESULT_DUE and handling.extension_days == 0
    assert ext.state == ExtensionRequest.State.REJECTED and ext.due_after is None
    event = ReportEvent.objects.filter(report=handling).latest("id")
    assert (event.action, event.public_text) == ("extension_reject", "")
    assert "理由不充分" in Message.objects.get(kind=Message.Kind.EXTENSION_DECIDED).text
    assert snapshot() == (before[0], before[1] + 1, before[2] + 1, before[3])


@pytest.mark.parametrize("who", ["jinshui", "henan", "ministry", "zhongyuan", "auditor", "zhengzhou_dept"])
def test_only_the_direct_superior_decides(world, handling, on_today, who):
    ext = request(world, handling)
    before = snapshot()
    with pytest.raises(PermissionDeniedForAction):
        report_extension_decide(actor=getattr(world.users, who), extension=ext, approve=True, comment="")
    assert snapshot() == before
    ext.refresh_from_db()
    assert ext.state == ExtensionRequest.State.PENDING


def test_a_decision_is_final(world, handling, on_today):
    ext = request(world, handling)
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=False, comment="不同意")
    with pytest.raises(InvalidTransition, match="已审批（未批准）"):
        report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")


def test_a_closed_report_can_only_be_refused(world, handling, on_today):
    ext = request(world, handling)
    Report.objects.filter(pk=handling.pk).update(status=R.CLOSED, closed_at=ext.created_at)
    with pytest.raises(InvalidTransition, match="请作不批准处理"):
        report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")
    report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=False, comment="已办结")


def test_deadline_badge_and_supervision_list_across_an_extension(world, handling):
    """Before the extension the report is 即将超期 and on the superiors' 督办 list; after 30 more
    days it is 正常 and off the list; on the day after the new date it is overdue again."""
    with today_is(TODAY):
        assert handling in supervision_candidates(world.users.zhengzhou)
        ext = request(world, handling, days=30)
        report_extension_decide(actor=world.users.zhengzhou, extension=ext, approve=True, comment="")
        handling.refresh_from_db()
        assert handling.result_due == dt.date(2026, 10, 30)  # 30 Sep + 30 days, a Friday
        assert handling not in supervision_candidates(world.users.zhengzhou)
    state = deadline_state(handling.result_due, dt.date(2026, 10, 1))
    assert deadline_badge_text(*state) == "正常"
    state = deadline_state(handling.result_due, dt.date(2026, 10, 28))
    assert deadline_badge_text(*state) == "即将超期（剩2天）"
    state = deadline_state(handling.result_due, dt.date(2026, 11, 2))
    assert deadline_badge_text(*state) == "超期（1天）"
    with today_is(dt.date(2026, 11, 2)):
        assert handling in supervision_candidates(world.users.zhengzhou)

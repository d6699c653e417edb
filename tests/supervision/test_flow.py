"""The real report actions and ours together: a report goes 郑州市 → 金水区 → its department, is
extended and supervised on the way, and the public timeline shows the extension only."""

import datetime as dt

import pytest

from apps.inbox.models import Message
from apps.reports.actions.accept import report_accept
from apps.reports.actions.close import report_close
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback
from apps.reports.models import Report, ReportEvent
from apps.sms.models import SmsOutbox
from apps.supervision.actions import report_extension_decide, report_extension_request, report_supervise
from apps.supervision.selectors import supervised_open_count, supervision_candidates
from apps.workcalendar.calendar import add_calendar_days, add_working_days
from tests.supervision.world import TODAY, new_report, today_is

pytestmark = pytest.mark.django_db


def test_extension_and_supervision_through_the_real_workflow(world):
    u, o = world.users, world.orgs
    with today_is(TODAY):
        report = new_report(world, o.zhengzhou)
        report_accept(actor=u.zhengzhou, report=report)
        report_dispatch(actor=u.zhengzhou, report=report, target_org=o.jinshui)
        report_accept(actor=u.jinshui, report=report)
        report_dispatch(actor=u.jinshui, report=report, target_org=o.jinshui_dept)
        report.refresh_from_db()
        first_due = add_working_days(TODAY, 60)
        assert report.result_due == first_due

        ext = report_extension_request(actor=u.jinshui, report=report, reason="需联合调查", days=15)
        report_extension_decide(actor=u.zhengzhou, extension=ext, approve=True, comment="同意")
        report.refresh_from_db()
        assert report.result_due == add_calendar_days(first_due, 15)
        assert SmsOutbox.objects.filter(template_code="extended").count() == 1

    # Two working days before the new deadline 郑州市 sees it on its 督办 list and supervises 金水区.
    near = add_working_days(report.result_due, -2)
    with today_is(near):
        assert report in supervision_candidates(u.zhengzhou)
        sup = report_supervise(
            actor=u.zhengzhou, report=report, comment="请按期反馈", due_date=report.result_due
        )
        assert sup.supervised_org == o.jinshui and sup.stage == "result"
        assert supervised_open_count(u.jinshui) == 1
        assert Message.objects.filter(kind="supervised", recipient_org=o.jinshui).exists()

        report_feedback(
            actor=u.jinshui_dept, report=report, conclusion="true", summary="属实", decision="责令整改"
        )
        report_feedback(actor=u.jinshui, report=report)
        report_close(actor=u.zhengzhou, report=report, conclusion="true", summary="属实，已责令整改")
        report.refresh_from_db()
        assert report.status == Report.Status.CLOSED
        assert supervised_open_count(u.jinshui) == 0
        assert report not in supervision_candidates(u.zhengzhou)

    actions = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert (
        actions.index("extension_request") < actions.index("extension_approve") < actions.index("supervise")
    )
    public = list(
        ReportEvent.objects.filter(report=report)
        .exclude(public_text="")
        .values_list("public_text", flat=True)
    )
    assert any(text.startswith("案件情况复杂，经上级部门批准，已依法延长核查期限至") for text in public)
    assert not any("督办" in text for text in public)
    assert report.result_due > first_due >= dt.date(2026, 12, 1)


def test_our_timeline_actions_have_chinese_labels():
    from apps.reports.events import event_label

    assert [
        event_label(a) for a in ("extension_request", "extension_approve", "extension_reject", "supervise")
    ] == ["申请延期", "批准延期", "不批准延期", "督办"]

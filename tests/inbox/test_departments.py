"""Messages for an org's 内设机构 reach the org's own users, who may act on the department's steps
(apps/reports/actions/base.py); a department's users still see only their department's."""

import pytest
from django.urls import reverse

from apps.inbox.actions import message_mark_read
from apps.inbox.models import Message
from apps.inbox.selectors import messages_for, unread_count
from apps.reports.actions.accept import report_accept
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback, report_return
from tests.supervision.world import TODAY, new_report, today_is

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched(world):
    """金水区 accepted a report and 转办 it to its 内设机构 (执法监察大队): "请核查"."""
    u, o = world.users, world.orgs
    with today_is(TODAY):
        report = new_report(world, o.jinshui)
        report_accept(actor=u.jinshui, report=report)
        report_dispatch(actor=u.jinshui, report=report, target_org=o.jinshui_dept)
    return report


def _check_message(world, report):
    return Message.objects.get(report=report, recipient_org=world.orgs.jinshui_dept, kind="new_report")


def test_the_org_sees_its_departments_request_to_verify_and_counts_it(client, world, dispatched):
    message = _check_message(world, dispatched)
    assert "请核查" in message.text
    jinshui = world.users.jinshui
    own = Message.objects.get(report=dispatched, recipient_org=world.orgs.jinshui)  # 新的待办举报
    assert set(messages_for(jinshui)) == {own, message}
    assert unread_count(jinshui) == 2
    client.force_login(jinshui)
    html = client.get(reverse("inbox:list")).content.decode()
    assert message.text in html and 'aria-label="未读消息2条"' in html
    api = client.get("/api/v1/messages").json()
    assert (api["count"], api["unread"]) == (2, 2)
    # Read state stays per user: the county user reading it leaves the department's copy unread.
    message_mark_read(actor=jinshui, message=message)
    assert unread_count(jinshui) == 1 and unread_count(world.users.jinshui_dept) == 1


def test_a_department_still_sees_only_its_own_messages(world, dispatched):
    dept = world.users.jinshui_dept
    assert list(messages_for(dept)) == [_check_message(world, dispatched)]
    assert unread_count(dept) == 1
    # Nobody else: not the superior, a neighbour, another province, another department, an auditor.
    for key in ("zhengzhou", "zhengzhou_dept", "zhongyuan", "hebei", "auditor"):
        user = getattr(world.users, key)
        assert not messages_for(user).filter(recipient_org=world.orgs.jinshui_dept).exists(), key


def test_a_return_for_reverification_reaches_the_org_too(world, dispatched):
    u = world.users
    with today_is(TODAY):
        report_feedback(actor=u.jinshui_dept, report=dispatched, conclusion="true", summary="属实")
        report_return(actor=u.jinshui, report=dispatched, reason="未附处罚决定书")
    returned = Message.objects.get(report=dispatched, kind="returned")
    assert returned.recipient_org == world.orgs.jinshui_dept
    assert returned in messages_for(u.jinshui) and returned in messages_for(u.jinshui_dept)
    assert returned not in messages_for(u.zhengzhou)

import datetime as dt

import pytest

from apps.core.periodic import enqueue_due_jobs, registered_jobs
from apps.inbox.models import Message
from apps.inbox.reminders import send_deadline_reminders
from apps.reports.models import Handling, Report
from tests.supervision.world import TODAY, chain

pytestmark = pytest.mark.django_db
S = Handling.State
R = Report.Status

# TODAY is Thursday 24 Sep 2026; Friday 25 is 中秋节, so the next working day is Monday 28.
NEXT_WORKING_DAY = dt.date(2026, 9, 28)
SECOND_WORKING_DAY = dt.date(2026, 9, 29)


def reminders():
    return Message.objects.filter(kind=Message.Kind.DEADLINE)


@pytest.fixture
def due(world):
    w = world.orgs
    return {
        # 郑州市 must decide acceptance by Monday: 1 working day left (the holiday weekend between).
        "accept": chain(
            world,
            [(w.henan, S.DISPATCHED), (w.zhengzhou, S.PENDING)],
            accept_due=NEXT_WORKING_DAY,
            result_due=dt.date(2026, 12, 1),
        ),
        # 金水区 must dispatch today.
        "dispatch": chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.ACCEPTED)],
            dispatch_due=TODAY,
            result_due=dt.date(2026, 12, 1),
        ),
        # The result is due Monday; 金水区's department has it.
        "result": chain(
            world,
            [(w.zhengzhou, S.DISPATCHED), (w.jinshui, S.DISPATCHED), (w.jinshui_dept, S.VERIFYING)],
            result_due=NEXT_WORKING_DAY,
        ),
        # Two working days left, already overdue, or closed: no reminder.
        "later": chain(
            world,
            [(w.henan, S.DISPATCHED), (w.zhongyuan, S.PENDING)],
            accept_due=SECOND_WORKING_DAY,
            result_due=dt.date(2026, 12, 1),
        ),
        "overdue": chain(
            world,
            [(w.hebei, S.ACCEPTED)],
            dispatch_due=TODAY - dt.timedelta(days=1),
            result_due=dt.date(2026, 12, 1),
            status=R.ACCEPTED,
        ),
        "closed": chain(world, [(w.hebei, S.CLOSED)], status=R.CLOSED, result_due=TODAY),
    }


def test_one_reminder_per_deadline_due_within_one_working_day(world, due):
    Message.objects.all().delete()  # the messages report_create left
    assert send_deadline_reminders(today=TODAY) == 4
    got = {(m.report_id, m.recipient_org_id) for m in reminders()}
    w = world.orgs
    assert got == {
        (due["accept"].pk, w.zhengzhou.pk),
        (due["dispatch"].pk, w.jinshui.pk),
        # The org that must close it, and the org the work is with (a department answers through its org).
        (due["result"].pk, w.zhengzhou.pk),
        (due["result"].pk, w.jinshui.pk),
    }
    text = reminders().get(report=due["accept"]).text
    assert due["accept"].number in text and "受理期限为2026年9月28日（剩1个工作日）" in text
    assert "今天到期" in reminders().get(report=due["dispatch"]).text


def test_no_duplicates_when_the_job_runs_again(world, due):
    send_deadline_reminders(today=TODAY)
    count = reminders().count()
    assert send_deadline_reminders(today=TODAY) == 0
    assert send_deadline_reminders(today=NEXT_WORKING_DAY) == 1  # only "later" is new (due tomorrow)
    assert reminders().count() == count + 1


def test_a_moved_deadline_is_reminded_again(world, due):
    send_deadline_reminders(today=TODAY)
    report = due["result"]
    Report.objects.filter(pk=report.pk).update(result_due=dt.date(2026, 10, 8))  # an approved extension
    assert send_deadline_reminders(today=dt.date(2026, 9, 30)) == 2  # Oct 8 is the next working day
    assert reminders().filter(report=report).count() == 4


def test_the_job_is_registered_hourly_and_enqueued_by_the_scheduler():
    [job] = [j for j in registered_jobs() if j.name == "inbox.deadline_reminders"]
    assert job.every == dt.timedelta(hours=1)
    assert job.task_path == "apps.inbox.tasks.send_deadline_reminders"
    assert "inbox.deadline_reminders" in enqueue_due_jobs()


def test_the_task_calls_the_service(world, due, on_today):
    from apps.inbox.tasks import send_deadline_reminders as task

    assert task.call() == 4

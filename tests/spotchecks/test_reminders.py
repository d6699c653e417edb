"""The hourly "correction due within 1 working day" reminder."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.inbox.models import Message
from apps.spotchecks.actions import spotcheck_create, spotcheck_review
from apps.spotchecks.models import SpotCheckItem
from apps.spotchecks.reminders import send_spotcheck_reminders
from apps.workcalendar.calendar import add_working_days
from tests.spotchecks.world import closed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def item(world):
    closed(world, world.orgs.zhengzhou, region_code="410105")
    batch = spotcheck_create(actor=world.users.henan, scope="org", org=None, closed_from=TODAY,
                             closed_to=TODAY, size=1)
    return spotcheck_review(actor=world.users.henan, item=batch.items.get(), qualified=False, opinion="x")


def reminders():
    return Message.objects.filter(kind=Message.Kind.DEADLINE, dedupe_key__startswith="spotcheck:")


def test_reminds_once_the_day_before_and_again_for_a_new_deadline(world, item):
    assert send_spotcheck_reminders(TODAY) == 0  # 10 working days away
    day_before = add_working_days(item.rectify_due, -1)
    assert send_spotcheck_reminders(day_before) == 1
    assert send_spotcheck_reminders(day_before) == 0  # the hourly repeat creates nothing
    message = reminders().get()
    assert message.recipient_org == world.orgs.zhengzhou and "抽检整改期限" in message.text
    assert message.url == f"/spotchecks/items/{item.pk}/"
    SpotCheckItem.objects.filter(pk=item.pk).update(rectify_due=add_working_days(item.rectify_due, 5))
    assert send_spotcheck_reminders(add_working_days(item.rectify_due, 4)) == 1
    assert reminders().count() == 2


def test_no_reminder_once_submitted_or_overdue(world, item):
    assert send_spotcheck_reminders(item.rectify_due + dt.timedelta(days=1)) == 0
    SpotCheckItem.objects.filter(pk=item.pk).update(state="verifying")
    assert send_spotcheck_reminders(item.rectify_due) == 0

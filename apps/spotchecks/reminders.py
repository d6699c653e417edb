"""The "correction due within 1 working day" reminder, run hourly by the task worker, in the same
form as the report deadline reminders (apps.inbox.reminders): one message per item and deadline
for the org that must correct, deduplicated by the deadline date."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.spotchecks import notifications
from apps.spotchecks.models import SpotCheckItem
from apps.workcalendar.calendar import add_working_days, working_days_between

REMIND_WITHIN_WORKING_DAYS = 1


def send_spotcheck_reminders(today: dt.date | None = None) -> int:
    from apps.inbox.models import Message

    today = today or timezone.localdate()
    limit = add_working_days(today, REMIND_WITHIN_WORKING_DAYS)
    sent = 0
    items = SpotCheckItem.objects.filter(
        state=SpotCheckItem.State.RECTIFYING, rectify_due__gte=today, rectify_due__lte=limit
    ).select_related("report", "checked_org")
    for item in items:
        key = f"spotcheck:{item.pk}:{item.rectify_due.isoformat()}"
        if Message.objects.filter(dedupe_key=key).exists():
            continue
        left = working_days_between(today, item.rectify_due)
        when = "今天到期" if left <= 0 else f"剩{left}个工作日"
        due = item.rectify_due
        with transaction.atomic():
            notifications.notify_org(
                org=item.checked_org, item=item, kind=Message.Kind.DEADLINE, dedupe_key=key,
                text=f"举报单{item.report.number}的抽检整改期限为{due.year}年{due.month}月{due.day}日（{when}），"
                     "请及时整改并提交核查。",
            )
        sent += 1
    return sent

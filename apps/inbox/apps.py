import datetime

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "apps.inbox"
    label = "inbox"
    verbose_name = "消息中心"

    def ready(self):
        from apps.core.periodic import register

        # Hourly: a reminder should reach people on the morning of the day before a deadline,
        # and dedupe keys make the repeats free of duplicates.
        register(
            "inbox.deadline_reminders",
            datetime.timedelta(hours=1),
            "apps.inbox.tasks.send_deadline_reminders",
        )

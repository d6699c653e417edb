import datetime

from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "apps.sms"
    label = "sms"
    verbose_name = "短信"

    def ready(self):
        from apps.core.periodic import register

        # Every minute: the outbox's safety net for lost tasks and workers that died mid-send.
        register("sms.requeue_due", datetime.timedelta(minutes=1), "apps.sms.tasks.requeue_due_sms")

import datetime

from django.apps import AppConfig


class SpotchecksConfig(AppConfig):
    name = "apps.spotchecks"
    label = "spotchecks"
    verbose_name = "抽检管理"

    def ready(self):
        from apps.audit.actions import register_action
        from apps.core.periodic import register
        from apps.reports.events import register_event_label
        from apps.spotchecks.actions import AUDIT_CREATE

        for action, label in EVENT_LABELS.items():
            register_event_label(action, label)
        register_action(AUDIT_CREATE, "随机抽检")
        # Hourly like the inbox's own reminders; dedupe keys make the repeats free.
        register("spotchecks.deadline_reminders", datetime.timedelta(hours=1),
                 "apps.spotchecks.tasks.send_spotcheck_reminders")


EVENT_LABELS = {
    "spotcheck_sample": "随机抽检",
    "spotcheck_review": "抽检审查",
    "spotcheck_correct": "抽检整改修改",
    "spotcheck_rectify": "抽检整改提交",
    "spotcheck_verify": "抽检整改核查",
}

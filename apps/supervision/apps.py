from django.apps import AppConfig

# The 流转记录 rows our actions append, as the timeline names them.
EVENT_LABELS = {
    "extension_request": "申请延期",
    "extension_approve": "批准延期",
    "extension_reject": "不批准延期",
    "supervise": "督办",
}


class SupervisionConfig(AppConfig):
    name = "apps.supervision"
    label = "supervision"
    verbose_name = "督办与延期"

    def ready(self):
        from apps.reports.events import register_event_label

        for action, label in EVENT_LABELS.items():
            register_event_label(action, label)

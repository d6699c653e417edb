from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "apps.workcalendar"
    label = "workcalendar"
    verbose_name = "工作日历"

    def ready(self):
        from apps.workcalendar import signals

        signals.connect()

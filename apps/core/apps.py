import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "系统运行"

    def ready(self):
        from apps.core import periodic

        periodic.register(
            "cache_purge_expired", datetime.timedelta(minutes=10), "apps.core.tasks.purge_expired_cache"
        )

import datetime

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "apps.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self):
        from apps.core import periodic

        # Daily is plenty: retention is counted in months and the job only ever removes old rows.
        periodic.register("audit_prune", datetime.timedelta(days=1), "apps.audit.tasks.prune_audit_log")

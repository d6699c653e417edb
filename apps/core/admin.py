from django.contrib import admin

from apps.core.models import PeriodicRun, WorkerHeartbeat

admin.site.site_header = "安全生产举报系统 管理后台"
admin.site.site_title = "安全生产举报系统"


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "started_at", "last_seen"]


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run"]

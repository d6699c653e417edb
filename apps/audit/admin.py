from django.contrib import admin

from apps.audit.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only even for superusers: the log is append-only everywhere in the application."""

    list_display = [
        "created_at",
        "actor_username",
        "org_name",
        "action",
        "target_repr",
        "result",
        "ip_address",
    ]
    list_filter = ["result", "action"]
    search_fields = ["actor_username", "target_repr"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

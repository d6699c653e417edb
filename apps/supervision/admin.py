"""Read-only: 督办 and 延期 records are written by the actions only (they carry 流转记录 rows)."""

from django.contrib import admin

from apps.supervision.models import ExtensionRequest, Supervision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdmin):
    list_display = ("report", "requesting_org", "approver_org", "days", "state", "created_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("report__number",)
    list_select_related = ("report", "requesting_org", "approver_org")


@admin.register(Supervision)
class SupervisionAdmin(ReadOnlyAdmin):
    list_display = ("report", "stage", "supervising_org", "supervised_org", "due_date", "created_at")
    list_filter = ("stage",)
    search_fields = ("report__number",)
    list_select_related = ("report", "supervising_org", "supervised_org")

"""Read-only: messages are left by notify() only."""

from django.contrib import admin

from apps.inbox.models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "recipient_org", "recipient_user", "text")
    list_filter = ("kind",)
    search_fields = ("text",)
    list_select_related = ("recipient_org", "recipient_user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

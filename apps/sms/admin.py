from django.contrib import admin

from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.phones import mask_phone


@admin.register(SmsTemplate)
class SmsTemplateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "provider_template_id", "valid_minutes", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Code and placeholders are what the calling code relies on: fixed once created.
        return ["code", "allowed_placeholders", "updated_at"] if obj else ["updated_at"]


@admin.register(SmsOutbox)
class SmsOutboxAdmin(admin.ModelAdmin):
    """Read-only and masked: the full number and text (login codes) stay out of the browser;
    operators on the server use `manage.py sms_outbox`."""

    list_display = ["id", "template_code", "masked_phone", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "template_code"]
    search_fields = ["related"]
    fields = ["template_code", "masked_phone", "related", "status", "attempts", "next_attempt_at",
              "expires_at", "last_error", "provider_message_id", "created_at", "sent_at"]
    readonly_fields = fields

    @admin.display(description="手机号码")
    def masked_phone(self, obj):
        return mask_phone(obj.to_phone)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

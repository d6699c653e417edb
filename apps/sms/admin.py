from django.contrib import admin

from apps.audit.admin import ViewOnlyAdminMixin
from apps.sms.models import SmsOutbox, SmsTemplate
from apps.sms.phones import mask_phone


@admin.register(SmsTemplate)
class SmsTemplateAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """View only: templates change through 短信模板管理 (apps.sysadmin.services), which checks the
    placeholders a message needs and audits the change."""

    list_display = ["code", "name", "provider_template_id", "valid_minutes", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]


@admin.register(SmsOutbox)
class SmsOutboxAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
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

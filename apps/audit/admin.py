from django.contrib import admin

from apps.audit.models import AuditLog


class ViewOnlyAdminMixin:
    """For models the application changes only through audited actions (accounts, orgs, SMS
    templates, the holiday calendar, catalogs). A change saved in /admin/ would write no audit
    row and skip the actions' checks (an org's stranded reports and active users), so the Django
    admin only shows these, to superusers too; changes go through the in-app pages."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
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

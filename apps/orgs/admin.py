from django.contrib import admin

from apps.audit.admin import ViewOnlyAdminMixin
from apps.orgs.models import Org


@admin.register(Org)
class OrgAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    """View only: orgs change through 机构管理 (apps.orgs.actions), which audits every change,
    rewrites a moved subtree's paths and refuses to deactivate an org with open reports."""

    list_display = ["code", "name", "kind", "level", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region"]
    filter_horizontal = ["industry_scope"]
    autocomplete_fields = ["extra_regions"]

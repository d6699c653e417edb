from django.contrib import admin

from apps.orgs.models import Org


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "level", "parent", "is_active"]
    list_filter = ["kind", "level", "is_active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "region"]
    filter_horizontal = ["industry_scope"]
    autocomplete_fields = ["extra_regions"]

    def get_readonly_fields(self, request, obj=None):
        # Changing the parent here would leave the subtree's paths (and so every scope check)
        # on the old tree; moves go through apps.orgs.actions.org_move, which rewrites them.
        return ["parent"] if obj is not None else []

from django.contrib import admin

from apps.regions.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_served"]
    list_filter = ["level", "is_served"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]
    readonly_fields = ["path", "depth"]

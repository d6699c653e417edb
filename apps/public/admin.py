from django.contrib import admin

from apps.public.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "priority", "region", "industry", "problem_type", "target", "target_org", "refer",
                    "is_active")
    list_filter = ("is_active", "target", "refer")
    search_fields = ("name", "note")
    autocomplete_fields = ("region", "target_org")
    list_select_related = ("region", "industry", "problem_type", "target_org")

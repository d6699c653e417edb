from django.contrib import admin

from apps.catalogs.models import Channel, Industry, ProblemType


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "reward_basis", "sort_order", "is_active"]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "in_remit", "competent_department", "sort_order", "is_active"]
    list_filter = ["in_remit"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_public", "sort_order", "is_active"]

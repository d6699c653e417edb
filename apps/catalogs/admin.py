from django.contrib import admin

from apps.audit.admin import ViewOnlyAdminMixin
from apps.catalogs.models import Channel, Industry, ProblemType

# View only: catalogs change through 基础数据管理 (apps.catalogs.services), which audits every change.


@admin.register(ProblemType)
class ProblemTypeAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "reward_basis", "sort_order", "is_active"]


@admin.register(Industry)
class IndustryAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "in_remit", "competent_department", "sort_order", "is_active"]
    list_filter = ["in_remit"]


@admin.register(Channel)
class ChannelAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "is_public", "sort_order", "is_active"]

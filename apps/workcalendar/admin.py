from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.workcalendar import source
from apps.workcalendar.models import CalendarOverride, CalendarYear
from apps.workcalendar.services import calendar_year_set_confirmed, can_manage_calendar


class CalendarPermissionMixin:
    """Reading is for anyone the admin lets in; writing only for the ministry's administrators."""

    def has_add_permission(self, request, *args):
        return can_manage_calendar(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return can_manage_calendar(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage_calendar(request.user) and super().has_delete_permission(request, obj)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CalendarPermissionMixin, admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "package_status", "note", "updated_at"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]
    fields = ["date", "kind", "note"]

    @admin.display(description="星期")
    def weekday(self, obj):
        return obj.weekday_name

    @admin.display(description="数据包原安排")
    def package_status(self, obj):
        try:
            return source.base_describe(obj.date)
        except ValueError:
            return "—"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarPermissionMixin, admin.ModelAdmin):
    list_display = [
        "year",
        "confirmed",
        "package_knows",
        "override_count",
        "confirmed_at",
        "confirmed_by",
        "note",
    ]
    list_filter = ["confirmed"]
    list_select_related = ["confirmed_by"]
    fields = ["year", "confirmed", "note", "confirmed_at", "confirmed_by"]
    readonly_fields = ["confirmed_at", "confirmed_by"]
    actions = ["confirm_years", "unconfirm_years"]

    def get_queryset(self, request):
        # One subquery instead of a count per row.
        per_year = (
            CalendarOverride.objects.filter(date__year=OuterRef("year"))
            .order_by()
            .values("date__year")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(_override_count=Coalesce(Subquery(per_year, output_field=IntegerField()), 0))
        )

    @admin.display(description="数据包已收录国务院安排", boolean=True)
    def package_knows(self, obj):
        return obj.package_knows

    @admin.display(description="调整天数", ordering="_override_count")
    def override_count(self, obj):
        return obj._override_count

    def save_model(self, request, obj, form, change):
        if not change or "confirmed" in form.changed_data:
            obj.confirmed_at = timezone.now() if obj.confirmed else None
            obj.confirmed_by = request.user if obj.confirmed else None
        super().save_model(request, obj, form, change)

    def _set_confirmed(self, request, queryset, confirmed: bool):
        for row in queryset:
            calendar_year_set_confirmed(actor=request.user, year=row.year, confirmed=confirmed)
        self.message_user(request, f"已更新{queryset.count()}个年度。", messages.SUCCESS)

    @admin.action(description="确认所选年度的节假日安排", permissions=["change"])
    def confirm_years(self, request, queryset):
        self._set_confirmed(request, queryset, True)

    @admin.action(description="取消确认所选年度", permissions=["change"])
    def unconfirm_years(self, request, queryset):
        self._set_confirmed(request, queryset, False)

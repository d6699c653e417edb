from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from apps.audit.admin import ViewOnlyAdminMixin
from apps.workcalendar import source
from apps.workcalendar.models import CalendarOverride, CalendarYear

# View only: the calendar changes through 节假日管理 (apps.sysadmin.services), which audits every
# override and every year confirmation. A change saved here would move deadlines with no record.


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
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
class CalendarYearAdmin(ViewOnlyAdminMixin, admin.ModelAdmin):
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

"""Mark the years whose State Council arrangement the `holidays` package carries as confirmed.

The list is fixed here, not read from the installed package, so that the migration means the same
on every machine: later years are confirmed by the ministry's administrator, who is the one to
check the published notice. tests/workcalendar checks that the package does carry each of them.
"""

from django.db import migrations
from django.utils import timezone

PACKAGE_CONFIRMED_YEARS = range(2020, 2027)
NOTE = "依据国务院办公厅节假日安排通知（holidays 数据包已收录），初始化时确认"


def confirm(apps, schema_editor):
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    now = timezone.now()
    for year in PACKAGE_CONFIRMED_YEARS:
        CalendarYear.objects.update_or_create(
            year=year, defaults={"confirmed": True, "confirmed_at": now, "note": NOTE}
        )


def unconfirm(apps, schema_editor):
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarYear.objects.filter(year__in=PACKAGE_CONFIRMED_YEARS, note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(confirm, unconfirm)]

"""The working-day calendar copied into the Workday table, for SQL that counts working days.

rank(day) = working days from 2000-01-01 up to and including `day`, so working_days_between(a, b)
(working days in (a, b]) is rank(b) - rank(a): the same number apps.workcalendar gives, which is
what the incremental path uses. When an administrator changes the calendar of a year that already
has closed reports, `manage.py stats_rebuild` recomputes both the table and the sums.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from apps.stats.models import Workday
from apps.workcalendar import store
from apps.workcalendar.source import MIN_YEAR


def _last_year() -> int:
    return timezone.localdate().year + 1


def _expected_days(last_year: int) -> int:
    return (dt.date(last_year, 12, 31) - dt.date(MIN_YEAR, 1, 1)).days + 1


def ensure_workdays(last_year: int | None = None) -> None:
    """Fill the table when it does not cover MIN_YEAR … last_year (one COUNT when it does)."""
    last_year = max(last_year or 0, _last_year())
    if Workday.objects.filter(day__lte=dt.date(last_year, 12, 31)).count() != _expected_days(last_year):
        refresh_workdays(last_year)


def refresh_workdays(last_year: int | None = None) -> int:
    last_year = max(last_year or 0, _last_year())
    snap = store.current()
    rows = []
    rank = 0
    for year in range(MIN_YEAR, last_year + 1):
        working = snap.year(year).working_set
        day = dt.date(year, 1, 1)
        while day.year == year:
            if day in working:
                rank += 1
            rows.append(Workday(day=day, rank=rank))
            day += dt.timedelta(days=1)
    with transaction.atomic():
        Workday.objects.all().delete()
        Workday.objects.bulk_create(rows, batch_size=2000)
    return len(rows)

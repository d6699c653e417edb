"""What the installed `holidays` package says, pinned to the State Council's published notices.

2026: 国办发明电〔2025〕7号. If a package upgrade changes any of this, these tests say so.
"""

import importlib
from datetime import date, timedelta

import pytest

from apps.workcalendar import source
from apps.workcalendar.models import CalendarYear


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def test_2026_make_up_workdays_are_exactly_the_published_ones():
    assert source.package_year(2026).work == {
        date(2026, 1, 4),  # 元旦 (Sun)
        date(2026, 2, 14),  # 春节 (Sat)
        date(2026, 2, 28),  # 春节 (Sat)
        date(2026, 5, 9),  # 劳动节 (Sat)
        date(2026, 9, 20),  # 国庆节 (Sun)
        date(2026, 10, 10),  # 国庆节 (Sat)
    }


def test_2026_national_day_is_october_1_to_7():
    off = [d for d in days(date(2026, 9, 19), date(2026, 10, 11)) if not source.base_is_working_day(d)]
    assert off == [
        date(2026, 9, 19),  # Sat
        date(2026, 9, 25),  # 中秋节 (Fri)
        date(2026, 9, 26),
        date(2026, 9, 27),
        *days(date(2026, 10, 1), date(2026, 10, 7)),
        date(2026, 10, 11),  # Sun
    ]
    assert source.base_is_working_day(date(2026, 9, 20))  # Sunday, 调休上班
    assert source.base_is_working_day(date(2026, 10, 8))
    assert source.base_is_working_day(date(2026, 10, 10))  # Saturday, 调休上班


def test_2026_spring_festival_is_february_15_to_23():
    off = [d for d in days(date(2026, 2, 13), date(2026, 3, 1)) if not source.base_is_working_day(d)]
    assert off == [*days(date(2026, 2, 15), date(2026, 2, 23)), date(2026, 3, 1)]
    assert source.base_is_working_day(date(2026, 2, 14))  # Saturday, 调休上班
    assert source.base_is_working_day(date(2026, 2, 28))  # Saturday, 调休上班


def test_base_describe_names_the_reason():
    assert source.base_describe(date(2026, 10, 1)) == "国庆节"
    assert source.base_describe(date(2026, 10, 10)) == "调休上班"
    assert source.base_describe(date(2026, 11, 28)) == "周末"
    assert source.base_describe(date(2026, 11, 30)) == "工作日"


def test_package_knows_2026_but_not_2027():
    assert source.package_knows_year(2026)
    assert not source.package_knows_year(2027)


def test_a_year_beyond_the_package_still_has_its_statutory_holidays_and_no_make_up_days():
    year = source.package_year(2027)
    assert year.work == frozenset()
    assert not source.base_is_working_day(date(2027, 1, 1))  # 元旦, a Friday
    assert all(not source.base_is_working_day(d) for d in days(date(2027, 10, 1), date(2027, 10, 3)))
    assert source.base_is_working_day(date(2027, 1, 4))


def test_out_of_range_year_is_refused_with_a_chinese_message():
    with pytest.raises(ValueError, match="支持范围"):
        source.package_year(1999)


def test_migration_confirms_only_years_the_package_carries():
    migration = importlib.import_module("apps.workcalendar.migrations.0002_confirm_package_years")
    assert set(migration.PACKAGE_CONFIRMED_YEARS) <= source.package_known_years()


@pytest.mark.django_db
def test_migration_left_2020_to_2026_confirmed_and_2027_not():
    assert set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)) == set(
        range(2020, 2027)
    )
    assert all(row.confirmed_at is not None for row in CalendarYear.objects.all())

from datetime import date, datetime

import pytest

from apps.workcalendar.calendar import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    unconfirmed_notice,
    unconfirmed_years_in,
    working_days_between,
    year_is_confirmed,
)

pytestmark = pytest.mark.django_db

SAT, SUN, MON = date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)
FRI = date(2026, 11, 27)


def test_weekends_are_off_and_weekdays_work():
    assert not is_working_day(SAT)
    assert not is_working_day(SUN)
    assert is_working_day(FRI)
    assert is_working_day(MON)


def test_make_up_weekend_days_are_working_days():
    assert is_working_day(date(2026, 9, 20))
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 5))  # Monday inside the National Day holiday


def test_receipt_day_is_not_counted():
    assert add_working_days(MON, 1) == date(2026, 12, 1)
    assert add_working_days(MON, 3) == date(2026, 12, 3)


def test_saturday_receipt_counts_from_monday_like_friday_receipt():
    assert add_working_days(SAT, 3) == date(2026, 12, 2)
    assert add_working_days(SUN, 3) == date(2026, 12, 2)
    assert add_working_days(FRI, 3) == date(2026, 12, 2)
    assert add_working_days(SAT, 1) == MON


def test_zero_rolls_a_day_off_forward_and_keeps_a_working_day():
    assert add_working_days(SAT, 0) == MON
    assert add_working_days(MON, 0) == MON
    assert add_working_days(date(2026, 10, 1), 0) == date(2026, 10, 8)


def test_negative_counts_backwards():
    assert add_working_days(MON, -1) == FRI
    assert add_working_days(SAT, -1) == FRI
    assert add_working_days(date(2026, 10, 8), -1) == date(2026, 9, 30)


def test_three_working_days_across_national_day_2026():
    # Sep 30 (Wed) → Oct 8, Oct 9, then Saturday Oct 10 is a make-up workday.
    assert add_working_days(date(2026, 9, 30), 3) == date(2026, 10, 10)
    # Sep 18 (Fri) → Sunday Sep 20 is a make-up workday.
    assert add_working_days(date(2026, 9, 18), 3) == date(2026, 9, 22)


def test_three_working_days_across_spring_festival_2026():
    # Feb 13 (Fri) → Saturday Feb 14 works, then nothing until Feb 24.
    assert add_working_days(date(2026, 2, 13), 3) == date(2026, 2, 25)
    assert add_working_days(date(2026, 2, 14), 1) == date(2026, 2, 24)


def test_deadline_crossing_into_unconfirmed_2027():
    received = date(2026, 12, 30)
    deadline = add_working_days(received, 3)
    assert deadline == date(2027, 1, 5)  # Dec 31, (Jan 1 元旦), Jan 4, Jan 5
    assert year_is_confirmed(2026)
    assert not year_is_confirmed(2027)
    assert unconfirmed_years_in(received, deadline) == [2027]
    assert unconfirmed_years_in(deadline, received) == [2027]
    assert unconfirmed_years_in(date(2026, 1, 1), date(2026, 12, 31)) == []


def test_sixty_working_days_into_2027_uses_the_statutory_estimate():
    # 22 working days left in Dec 2026, 20 in Jan 2027, Feb 1-4, then the package's Spring
    # Festival estimate (Feb 5-10 off), Feb 11-26 (12), Mar 1, Mar 2.
    assert add_working_days(date(2026, 12, 1), 60) == date(2027, 3, 2)


def test_working_days_between_is_half_open_and_signed():
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 10)) == 3
    assert working_days_between(date(2026, 10, 10), date(2026, 9, 30)) == -3
    assert working_days_between(MON, MON) == 0
    assert working_days_between(FRI, MON) == 1
    assert working_days_between(FRI, SUN) == 0
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 3


def test_working_days_in_whole_year_2026():
    # Weekday holidays: Jan 1-2, Feb 16-20 and 23, Apr 6, May 1, 4, 5, Jun 19, Sep 25,
    # Oct 1, 2, 5, 6, 7 (19). Make-up weekend days: 6.
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 365 - 104 - 19 + 6 == 248


def test_calendar_days_roll_a_day_off_forward():
    # 30 days after Sep 7 is Oct 7 (holiday): the period ends on Oct 8.
    assert add_calendar_days(date(2026, 9, 7), 30) == date(2026, 10, 8)
    assert add_calendar_days(date(2026, 9, 7), 30, roll_forward=False) == date(2026, 10, 7)
    assert add_calendar_days(date(2026, 11, 1), 30) == date(2026, 12, 1)


def test_datetimes_are_refused():
    with pytest.raises(TypeError, match="localdate"):
        add_working_days(datetime(2026, 11, 30, 9, 0), 3)
    with pytest.raises(TypeError):
        is_working_day("2026-11-30")


def test_dates_outside_the_supported_range_are_refused():
    with pytest.raises(ValueError, match="支持范围"):
        is_working_day(date(1999, 12, 31))
    with pytest.raises(ValueError, match="支持范围"):
        add_working_days(date(2100, 12, 30), 5)
    with pytest.raises(ValueError, match="支持范围"):
        add_calendar_days(date(9999, 12, 1), 60)


def test_unconfirmed_notice_names_the_years():
    assert unconfirmed_notice(date(2026, 12, 30), date(2027, 1, 5)) == "2027年度节假日安排尚未确认"
    assert unconfirmed_notice(date(2026, 12, 30), date(2028, 1, 5)) == "2027、2028年度节假日安排尚未确认"
    assert unconfirmed_notice(date(2026, 1, 5), date(2026, 4, 1)) == ""

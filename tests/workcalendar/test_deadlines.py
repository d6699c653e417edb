from datetime import date

import pytest

from apps.workcalendar.calendar import (
    DeadlineState,
    add_working_days,
    deadline_badge_text,
    deadline_state,
)

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 11, 30)  # Monday
DEADLINE = date(2026, 12, 3)  # Thursday: three working days after RECEIVED


def test_deadline_is_three_working_days_after_receipt():
    assert add_working_days(RECEIVED, 3) == DEADLINE


def test_normal_soon_and_overdue_with_three_warning_days():
    assert deadline_state(DEADLINE, date(2026, 11, 26), 3) == ("normal", 5)
    assert deadline_state(DEADLINE, date(2026, 11, 27), 3) == ("normal", 4)
    assert deadline_state(DEADLINE, date(2026, 11, 28), 3) == ("normal", 4)  # Sat: Mon..Thu left
    assert deadline_state(DEADLINE, RECEIVED, 3) == ("soon", 3)
    assert deadline_state(DEADLINE, date(2026, 12, 2), 3) == ("soon", 1)
    assert deadline_state(DEADLINE, DEADLINE, 3) == ("soon", 0)
    assert deadline_state(DEADLINE, date(2026, 12, 4), 3) == ("overdue", 1)
    assert deadline_state(DEADLINE, date(2026, 12, 7), 3) == ("overdue", 2)


def test_weekend_after_a_missed_friday_deadline_is_one_day_overdue():
    friday = date(2026, 12, 4)
    assert deadline_state(friday, date(2026, 12, 5), 3) == ("overdue", 1)
    assert deadline_state(friday, date(2026, 12, 6), 3) == ("overdue", 1)
    assert deadline_state(friday, date(2026, 12, 7), 3) == ("overdue", 1)
    assert deadline_state(friday, date(2026, 12, 8), 3) == ("overdue", 2)


def test_overdue_days_skip_the_national_day_holiday():
    assert deadline_state(date(2026, 9, 30), date(2026, 10, 8), 3) == ("overdue", 1)
    assert deadline_state(date(2026, 9, 30), date(2026, 10, 10), 3) == ("overdue", 3)


def test_warning_days_come_from_settings_by_default(settings):
    settings.DEADLINE_WARNING_WORKING_DAYS = 5
    assert deadline_state(DEADLINE, date(2026, 11, 26)) == ("soon", 5)
    settings.DEADLINE_WARNING_WORKING_DAYS = 1
    assert deadline_state(DEADLINE, RECEIVED) == ("normal", 3)


def test_today_defaults_to_the_local_date(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 12, 4))
    assert deadline_state(DEADLINE) == ("overdue", 1)


def test_result_is_a_named_tuple_with_a_string_enum():
    status = deadline_state(DEADLINE, RECEIVED, 3)
    state, days = status
    assert status.state is DeadlineState.SOON and state == "soon" and days == status.days == 3


def test_badge_strings_are_exact():
    assert deadline_badge_text("normal", 12) == "正常"
    assert deadline_badge_text("soon", 1) == "即将超期（剩1天）"
    assert deadline_badge_text(DeadlineState.SOON, 0) == "即将超期（剩0天）"
    assert deadline_badge_text("overdue", 1) == "超期（1天）"
    assert deadline_badge_text(*deadline_state(DEADLINE, date(2026, 12, 7), 3)) == "超期（2天）"


def test_unknown_state_is_an_error():
    with pytest.raises(ValueError):
        deadline_badge_text("late", 1)

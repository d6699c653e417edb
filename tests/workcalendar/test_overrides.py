from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from apps.workcalendar import store
from apps.workcalendar.calendar import add_working_days, is_working_day
from apps.workcalendar.models import CalendarOverride

pytestmark = pytest.mark.django_db

RECEIVED = date(2026, 12, 30)  # Wed; +3 → Dec 31, Jan 4, Jan 5 with the package alone


def add_override(day: date, kind: str, note: str = "") -> CalendarOverride:
    row = CalendarOverride(date=day, kind=kind, note=note)
    row.full_clean()
    row.save()
    return row


def test_extra_day_off_moves_a_deadline():
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 5)
    add_override(date(2026, 12, 31), "off", "示例：加放一天")
    assert not is_working_day(date(2026, 12, 31))
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 6)


def test_extra_workday_moves_a_deadline():
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 5)
    add_override(date(2027, 1, 2), "work", "示例：调休上班")
    assert is_working_day(date(2027, 1, 2))
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 4)


def test_override_can_correct_the_package_estimate():
    # The package guesses Feb 9, 2027 off (weekend make-up for the Spring Festival); a published
    # arrangement may say otherwise.
    assert not is_working_day(date(2027, 2, 9))
    add_override(date(2027, 2, 9), "work")
    assert is_working_day(date(2027, 2, 9))


def test_deleting_an_override_restores_the_package_day():
    row = add_override(date(2026, 12, 31), "off")
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 6)
    row.delete()
    assert add_working_days(RECEIVED, 3) == date(2027, 1, 5)


def test_changing_an_override_takes_effect():
    row = add_override(date(2027, 2, 9), "work")
    assert is_working_day(date(2027, 2, 9))
    row.note = "改正"
    row.save()
    row.delete()
    assert not is_working_day(date(2027, 2, 9))


def test_save_publishes_a_new_shared_version_on_commit(django_capture_on_commit_callbacks):
    is_working_day(RECEIVED)
    before = cache.get(store.VERSION_KEY)
    assert before is not None
    with django_capture_on_commit_callbacks(execute=True):
        add_override(date(2026, 12, 31), "off")
    assert cache.get(store.VERSION_KEY) not in (None, before)


def test_other_processes_pick_up_a_new_version_after_the_check_interval(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(store, "_clock", lambda: now[0])
    assert is_working_day(date(2026, 12, 31))
    # Another process saves an override: this process gets no signal, only the shared version.
    CalendarOverride.objects.bulk_create([CalendarOverride(date=date(2026, 12, 31), kind="off")])
    cache.set(store.VERSION_KEY, "bumped-by-another-process")
    assert is_working_day(date(2026, 12, 31)), "the snapshot is reused within the check interval"
    now[0] += store.VERSION_CHECK_SECONDS + 1
    assert not is_working_day(date(2026, 12, 31))


def test_unchanged_version_keeps_the_snapshot_until_max_age(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(store, "_clock", lambda: now[0])
    assert is_working_day(date(2026, 12, 31))
    CalendarOverride.objects.bulk_create([CalendarOverride(date=date(2026, 12, 31), kind="off")])
    now[0] += store.VERSION_CHECK_SECONDS + 1
    assert is_working_day(date(2026, 12, 31))
    now[0] += store.MAX_AGE_SECONDS
    assert not is_working_day(date(2026, 12, 31))


def test_one_hundred_deadlines_cost_at_most_two_queries(
    django_assert_max_num_queries, django_assert_num_queries
):
    from apps.workcalendar.calendar import deadline_state, unconfirmed_years_in

    add_override(date(2026, 12, 31), "off")
    store.invalidate_local()
    received = [date.fromordinal(date(2026, 1, 5).toordinal() + 7 * i) for i in range(100)]

    def compute():
        for day in received:
            deadline = add_working_days(day, 60)
            deadline_state(deadline, date(2026, 11, 30))
            unconfirmed_years_in(day, deadline)

    with django_assert_max_num_queries(2):
        compute()
    with django_assert_num_queries(0):
        compute()


class TestValidation:
    def assert_refused(self, day: date, kind: str, message: str):
        row = CalendarOverride(date=day, kind=kind)
        with pytest.raises(ValidationError) as excinfo:
            row.full_clean()
        assert message in " ".join(str(m) for m in excinfo.value.messages)
        assert not CalendarOverride.objects.exists()

    def test_work_on_an_ordinary_weekday_is_refused(self):
        self.assert_refused(
            date(2026, 12, 30), "work", "2026-12-30（周三）本来就是工作日，无需设置为调休上班。"
        )

    def test_work_on_an_existing_make_up_day_is_refused(self):
        self.assert_refused(date(2026, 9, 20), "work", "本来就是工作日（调休上班）")

    def test_off_on_a_holiday_is_refused(self):
        self.assert_refused(
            date(2026, 10, 1), "off", "2026-10-01（周四）本来就是休息日（国庆节），无需设置为放假。"
        )

    def test_off_on_a_weekend_is_refused(self):
        self.assert_refused(date(2026, 11, 28), "off", "本来就是休息日（周末）")

    def test_unknown_kind_is_refused(self):
        row = CalendarOverride(date=date(2026, 12, 31), kind="half")
        with pytest.raises(ValidationError) as excinfo:
            row.full_clean()
        assert "kind" in excinfo.value.message_dict

    def test_date_out_of_range_is_refused(self):
        self.assert_refused(date(1999, 10, 1), "off", "支持范围")

    def test_second_override_for_a_date_is_refused(self):
        add_override(date(2026, 12, 31), "off")
        row = CalendarOverride(date=date(2026, 12, 31), kind="off")
        with pytest.raises(ValidationError) as excinfo:
            row.full_clean()
        assert excinfo.value.message_dict["date"] == ["该日期已有调整记录，请直接修改原记录。"]
        assert CalendarOverride.objects.count() == 1

    def test_working_on_a_holiday_and_resting_on_a_workday_are_allowed(self):
        CalendarOverride(date=date(2026, 10, 1), kind="work").full_clean()
        CalendarOverride(date=date(2026, 10, 10), kind="off").full_clean()
        CalendarOverride(date=date(2026, 12, 31), kind="off").full_clean()

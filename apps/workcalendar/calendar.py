"""Working-day arithmetic for deadlines (受理、转办 ≤3 个工作日, 核查结果 ≤60 个工作日, 延期 ≤30 日).

The calendar is the `holidays` package's China calendar (statutory holidays, 调休放假 and 调休上班
from the State Council's yearly notice) with the administrator's `CalendarOverride` rows on top;
overrides win. Everything is cached per process (see `store`), so these functions cost no query
once warm.

Counting rule (《民法典》第二百零一条: the starting day is not counted). "n working days after
`day`" is the n-th working day strictly after `day`, whatever `day` is. A report received on a
Saturday therefore has day 1 on Monday and a 3-working-day deadline on Wednesday, the same as a
report received the Friday before: either way the handler gets three whole working days.

All functions take `datetime.date`. A `datetime` is refused rather than silently truncated: call
`django.utils.timezone.localdate(value)` so the date is the one in Beijing time.
"""

from __future__ import annotations

import bisect
import datetime as dt
from enum import StrEnum
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone

from apps.workcalendar import source, store

UNCONFIRMED_NOTICE = "该年度节假日安排尚未确认"


def _check(value: dt.date, name: str) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a datetime.date (use timezone.localdate()), got {value!r}")


def is_working_day(day: dt.date) -> bool:
    _check(day, "day")
    return day in store.current().year(day.year).working_set


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day`; `day` itself is never counted.

    n > 0: counting starts on the first working day after `day` (Saturday + 3 → Wednesday).
    n == 0: `day` if it is a working day, else the next working day, so the result is always a
    working day (a deadline never falls on a day off).
    n < 0: the |n|-th working day before `day`, `day` not counted.

    Consistency with `working_days_between`: between(d, add(d, n)) == n for every n >= 1, and
    for every n when d is a working day. For a day off d the half-open (a, b] counting gives
    between(d, add(d, 0)) == 1 and between(d, add(d, -k)) == -(k - 1).
    """
    _check(day, "day")
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"n must be an int, got {n!r}")
    snap = store.current()
    year = day.year
    days = snap.year(year).working
    if n < 0:
        need = -n
        index = bisect.bisect_left(days, day)  # working days of the year strictly before day
        while need > index:
            need -= index
            year -= 1
            days = snap.year(year).working
            index = len(days)
        return days[index - need]
    if n == 0:
        index, need = bisect.bisect_left(days, day), 1  # day itself if working, else the next
    else:
        index, need = bisect.bisect_right(days, day), n  # strictly after day
    while index + need > len(days):
        need -= len(days) - index
        year += 1
        days = snap.year(year).working
        index = 0
    return days[index + need - 1]


def working_days_between(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]; negative (minus the working days in (b, a]) when b < a."""
    _check(a, "a")
    _check(b, "b")
    if b < a:
        return -working_days_between(b, a)
    snap = store.current()
    whole_years = sum(len(snap.year(year).working) for year in range(a.year, b.year))
    return whole_years + snap.year(b.year).rank(b) - snap.year(a.year).rank(a)


def add_calendar_days(day: dt.date, n: int, *, roll_forward: bool = True) -> dt.date:
    """`day` plus n calendar days, for the ≤30-day extension (延期).

    With roll_forward (the default) a result that falls on a day off moves to the next working
    day: 《民法典》第二百零三条, a period whose last day is a statutory holiday ends on the day
    after the holiday.
    """
    _check(day, "day")
    try:
        result = day + dt.timedelta(days=n)
    except OverflowError:
        raise ValueError(source.OUT_OF_RANGE_MESSAGE) from None
    source.check_year(result.year)
    return add_working_days(result, 0) if roll_forward else result


def year_is_confirmed(year: int) -> bool:
    """True when an administrator (or the initial data migration) confirmed the year's arrangement."""
    return year in store.current().confirmed_years()


def unconfirmed_years_in(a: dt.date, b: dt.date) -> list[int]:
    """Years touched by the span a..b (either order) whose arrangement is not confirmed."""
    _check(a, "a")
    _check(b, "b")
    low, high = sorted((a.year, b.year))
    confirmed = store.current().confirmed_years()
    return [year for year in range(low, high + 1) if year not in confirmed]


def unconfirmed_notice(a: dt.date, b: dt.date) -> str:
    """The flag a deadline display carries, e.g. "2027年度节假日安排尚未确认"; "" when none."""
    years = unconfirmed_years_in(a, b)
    if not years:
        return ""
    return "、".join(str(year) for year in years) + UNCONFIRMED_NOTICE.removeprefix("该")


def package_knows_year(year: int) -> bool:
    """True when the installed `holidays` package carries the year's State Council arrangement."""
    return source.package_knows_year(year)


class DeadlineState(StrEnum):
    NORMAL = "normal"
    SOON = "soon"
    OVERDUE = "overdue"


class DeadlineStatus(NamedTuple):
    state: DeadlineState
    days: int  # working days left (normal, soon) or working days overdue (overdue, >= 1)


def deadline_state(
    deadline: dt.date, today: dt.date | None = None, warn_days: int | None = None
) -> DeadlineStatus:
    """Where `today` stands against `deadline`.

    Left = working days in (today, deadline], so the deadline day itself shows 0 left and the
    day a 3-working-day clock starts shows 3. "soon" when left <= warn_days (default
    settings.DEADLINE_WARNING_WORKING_DAYS). Overdue as soon as the deadline date has passed,
    by the working days in (deadline, today] but at least 1: the weekend right after a missed
    Friday deadline is 超期（1天）, Monday too, Tuesday 2.
    """
    _check(deadline, "deadline")
    today = timezone.localdate() if today is None else today
    _check(today, "today")
    if warn_days is None:
        warn_days = settings.DEADLINE_WARNING_WORKING_DAYS
    if today > deadline:
        return DeadlineStatus(DeadlineState.OVERDUE, max(1, working_days_between(deadline, today)))
    left = working_days_between(today, deadline)
    state = DeadlineState.SOON if left <= warn_days else DeadlineState.NORMAL
    return DeadlineStatus(state, left)


def deadline_badge_text(state: str, days: int) -> str:
    """The 督办 list's wording: 正常 / 即将超期（剩N天） / 超期（N天）."""
    if state == DeadlineState.NORMAL:
        return "正常"
    if state == DeadlineState.SOON:
        return f"即将超期（剩{days}天）"
    if state == DeadlineState.OVERDUE:
        return f"超期（{days}天）"
    raise ValueError(f"unknown deadline state {state!r}")

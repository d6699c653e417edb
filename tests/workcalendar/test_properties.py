"""add_working_days and working_days_between checked against each other and against a naive
day-by-day walk, over 2020–2030 (published arrangements and package estimates alike)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from apps.workcalendar.calendar import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db

# The calendar is read from the database once per snapshot; every example after the first is
# pure computation, so the function-scoped db fixture is safe to share.
PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

days_2020_2030 = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
one = timedelta(days=1)


def naive_add(day: date, n: int) -> date:
    step = one if n >= 0 else -one
    remaining = abs(n) or 1
    current = day
    if n == 0 and is_working_day(day):
        return day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def naive_between(a: date, b: date) -> int:
    low, high = sorted((a, b))
    count = sum(is_working_day(low + one * i) for i in range(1, (high - low).days + 1))
    return count if b >= a else -count


@PROPERTY
@given(day=days_2020_2030, n=st.integers(min_value=1, max_value=800))
def test_between_inverts_add_for_positive_n(day, n):
    result = add_working_days(day, n)
    assert is_working_day(result)
    assert working_days_between(day, result) == n


@PROPERTY
@given(day=days_2020_2030, n=st.integers(min_value=-800, max_value=800))
def test_between_inverts_add_from_a_working_day(day, n):
    day = add_working_days(day, 0)
    assert working_days_between(day, add_working_days(day, n)) == n


@PROPERTY
@given(day=days_2020_2030, k=st.integers(min_value=0, max_value=400))
def test_from_a_day_off_zero_rolls_forward_and_negative_is_half_open(day, k):
    assume(not is_working_day(day))
    assert working_days_between(day, add_working_days(day, 0)) == 1
    assert working_days_between(day, add_working_days(day, -k - 1)) == -k


@PROPERTY
@given(day=days_2020_2030, n=st.integers(min_value=-70, max_value=70))
def test_add_matches_a_naive_walk(day, n):
    assert add_working_days(day, n) == naive_add(day, n)


@PROPERTY
@given(a=days_2020_2030, span=st.integers(min_value=-400, max_value=400))
def test_between_matches_a_naive_count(a, span):
    b = a + timedelta(days=span)
    assert working_days_between(a, b) == naive_between(a, b)


@PROPERTY
@given(a=days_2020_2030, b=days_2020_2030, c=days_2020_2030)
def test_between_is_additive_and_antisymmetric(a, b, c):
    assert working_days_between(a, b) == -working_days_between(b, a)
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)

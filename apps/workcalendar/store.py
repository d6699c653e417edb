"""The effective calendar (package + overrides), cached in process memory.

Deadlines are computed for every row of every list page, so the calendar must cost no query in
the steady state. Each process keeps a `Snapshot`: all overrides and confirmed years (one query
each, loaded on first use) and, per year, the sorted tuple of working days.

Invalidation across processes: saving or deleting an override or a year row writes a new random
token under VERSION_KEY in Django's cache (shared by all web processes and the worker). A process
compares its snapshot's token with the shared one at most every VERSION_CHECK_SECONDS, so a
database-backed cache costs one small query per process per interval, not one per deadline; the
process that made the change drops its own snapshot at once. MAX_AGE_SECONDS bounds staleness
if the cache is flushed or unreachable, or if a change that was already read rolls back.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from apps.workcalendar import source

logger = logging.getLogger(__name__)

VERSION_KEY = "workcalendar:version"
VERSION_CHECK_SECONDS = 5.0
MAX_AGE_SECONDS = 600.0

# Indirection so tests can move time without sleeping.
_clock = time.monotonic


@dataclass(frozen=True)
class YearDays:
    year: int
    working: tuple[dt.date, ...]  # sorted
    working_set: frozenset[dt.date]

    def rank(self, day: dt.date) -> int:
        """Working days of this year on or before `day`."""
        return bisect.bisect_right(self.working, day)


def build_year(year: int, overrides: dict[dt.date, str]) -> YearDays:
    pkg = source.package_year(year)
    day = dt.date(year, 1, 1)
    one = dt.timedelta(days=1)
    working = []
    while day.year == year:
        kind = overrides.get(day)
        if kind == "work" or (
            kind is None and (day in pkg.work or (day.weekday() < 5 and day not in pkg.off))
        ):
            working.append(day)
        day += one
    return YearDays(year=year, working=tuple(working), working_set=frozenset(working))


class Snapshot:
    def __init__(self, token: str | None, now: float):
        self.token = token
        self.built_at = now
        self.checked_at = now
        self._overrides: dict[dt.date, str] | None = None
        self._confirmed: frozenset[int] | None = None
        self._years: dict[int, YearDays] = {}

    def overrides(self) -> dict[dt.date, str]:
        if self._overrides is None:
            from apps.workcalendar.models import CalendarOverride

            # The whole table: a few dozen rows a year, and one query instead of one per year.
            self._overrides = dict(CalendarOverride.objects.values_list("date", "kind"))
        return self._overrides

    def confirmed_years(self) -> frozenset[int]:
        if self._confirmed is None:
            from apps.workcalendar.models import CalendarYear

            self._confirmed = frozenset(
                CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)
            )
        return self._confirmed

    def year(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            source.check_year(year)
            days = self._years[year] = build_year(year, self.overrides())
        return days


_snapshot: Snapshot | None = None


def _new_token() -> str:
    return uuid.uuid4().hex


def _shared_token() -> str | None:
    try:
        token = cache.get(VERSION_KEY)
        if token is None:
            # add() so that two processes starting together agree on one token.
            cache.add(VERSION_KEY, _new_token(), timeout=None)
            token = cache.get(VERSION_KEY)
        return token
    except Exception:
        # A cache outage must not take every list page down; MAX_AGE_SECONDS still applies.
        logger.warning("workcalendar: cannot read the shared calendar version", exc_info=True)
        return None


def current() -> Snapshot:
    global _snapshot
    now = _clock()
    snap = _snapshot
    if snap is not None and now - snap.checked_at < VERSION_CHECK_SECONDS:
        return snap
    token = _shared_token()
    if snap is None or snap.token != token or token is None or now - snap.built_at > MAX_AGE_SECONDS:
        snap = Snapshot(token, now)
    snap.checked_at = now
    _snapshot = snap
    return snap


def invalidate_local() -> None:
    global _snapshot
    _snapshot = None


def bump_shared_version() -> None:
    """Tell every process that overrides or confirmations changed."""
    invalidate_local()
    try:
        cache.set(VERSION_KEY, _new_token(), timeout=None)
    except Exception:
        logger.warning("workcalendar: cannot publish a new calendar version", exc_info=True)

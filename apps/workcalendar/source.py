"""The base calendar from the `holidays` package, before any administrator override.

For a year whose State Council arrangement (国务院办公厅关于某年部分节假日安排的通知) the package
carries, this is the published arrangement: statutory holidays, the days moved next to them
(调休放假) and the weekend make-up workdays (调休上班). For a later year the package still
computes the statutory holidays of 《全国年节及纪念日放假办法》, including the lunar ones and the
weekday make-up day for a holiday falling on a weekend, but no 调休: that is the best estimate
until an administrator enters the published arrangement as overrides.

Everything here is a pure function of the installed package, so it is cached for the life of
the process.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from types import MappingProxyType

import holidays

# Outside this range the package has no lunar data and deadlines make no sense: refuse loudly
# rather than count weekends only.
MIN_YEAR = 2000
MAX_YEAR = 2100

OUT_OF_RANGE_MESSAGE = f"日期超出工作日历的支持范围（{MIN_YEAR}年至{MAX_YEAR}年）。"


@dataclass(frozen=True)
class PackageYear:
    year: int
    # Dates the package marks as days off, with their names (weekend dates included: a holiday
    # may fall on a Saturday).
    off: MappingProxyType
    # Weekend dates the package marks as make-up workdays (调休上班).
    work: frozenset[dt.date]


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(OUT_OF_RANGE_MESSAGE)


def _china(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year, language="zh_CN")


@functools.cache
def package_known_years() -> frozenset[int]:
    """Years whose State Council arrangement (调休 included) is in the installed package."""
    # Substituted days are the package's record of a published arrangement; years after the
    # last published notice have none.
    return frozenset(getattr(_china(MIN_YEAR), "special_public_holidays", {}).keys())


def package_knows_year(year: int) -> bool:
    return year in package_known_years()


@functools.lru_cache(maxsize=256)
def package_year(year: int) -> PackageYear:
    check_year(year)
    cn = _china(year)
    off = {day: name for day, name in cn.items() if day.year == year}
    # weekend_workdays also holds cross-year make-up days (e.g. a Saturday in late December
    # worked for the next New Year): keep only this year's.
    work = frozenset(day for day in cn.weekend_workdays if day.year == year and day.weekday() >= 5)
    return PackageYear(year=year, off=MappingProxyType(off), work=work)


def base_is_working_day(day: dt.date) -> bool:
    """Working day according to the package alone (no overrides)."""
    year = package_year(day.year)
    if day in year.work:
        return True
    return day.weekday() < 5 and day not in year.off


def base_describe(day: dt.date) -> str:
    """Why the package counts `day` the way it does, for admin screens and error messages."""
    year = package_year(day.year)
    if day in year.work:
        return "调休上班"
    if day in year.off:
        return str(year.off[day])
    return "周末" if day.weekday() >= 5 else "工作日"

"""Applying ReportFilterForm to a report or hop queryset (same filters on every list)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.core.dates import EARLIEST_DATA_DATE
from apps.reports.codes import RECEIPT_CODE_DIGITS, normalize_receipt_code, receipt_hash
from apps.reports.deadlines import due_state_q

# The 举报日期 a list may be filtered on: from the system's first data (a date picker happily
# sends 0001-01-01 or 9999-12-31, whose neighbours do not exist) to a year ahead; outside this
# window the form and the API answer with a Chinese message instead.
EARLIEST_FILTER_DATE = EARLIEST_DATA_DATE


def latest_filter_date(today: datetime.date | None = None) -> datetime.date:
    """One year after today (28 February for a 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def filter_date_error(day: datetime.date | None, today: datetime.date | None = None) -> str:
    """"" when `day` (or no date) is one the list filters accept, else the reason in Chinese."""
    if day is None:
        return ""
    latest = latest_filter_date(today)
    if EARLIEST_FILTER_DATE <= day <= latest:
        return ""
    return f"日期应在{EARLIEST_FILTER_DATE:%Y-%m-%d}至{latest:%Y-%m-%d}之间。"


def _day_start(day: datetime.date) -> datetime.datetime | None:
    """Midnight of `day` in local time, or None when that moment or the day itself cannot be
    represented (at the ends of the calendar): callers then leave that bound out, which for
    such a day excludes nothing anyway. Bad input must never become an OverflowError (a 500)."""
    try:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        start.astimezone(datetime.UTC)  # what the database adapter does; overflows in year 1
    except OverflowError:
        return None
    return start


def _next_day_start(day: datetime.date) -> datetime.datetime | None:
    try:
        return _day_start(day + datetime.timedelta(days=1))
    except OverflowError:  # 9999-12-31 has no next day
        return None


def apply_report_filters(
    qs: QuerySet, data: dict, *, prefix: str = "", received_field: str | None = None
) -> QuerySet:
    """`data` is a valid ReportFilterForm's cleaned_data; `prefix` is "report__" for hop lists,
    and `received_field` may name the hop's own copy of the report's received_at.
    The deadline filter uses the `due` annotation of either queryset."""
    p = prefix
    received = received_field or f"{p}received_at"
    q = (data.get("q") or "").strip()
    if q:
        digits = normalize_receipt_code(q)
        match = Q(**{f"{p}number__icontains": q})
        if len(digits) == RECEIPT_CODE_DIGITS:
            # A 举报编码 read out by the reporter: matched through its keyed hash, never stored.
            match |= Q(**{f"{p}receipt_hash": receipt_hash(digits)})
        qs = qs.filter(match)
    if data.get("unit"):
        qs = qs.filter(**{f"{p}reported_unit_name__icontains": data["unit"].strip()})
    for name in ("problem_type", "industry", "channel"):
        if data.get(name):
            qs = qs.filter(**{f"{p}{name}": data[name]})
    if data.get("region"):
        qs = qs.filter(**{f"{p}region__path__startswith": data["region"].path})
    start = _day_start(data["date_from"]) if data.get("date_from") else None
    if start is not None:
        qs = qs.filter(**{f"{received}__gte": start})
    end = _next_day_start(data["date_to"]) if data.get("date_to") else None
    if end is not None:
        qs = qs.filter(**{f"{received}__lt": end})
    if data.get("status"):
        qs = qs.filter(**{f"{p}status": data["status"]})
    if data.get("deadline"):
        qs = qs.filter(due_state_q(data["deadline"]))
    return qs

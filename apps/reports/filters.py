"""Applying ReportFilterForm to a report or hop queryset (same filters on every list)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.reports.codes import RECEIPT_CODE_DIGITS, normalize_receipt_code, receipt_hash
from apps.reports.deadlines import due_state_q


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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
    if data.get("date_from"):
        qs = qs.filter(**{f"{received}__gte": _day_start(data["date_from"])})
    if data.get("date_to"):
        qs = qs.filter(**{f"{received}__lt": _day_start(data["date_to"] + datetime.timedelta(days=1))})
    if data.get("status"):
        qs = qs.filter(**{f"{p}status": data["status"]})
    if data.get("deadline"):
        qs = qs.filter(due_state_q(data["deadline"]))
    return qs

"""Actions on the calendar tables. The Django admin calls these, as would any future screen or
command, so the permission rule and the confirmation audit fields live in one place.

Bulk ORM writes (`QuerySet.update`, `bulk_create`) send no signals: code that uses them must
call `store.bump_shared_version()` after commit itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from apps.workcalendar import source
from apps.workcalendar.models import CalendarYear

DENIED_MESSAGE = "只有部级系统管理员可以维护节假日安排。"


def can_manage_calendar(user) -> bool:
    """The State Council's arrangement is national: only the ministry's administrators (and the
    operators' superuser accounts) maintain it, never a provincial or city administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    org = getattr(user, "org", None)
    return bool(user.is_system_admin and org is not None and org.level == "ministry")


def calendar_year_set_confirmed(
    *, actor, year: int, confirmed: bool, note: str | None = None
) -> CalendarYear:
    """Mark a year's arrangement confirmed (or withdraw the confirmation), recording who and when."""
    if not can_manage_calendar(actor):
        raise PermissionDenied(DENIED_MESSAGE)
    if not isinstance(year, int) or not source.MIN_YEAR <= year <= source.MAX_YEAR:
        raise ValidationError({"year": f"年度必须在{source.MIN_YEAR}年至{source.MAX_YEAR}年之间。"})
    with transaction.atomic():
        row, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
        row.confirmed = confirmed
        row.confirmed_at = timezone.now() if confirmed else None
        row.confirmed_by = actor if confirmed else None
        if note is not None:
            row.note = note
        row.full_clean()
        row.save()
    return row

"""基础数据管理 actions: SMS templates (短信模板管理) and the holiday calendar (节假日管理).

Both are national data, so only the ministry's administrators change them. Each action is
atomic and writes its audit row; the models' own validation (apps.sms, apps.workcalendar) is the
one set of rules.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from apps.accounts.permissions import is_ministry_admin
from apps.audit import actions
from apps.audit.services import audit_log
from apps.sms.models import SmsTemplate
from apps.workcalendar.models import CalendarOverride
from apps.workcalendar.services import calendar_year_set_confirmed, can_manage_calendar

# Switching these off would stop every staff login (or reporter phone check): refused.
ALWAYS_ON_TEMPLATES = {"login_code", "phone_verify"}


def can_manage_sms_templates(user) -> bool:
    return is_ministry_admin(user)


def sms_template_update(
    *, actor, template: SmsTemplate, text: str, is_active: bool, provider_template_id: str = "", request=None
) -> SmsTemplate:
    if not can_manage_sms_templates(actor):
        raise PermissionDenied("只有部级系统管理员可以修改短信模板。")
    with transaction.atomic():
        template = SmsTemplate.objects.select_for_update().get(pk=template.pk)
        errors = template.text_errors(text)
        if errors:
            raise ValidationError({"text": errors})
        if not is_active and template.code in ALWAYS_ON_TEMPLATES:
            raise ValidationError({"is_active": "该模板用于登录或手机号码验证，不能停用。"})
        before = {
            "text": template.text,
            "is_active": template.is_active,
            "provider_template_id": template.provider_template_id,
        }
        template.text, template.is_active, template.provider_template_id = (
            text,
            is_active,
            provider_template_id,
        )
        template.full_clean()
        template.save(update_fields=["text", "is_active", "provider_template_id", "updated_at"])
        after = {
            "text": template.text,
            "is_active": template.is_active,
            "provider_template_id": template.provider_template_id,
        }
        audit_log(
            actor=actor,
            action=actions.SMS_TEMPLATE_UPDATE,
            target=template,
            result="success",
            request=request,
            detail={"changed": {k: [before[k], after[k]] for k in before if before[k] != after[k]}},
        )
    return template


def _require_calendar_admin(actor) -> None:
    if not can_manage_calendar(actor):
        raise PermissionDenied("只有部级系统管理员可以维护节假日安排。")


def calendar_override_save(
    *,
    actor,
    date: datetime.date,
    kind: str,
    note: str = "",
    override: CalendarOverride | None = None,
    request=None,
) -> CalendarOverride:
    """Add an override, or change an existing one (its date included)."""
    _require_calendar_admin(actor)
    with transaction.atomic():
        if override is not None:
            row = CalendarOverride.objects.select_for_update().get(pk=override.pk)
            before = str(row)
        else:
            row, before = CalendarOverride(), None
        row.date, row.kind, row.note = date, kind, note
        row.full_clean()
        row.save()
        audit_log(
            actor=actor,
            action=actions.CALENDAR_OVERRIDE_UPDATE if before else actions.CALENDAR_OVERRIDE_CREATE,
            target=row,
            result="success",
            request=request,
            detail={"before": before, "after": str(row), "note": note} if before else {"note": note},
        )
    return row


def calendar_override_delete(*, actor, override: CalendarOverride, request=None) -> None:
    _require_calendar_admin(actor)
    with transaction.atomic():
        row = CalendarOverride.objects.select_for_update().get(pk=override.pk)
        audit_log(
            actor=actor,
            action=actions.CALENDAR_OVERRIDE_DELETE,
            target=row,
            result="success",
            request=request,
            detail={"note": row.note},
        )
        row.delete()


def calendar_year_confirm(*, actor, year: int, confirmed: bool, note: str | None = None, request=None):
    _require_calendar_admin(actor)
    with transaction.atomic():
        row = calendar_year_set_confirmed(actor=actor, year=year, confirmed=confirmed, note=note)
        audit_log(
            actor=actor,
            action=actions.CALENDAR_YEAR_CONFIRM if confirmed else actions.CALENDAR_YEAR_UNCONFIRM,
            target=row,
            result="success",
            request=request,
            detail={"year": year, "note": note or ""},
        )
    return row

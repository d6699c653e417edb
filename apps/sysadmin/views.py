"""系统管理 home, 短信模板管理 and 节假日管理. Thin: parse, call apps.sysadmin.services, render."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.permissions import is_active_admin, is_ministry_admin
from apps.accounts.views.admin_common import admin_required, role_required, submit_form
from apps.sms.backends import provider_sign_name
from apps.sms.models import SmsTemplate
from apps.sms.templating import (
    placeholders_in,
    render_text,
    segment_count,
    sms_length,
)
from apps.sysadmin import services
from apps.sysadmin.forms import CalendarOverrideForm, CalendarYearForm, SmsTemplateForm
from apps.workcalendar import source
from apps.workcalendar.models import CalendarOverride, CalendarYear

SAMPLE_VALUES = {
    "code": "123456",
    "report_code": "尾号8F3K",
    "missing": "隐患位置及现场照片",
    "explanation": "该事项正在办理中",
    "department": "市住房和城乡建设局",
    "new_deadline": "2026年12月31日",
    "result": "经核查情况属实，已责令整改",
}


ministry_admin_required = role_required(is_ministry_admin, "只有部级系统管理员可以维护基础数据。")


@admin_required
def index(request):
    return render(
        request,
        "sysadmin/index.html",
        {"ministry_admin": is_ministry_admin(request.user), "admin": is_active_admin(request.user)},
    )


# ---- 短信模板管理 ---------------------------------------------------------------------------------


@ministry_admin_required
def sms_template_list(request):
    templates = list(SmsTemplate.objects.order_by("code"))
    sign_name = provider_sign_name()
    for template in templates:
        template.length, template.segments = _billed(template.text, sign_name)
    return render(request, "sysadmin/sms_templates.html", {"templates": templates, "sign_name": sign_name})


def _preview(template: SmsTemplate, text: str) -> dict:
    errors = template.text_errors(text)
    rendered = ""
    if not errors:
        values = {name: SAMPLE_VALUES.get(name, "示例") for name in placeholders_in(text)}
        rendered = render_text(text, values, template_code=template.code)
    sign_name = provider_sign_name()
    length, segments = _billed(rendered or text, sign_name)
    return {
        "errors": errors,
        "rendered": rendered,
        "sign_name": sign_name,
        "length": length,
        "segments": segments,
    }


def _billed(text: str, sign_name: str) -> tuple[int, int]:
    """Length and SMS count as the carrier bills them: the provider's 【签名】 counts too."""
    sign_length = sms_length(f"【{sign_name}】") if sign_name else 0
    return sms_length(text) + sign_length, segment_count(text, sign_name=sign_name)


@ministry_admin_required
def sms_template_edit(request, pk):
    template = get_object_or_404(SmsTemplate, pk=pk)
    initial = {
        "text": template.text,
        "is_active": template.is_active,
        "provider_template_id": template.provider_template_id,
    }
    form = SmsTemplateForm(request.POST or None, initial=initial)
    saved, _ = submit_form(
        request,
        form,
        lambda data: services.sms_template_update(
            actor=request.user,
            template=template,
            text=data["text"],
            is_active=data["is_active"],
            provider_template_id=data["provider_template_id"],
            request=request,
        ),
    )
    if saved:
        messages.success(request, f"短信模板“{template.name}”已保存。")
        return redirect("sysadmin:sms_template_list")
    text = form.data.get("text", template.text) if form.is_bound else template.text
    return render(
        request,
        "sysadmin/sms_template_form.html",
        {
            "form": form,
            "template": template,
            "preview": _preview(template, text or ""),
            "placeholders": [
                (name, SAMPLE_VALUES.get(name, "示例"), name in template.required_placeholders)
                for name in template.allowed_placeholders
            ],
        },
    )


@ministry_admin_required
@require_POST
def sms_template_preview(request, pk):
    """htmx partial: validation, sample rendering and segment count while the text is edited."""
    template = get_object_or_404(SmsTemplate, pk=pk)
    text = (request.POST.get("text") or "")[:2000]
    return render(request, "sysadmin/_sms_preview.html", {"preview": _preview(template, text)})


# ---- 节假日管理 -----------------------------------------------------------------------------------


def _year_rows():
    this_year = timezone.localdate().year
    years = set(CalendarYear.objects.values_list("year", flat=True))
    years |= {d.year for d in CalendarOverride.objects.dates("date", "year")}
    years |= {this_year, this_year + 1}
    confirmed = {row.year: row for row in CalendarYear.objects.select_related("confirmed_by")}
    counts = {}
    for day in CalendarOverride.objects.values_list("date", flat=True):
        counts[day.year] = counts.get(day.year, 0) + 1
    return [
        {
            "year": year,
            "row": confirmed.get(year),
            "overrides": counts.get(year, 0),
            "package_knows": source.package_knows_year(year),
        }
        for year in sorted(years, reverse=True)
        if source.MIN_YEAR <= year <= source.MAX_YEAR
    ]


@ministry_admin_required
def calendar_index(request):
    wanted = request.GET.get("year") or ""
    if wanted.isdigit() and source.MIN_YEAR <= int(wanted) <= source.MAX_YEAR:
        return redirect("sysadmin:calendar_year", year=int(wanted))
    if wanted:
        messages.error(request, f"年度必须在{source.MIN_YEAR}年至{source.MAX_YEAR}年之间。")
    return render(request, "sysadmin/calendar_index.html", {"years": _year_rows()})


def _check_year(year: int) -> None:
    if not source.MIN_YEAR <= year <= source.MAX_YEAR:
        raise Http404("年度超出范围")


@ministry_admin_required
def calendar_year(request, year: int):
    _check_year(year)
    form = CalendarOverrideForm(request.POST or None, year=year)
    saved, _ = submit_form(
        request,
        form,
        lambda data: services.calendar_override_save(
            actor=request.user, date=data["date"], kind=data["kind"], note=data["note"], request=request
        ),
    )
    if saved:
        messages.success(request, f"已添加 {form.cleaned_data['date']:%Y-%m-%d} 的调整。")
        return redirect("sysadmin:calendar_year", year=year)
    overrides = CalendarOverride.objects.filter(date__year=year).order_by("date")
    for row in overrides:
        row.package = source.base_describe(row.date)
    return render(
        request,
        "sysadmin/calendar_year.html",
        {
            "year": year,
            "form": form,
            "overrides": overrides,
            "year_row": CalendarYear.objects.filter(year=year).select_related("confirmed_by").first(),
            "year_form": CalendarYearForm(),
            "package_knows": source.package_knows_year(year),
            "min_date": datetime.date(year, 1, 1),
            "max_date": datetime.date(year, 12, 31),
        },
    )


@ministry_admin_required
@require_POST
def calendar_override_delete(request, year: int, pk: int):
    row = get_object_or_404(CalendarOverride, pk=pk, date__year=year)
    services.calendar_override_delete(actor=request.user, override=row, request=request)
    messages.success(request, f"已删除 {row.date:%Y-%m-%d} 的调整。")
    return redirect("sysadmin:calendar_year", year=year)


@ministry_admin_required
@require_POST
def calendar_year_confirm(request, year: int):
    _check_year(year)
    form = CalendarYearForm(request.POST)
    confirmed = request.POST.get("confirmed") == "1"
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("sysadmin:calendar_year", year=year)
    try:
        services.calendar_year_confirm(
            actor=request.user,
            year=year,
            confirmed=confirmed,
            note=form.cleaned_data["note"] or None,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"{year}年节假日安排已{'确认' if confirmed else '撤销确认'}。")
    return redirect("sysadmin:calendar_year", year=year)

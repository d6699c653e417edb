import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from apps.audit import actions
from apps.audit.detail import detail_text
from apps.audit.forms import AuditFilterForm
from apps.audit.selectors import audit_rows_filtered, can_read_audit_log
from apps.audit.services import audit_log

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000


def _filters(request) -> tuple[AuditFilterForm, dict | None]:
    """The form and its filters; None for the filters when the form is invalid."""
    if not can_read_audit_log(request.user):
        raise PermissionDenied("只有审计管理员可以查看审计日志。")
    form = AuditFilterForm(request.GET or None)
    if not form.is_bound:
        return form, {}
    if form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, None


@login_required
@require_GET
def audit_list(request):
    form, filters = _filters(request)
    # Invalid filters: the errors are shown above the unfiltered log, as before.
    rows = audit_rows_filtered(request.user, filters or {})
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_GET
def audit_export(request):
    _form, filters = _filters(request)
    if filters is None:
        # Exporting the whole log when one filter is wrong would hand out far more than asked:
        # back to the list, which shows the same query's errors.
        messages.error(request, "查询条件有误，未导出审计日志。请按提示修改后再导出。")
        return redirect(f"{reverse('audit:index')}?{request.GET.urlencode()}")
    rows = audit_rows_filtered(request.user, filters)[:EXPORT_MAX_ROWS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("审计日志")
    sheet.append(
        ["时间", "操作人账号", "操作人姓名", "机构", "操作", "操作对象", "结果", "客户端地址", "详情"]
    )
    count = 0
    tz = timezone.get_current_timezone()
    for row in rows.iterator(chunk_size=2000):
        sheet.append(
            [
                row.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                row.actor_username,
                row.actor_name,
                row.org_name,
                row.action_label,
                row.target_repr,
                row.get_result_display(),
                row.ip_address or "",
                detail_text(row.detail),
            ]
        )
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_log(
        actor=request.user,
        action=actions.AUDIT_EXPORT,
        target="审计日志",
        result="success",
        request=request,
        detail={"filters": {k: str(v) for k, v in filters.items()}, "rows": count},
    )
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localtime().strftime("%Y%m%d%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.xlsx"'
    return response


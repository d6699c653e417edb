"""综合统计 pages. Thin: parse the 查询条件, ask apps.stats, render (or hand over a file)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.stats import forms as stats_forms
from apps.stats import queries as q
from apps.stats import services
from apps.stats.forms import AnalysisForm, StatsQueryForm
from apps.stats.models import Export


def _no_access(request):
    return render(request, "stats/no_access.html", {"active": "stats"}, status=403)


def _form(request, data):
    scope = q.stats_scope(request.user)
    if scope is None:
        return None, None
    return scope, StatsQueryForm(data, user=request.user, scope=scope)


@login_required
@require_GET
def index(request):
    """举报单统计: the 查询条件 form and, once valid, the table with its 考核指标."""
    scope, form = _form(request, request.GET or None)
    if scope is None:
        return _no_access(request)
    table, error, query = None, None, None
    if form.is_bound and form.is_valid():
        query = form.query()
        try:
            table = services.table_for(scope, query)
        except q.StatsQueryError as exc:
            error = exc.message
    context = {
        "active": "stats",
        "form": form,
        "table": table,
        "error": error,
        "query": query,
        "query_string": request.GET.urlencode(),
        "description": services.describe(scope, query) if query and table else "",
    }
    return render(request, "stats/index.html", context, status=400 if form.is_bound and not table else 200)


@login_required
@require_http_methods(["GET", "POST"])
def analysis(request):
    """举报信息情况分析 (8.2): the period and the region or org; the Word report is built in the
    background and followed on the 导出 page, like the one started from a table."""
    scope = q.stats_scope(request.user)
    if scope is None:
        return _no_access(request)
    data = request.POST if request.method == "POST" else None
    form = AnalysisForm(data, user=request.user, scope=scope)
    error = None
    if form.is_bound and form.is_valid():
        try:
            services.export_start(
                user=request.user, kind=Export.Kind.ANALYSIS, query=form.query(), request=request
            )
        except q.StatsQueryError as exc:
            error = exc.message
        else:
            messages.success(request, "情况分析报告已开始生成，完成后可在下方下载。")
            return redirect("stats:exports")
    context = {"active": "stats_analysis", "form": form, "error": error}
    return render(request, "stats/analysis.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def org_children(request, pk: int):
    """下级机构 of the 按机构 picker (static/js/stats-form.js): the orgs of the 按机构 kinds directly
    below `pk`. An org outside the user's subtree is a 404, like one that does not exist."""
    if q.stats_scope(request.user) is None:
        return JsonResponse({"detail": "您没有查看统计数据的权限。"}, status=403)
    found = stats_forms.org_children(request.user, pk)
    if found is None:
        raise Http404("机构不存在")
    parent, children = found
    return JsonResponse(
        {"id": parent.pk, "name": parent.name, "children": [{"id": o.pk, "name": o.name} for o in children]}
    )


@login_required
@require_GET
def table_xlsx(request):
    """The table on screen as Excel, at once (it has a few dozen rows)."""
    scope, form = _form(request, request.GET)
    if scope is None:
        return _no_access(request)
    if not form.is_valid():
        return HttpResponse(
            "查询条件有误：" + "；".join(e for errs in form.errors.values() for e in errs),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    try:
        name, data = services.current_table_xlsx(
            user=request.user, scope=scope, query=form.query(), request=request
        )
    except q.StatsQueryError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=services.XLSX)
    response["Content-Disposition"] = _attachment(name)
    return response


@login_required
@require_POST
def export_start(request):
    """全部维度的 Excel, or the Word 情况分析: queued, then followed on the 导出 page."""
    scope, form = _form(request, request.POST)
    if scope is None:
        return _no_access(request)
    kind = request.POST.get("kind")
    if kind not in Export.Kind.values:
        messages.error(request, "不支持的导出类型。")
        return redirect("stats:exports")
    if not form.is_valid():
        messages.error(
            request, "查询条件有误：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("stats:exports")
    try:
        services.export_start(user=request.user, kind=kind, query=form.query(), request=request)
    except q.StatsQueryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已开始生成，完成后可在下方下载。")
    return redirect("stats:exports")


@login_required
@require_GET
def exports(request):
    if q.stats_scope(request.user) is None:
        return _no_access(request)
    rows = services.exports_for(request.user)
    template = "stats/_export_rows.html" if request.htmx else "stats/exports.html"
    return render(
        request,
        template,
        {"active": "stats", "exports": rows, "polling": any(e.state in ("pending", "running") for e in rows)},
    )


@login_required
@require_GET
def export_download(request, pk: int):
    export = services.export_get_for_user_or_404(request.user, pk)
    if export.state != Export.State.DONE or not export.file:
        return HttpResponse("文件尚未生成完成。", status=409, content_type="text/plain; charset=utf-8")
    services.export_download_logged(user=request.user, export=export, request=request)
    name = export.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=name)


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"stats.xlsx\"; filename*=UTF-8''{quote(name)}"

"""The list pages: 待办举报, 办结举报, 所有举报, 未受理举报单, 待兑现奖励. Every one is a selector
(scoped through reports_visible_to or the user's own hops) plus the shared filters."""

from django.shortcuts import render
from django.utils import timezone

from apps.reports import selectors
from apps.reports.deadlines import hop_badge, report_badge
from apps.reports.filters import apply_report_filters
from apps.reports.forms import ReportFilterForm
from apps.reports.views.common import CappedPaginator, paginate, query_without_page, staff_view


def _filter_form(request, *, with_status=False):
    org = request.user.org.owning_org() if request.user.org_id else None
    form = ReportFilterForm(request.GET or None, org=org, with_status=with_status)
    data = form.cleaned_data if form.is_valid() else {}
    return form, data


def _render(
    request, *, title, active, form, page, rows, hop_rows=False, empty="暂无举报单", extra_columns=()
):
    context = {
        "title": title,
        "active": active,
        "filter_form": form,
        "page": page,
        "rows": rows,
        "hop_rows": hop_rows,
        "empty": empty,
        "query": query_without_page(request),
        "extra_columns": extra_columns,
    }
    return render(request, "reports/list.html", context)


@staff_view
def worklist(request):
    """待办举报: one row per open hop of the user's org, most urgent first."""
    form, data = _filter_form(request)
    qs = apply_report_filters(selectors.worklist_for(request.user), data, prefix="report__")
    # Counted without the deadline annotation unless the deadline is what is filtered on.
    count = (
        None
        if data.get("deadline")
        else apply_report_filters(selectors.worklist_hops(request.user), data, prefix="report__")
    )
    page = paginate(request, qs, paginator_class=CappedPaginator, count_source=count)
    today = timezone.localdate()
    rows = [{"report": hop.report, "hop": hop, "badge": hop_badge(hop, today)} for hop in page]
    return _render(
        request,
        title="待办举报",
        active="todo",
        form=form,
        page=page,
        rows=rows,
        hop_rows=True,
        empty="没有待办的举报单",
    )


def _report_list(
    request, *, qs=None, select=None, title, active, with_status=False, empty="暂无举报单", extra_columns=()
):
    """`qs` gets the shared filters applied; `select(data)` applies them itself."""
    form, data = _filter_form(request, with_status=with_status)
    rows = select(data) if select else apply_report_filters(qs, data)
    page = paginate(request, rows, paginator_class=CappedPaginator)
    today = timezone.localdate()
    rows = [{"report": report, "badge": report_badge(report, today)} for report in page]
    return _render(
        request,
        title=title,
        active=active,
        form=form,
        page=page,
        rows=rows,
        empty=empty,
        extra_columns=extra_columns,
    )


@staff_view
def all_reports(request):
    return _report_list(
        request,
        select=lambda data: selectors.all_reports_for(request.user, data),
        title="所有举报",
        active="all",
        with_status=True,
    )


@staff_view
def closed_reports(request):
    return _report_list(
        request,
        qs=selectors.closed_reports_for(request.user),
        title="办结举报",
        active="closed",
        extra_columns=("conclusion", "closed_at"),
    )


@staff_view
def unaccepted_reports(request):
    return _report_list(
        request,
        qs=selectors.unaccepted_reports_for(request.user),
        title="未受理举报单",
        active="unaccepted",
        extra_columns=("reject_reason",),
    )


@staff_view
def pending_rewards(request):
    return _report_list(
        request,
        qs=selectors.pending_rewards_for(request.user),
        title="待兑现奖励",
        active="rewards",
        empty="没有待兑现的奖励",
        extra_columns=("reward", "closed_at"),
    )

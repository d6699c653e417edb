"""督办举报, 被督办, 延期申请 and 延期审批 pages: thin views (house style 5).

Forms parse; the actions decide. A refused action re-renders the form with the action's Chinese
message and changes nothing. For htmx requests the answer is 200 (htmx does not swap error
responses), for plain requests 400/403/409.
"""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from apps.reports.errors import ReportActionError, http_status
from apps.reports.selectors import report_get_for_user_or_404
from apps.reports.views.common import CappedPaginator, run_form_action
from apps.supervision import selectors
from apps.supervision.actions import (
    extension_request_check,
    report_extension_decide,
    report_extension_request,
    report_link,
    report_supervise,
    supervise_check,
)
from apps.supervision.forms import (
    CandidateFilterForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    SuperviseForm,
)

PAGE_SIZE = 20


class CandidatePaginator(CappedPaginator):
    # Past a thousand overdue reports a supervisor narrows the list (by the warning window or 督办
    # status) rather than pages through it; counting the ministry's to 10,000 costs half a second.
    cap = 1000


def _htmx_status(request, status: int) -> int:
    """htmx does not swap error responses, so it gets the re-rendered form as 200."""
    return 200 if request.htmx else status


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _done(request, url: str):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _first_error(form) -> str:
    for errors in form.errors.values():
        return errors[0]
    return "请检查填写的内容。"


@login_required
@require_GET
def candidates(request):
    """督办举报 (操作手册 6.5): reports below the user's org that are overdue or nearly so."""
    form = CandidateFilterForm(request.GET)
    warn_days, supervised = settings.DEADLINE_WARNING_WORKING_DAYS, ""
    if form.is_valid():
        if form.cleaned_data["days"] is not None:
            warn_days = form.cleaned_data["days"]
        supervised = form.cleaned_data["supervised"]
    rows = selectors.candidate_list(request.user, warn_days=warn_days, supervised=supervised)
    page = CandidatePaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.candidate_rows(request.user, page.object_list)
    context = {
        "page": page,
        "rows": rows,
        "form": form,
        "warn_days": warn_days,
        "supervised": supervised,
        "tab": "candidates",
        "active": "supervision",
    }
    return render(request, "supervision/candidates.html", context)


@login_required
@require_GET
def supervised(request):
    """被督办: the 督办 addressed to the user's org."""
    page = Paginator(selectors.supervised_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "supervision/supervised.html", {"page": page, "tab": "supervised", "active": "supervised"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def supervise(request, pk: int):
    report = report_get_for_user_or_404(request.user, pk)
    default_next = reverse("supervision:candidates")
    status = 200
    if request.method == "POST":
        form = SuperviseForm(request.POST)
        _, refused = run_form_action(
            form,
            lambda data: report_supervise(
                actor=request.user, report=report, comment=data["comment"], due_date=data["due_date"]
            ),
        )
        if refused is None:
            flash.success(request, f"已督办举报单{report.number}。")
            return _done(request, _next_url(request, default_next))
        status = _htmx_status(request, refused)
    else:
        form = SuperviseForm(initial={"due_date": SuperviseForm.default_due_date()})
    try:
        _root, current = supervise_check(actor=request.user, report=report)
        blocker = ""
    except ReportActionError as exc:
        current, blocker = None, exc.message
    context = {
        "report": report,
        "form": form,
        "current": current,
        "blocker": blocker,
        "next": _next_url(request, ""),
    }
    template = "supervision/_supervise_form.html" if request.htmx else "supervision/supervise.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def extension_request(request, pk: int):
    report = report_get_for_user_or_404(request.user, pk)
    default_next = report_link(report) or reverse("supervision:extensions")
    status = 200
    if request.method == "POST":
        form = ExtensionRequestForm(request.POST)
        _, refused = run_form_action(
            form,
            lambda data: report_extension_request(
                actor=request.user, report=report, reason=data["reason"], days=data["days"]
            ),
        )
        if refused is None:
            flash.success(request, f"已提交举报单{report.number}的延期申请，等待上级单位审批。")
            return _done(request, _next_url(request, default_next))
        status = _htmx_status(request, refused)
    else:
        form = ExtensionRequestForm()
    try:
        extension_request_check(actor=request.user, report=report)
        blocker = ""
    except ReportActionError as exc:
        blocker = exc.message
    context = {"report": report, "form": form, "blocker": blocker, "next": _next_url(request, "")}
    template = "supervision/_extension_form.html" if request.htmx else "supervision/extension_request.html"
    return render(request, template, context, status=status)


def _extensions_context(request) -> dict:
    to_decide = Paginator(selectors.extensions_to_decide(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    history = Paginator(selectors.extensions_of_org(request.user), PAGE_SIZE).get_page(
        request.GET.get("hpage")
    )
    return {"to_decide": to_decide, "history": history, "tab": "extensions", "active": "extensions"}


@login_required
@require_GET
def extensions(request):
    """待审批延期 and the org's 延期申请记录."""
    return render(request, "supervision/extensions.html", _extensions_context(request))


@login_required
def extension_decide(request, pk: int):
    # The lookup comes before the method check: any request for an extension outside the
    # user's org is the same 404, whatever the method.
    extension = selectors.extension_get_for_user_or_404(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ExtensionDecisionForm(request.POST)
    error, exc = "", None
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            report_extension_decide(
                actor=request.user, extension=extension, approve=approve, comment=form.cleaned_data["comment"]
            )
        except ReportActionError as e:
            error, exc = e.message, e
        else:
            flash.success(
                request, f"已{'批准' if approve else '不批准'}举报单{extension.report.number}的延期申请。"
            )
            return _done(request, reverse("supervision:extensions"))
    else:
        error = _first_error(form)
    context = _extensions_context(request) | {"decide_error": error, "decide_pk": extension.pk}
    status = _htmx_status(request, http_status(exc))
    return render(request, "supervision/extensions.html", context, status=status)

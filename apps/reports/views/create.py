"""新建举报 and 草稿箱."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from apps.regions.picker import deepest_region
from apps.reports.actions.create import ReportContent, ReporterIdentity, report_enter
from apps.reports.actions.drafts import draft_delete, draft_save, draft_values
from apps.reports.errors import ReportActionError
from apps.reports.forms import ReportEntryForm
from apps.reports.models import ReportDraft
from apps.reports.views.common import run_form_action, staff_view


def _draft_or_404(user, pk) -> ReportDraft:
    draft = ReportDraft.objects.filter(owner=user, pk=pk).first()
    if draft is None:
        raise Http404("草稿不存在")
    return draft


def _submit(request, form, draft):
    data = form.cleaned_data
    content = ReportContent(
        channel=data["channel"],
        region=data["region"],
        problem_type=data["problem_type"],
        industry=data["industry"],
        reported_unit_name=data["reported_unit_name"],
        description=data["description"],
        reported_unit_address=data["reported_unit_address"],
        address=data["address"],
        occurred_on=data["occurred_on"],
    )
    reporter = None
    if data["anonymity"] == "real":
        reporter = ReporterIdentity(
            name=data["reporter_name"], phone=data["reporter_phone"], id_number=data["reporter_id_number"]
        )
    token = data.get("form_token") or ""
    return report_enter(
        actor=request.user,
        content=content,
        reporter=reporter,
        files=data["attachments"],
        received_on=data["received_on"],
        draft=draft,
        idempotency_key=f"staff-{request.user.pk}-{token}"[:64] if token else None,
    )


def _entry(request, draft=None):
    org = request.user.org.owning_org() if request.user.org_id else None
    status = 200
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent == "region":
            # 选择下级地区 without JavaScript: redraw with the next level filled in, no errors yet.
            form = ReportEntryForm(initial=_posted_values(request.POST), org=org)
            return _render_entry(request, form, draft)
        if intent == "draft":
            try:
                draft = draft_save(actor=request.user, data=_posted_values(request.POST), draft=draft)
            except ReportActionError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已保存到草稿箱（附件不随草稿保存，提交时请重新选择）。")
                return redirect("reports:draft_edit", pk=draft.pk)
        form = ReportEntryForm(request.POST, request.FILES, org=org)
        if intent != "draft":
            entered, refused = run_form_action(form, lambda _data: _submit(request, form, draft))
            if refused is None:
                report, code = entered
                if code:
                    messages.success(
                        request,
                        f"举报已录入，报告编号 {report.number}。举报编码：{code}"
                        "（请告知举报人凭此查询进度，系统不再显示）。",
                    )
                return redirect("reports:detail", pk=report.pk)
            status = refused
    else:
        form = ReportEntryForm(initial=draft_values(draft) if draft else None, org=org)
    return _render_entry(request, form, draft, status)


def _posted_values(post) -> dict[str, str]:
    """The posted fields as plain values, the region picker's selects folded into `region`."""
    values = {key: post.get(key, "") for key in post if key != "csrfmiddlewaretoken"}
    values["region"] = deepest_region(post)
    return values


def _render_entry(request, form, draft, status: int = 200):
    return render(
        request,
        "reports/create.html",
        {"form": form, "draft": draft, "active": "create", "title": "新建举报"},
        status=status,
    )


@staff_view
def report_new(request):
    return _entry(request)


@staff_view
def draft_edit(request, pk):
    return _entry(request, _draft_or_404(request.user, pk))


@staff_view
@require_GET
def draft_list(request):
    drafts = ReportDraft.objects.filter(owner=request.user).only("pk", "title", "created_at", "updated_at")
    return render(request, "reports/drafts.html", {"drafts": drafts, "active": "drafts", "title": "草稿箱"})


@staff_view
@require_POST
def draft_remove(request, pk):
    draft_delete(actor=request.user, draft=_draft_or_404(request.user, pk))
    messages.success(request, "草稿已删除。")
    return redirect("reports:drafts")

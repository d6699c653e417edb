"""举报详情: every field, the attachments (served here, never from a public URL), the 流转记录, the
deadline clock, the actions the user may take, and 查看举报人信息 behind an audited button."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.catalogs.models import ProblemType
from apps.reports import selectors
from apps.reports.actions.identity import may_view_reporter, report_reveal_reporter
from apps.reports.deadlines import hop_badge, report_badge
from apps.reports.errors import ReportActionError, http_status
from apps.reports.forms import CloseForm
from apps.reports.reward import reward_hint
from apps.reports.views.common import staff_view

ACTION_LABELS = {
    "accept": ("受理", "btn-success"),
    "defer": ("暂不受理", "btn-outline-warning"),
    "reject": ("不予受理", "btn-outline-danger"),
    "hand_back": ("退回上级", "btn-outline-secondary"),
    "dispatch": ("转办本系统", "btn-primary"),
    "feedback": ("核查反馈", "btn-primary"),
    "return": ("退回重新核查", "btn-outline-warning"),
    "close": ("办结", "btn-success"),
    "reward_record": ("录入奖励兑现", "btn-outline-success"),
}


def detail_context(request, report):
    user = request.user
    hops = selectors.report_hops(report)
    mine = [
        hop
        for hop in hops
        if hop.org_id == user.org_id or (hop.org.kind == "internal" and hop.org.parent_id == user.org_id)
    ]
    # The user's own org's hop first (newest first), then its departments'.
    mine.sort(key=lambda hop: (hop.org_id != user.org_id, -hop.received_at.timestamp()))
    actions = selectors.available_actions(user, report, hops=mine)
    today = timezone.localdate()
    my_hop = mine[0] if mine else None
    return {
        "report": report,
        "hops": [{"hop": hop, "badge": hop_badge(hop, today)} for hop in hops],
        "my_hop": my_hop,
        "my_badge": hop_badge(my_hop, today) if my_hop else None,
        "badge": report_badge(report, today),
        "actions": [(name, *ACTION_LABELS[name]) for name in ACTION_LABELS if name in actions],
        "events": report.events.select_related("actor", "org", "target_org").order_by("created_at", "id"),
        "attachments": report.attachments.all(),
        "verifications": report.verifications.select_related("handling__org").prefetch_related("attachments"),
        "supplements": report.supplements.all(),
        "may_view_reporter": may_view_reporter(user, report),
        "active": "all",
    }


@staff_view
@require_GET
def report_detail(request, pk):
    report = selectors.report_get_for_user_or_404(request.user, pk)
    return render(request, "reports/detail.html", detail_context(request, report))


@staff_view
@require_POST
def reveal_reporter(request, pk):
    report = selectors.report_get_for_user_or_404(request.user, pk)
    try:
        identity = report_reveal_reporter(actor=request.user, report=report, request=request)
    except ReportActionError as exc:
        return render(
            request,
            "reports/_reporter.html",
            {"report": report, "error": exc.message},
            status=http_status(exc),
        )
    template = "reports/_reporter.html" if request.htmx else "reports/reporter.html"
    return render(request, template, {"report": report, "identity": identity, "active": "all"})


@staff_view
@require_GET
def attachment_download(request, pk, token):
    report = selectors.report_get_for_user_or_404(request.user, pk)
    attachment = report.attachments.filter(token=token).first()
    if attachment is None:
        raise Http404("附件不存在")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件不存在") from None
    # Always a download: a file a reporter uploaded is never rendered inside our origin.
    return FileResponse(
        handle, as_attachment=True, filename=attachment.display_name, content_type=attachment.content_type
    )


@staff_view
@require_GET
def reward_hint_view(request, pk):
    """htmx: the reward calculator hint on the 办结 form."""
    report = selectors.report_get_for_user_or_404(request.user, pk)
    form = CloseForm(request.GET)
    form.is_valid()  # partial input is normal while typing; use whatever parsed
    data = getattr(form, "cleaned_data", {})
    problem_type: ProblemType = report.problem_type
    hint = reward_hint(
        basis=problem_type.reward_basis,
        penalty_amount=data.get("penalty_amount"),
        concealed_deaths=data.get("concealed_deaths"),
        accident_grade=data.get("accident_grade") or "",
    )
    return render(request, "reports/_reward_hint.html", {"hint": hint, "report": report})

"""抽检管理 pages: 随机抽检 (batches), 抽检办理 (the checked org's corrections), 抽检核查 (the
checking org's checks), 整改督办 and 合格率. Thin views (house style 5): parse, call one action or
selector, render. Items and batches are found only through the scoping selectors (404 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.audit.actions import EXPORT
from apps.audit.services import audit_log
from apps.reports import selectors as report_selectors
from apps.reports.errors import ReportActionError
from apps.reports.views.common import paginate, query_without_page, run_form_action, staff_view
from apps.spotchecks import selectors
from apps.spotchecks.actions import (
    rectify_working_days,
    spotcheck_candidate_count,
    spotcheck_create,
    spotcheck_rectify,
    spotcheck_review,
    spotcheck_verify,
)
from apps.spotchecks.export import batch_workbook
from apps.spotchecks.forms import BatchForm, RectifyForm, ReviewForm, VerifyForm
from apps.spotchecks.models import SpotCheckItem

BATCH_FILTERS = {"open": "进行中", "finished": "已完成", "all": "全部"}


def _context(request, tab: str, **extra) -> dict:
    counts = selectors.counts_for(request.user)
    return {"tab": tab, "active": "spotchecks", "spotcheck_counts": counts, **extra}


def _rows(items, today=None):
    today = today or timezone.localdate()
    return [{"item": item, "badge": selectors.item_badge(item, today)} for item in items]


# ---- 随机抽检 ------------------------------------------------------------------------------------


@staff_view
@require_GET
def index(request):
    """随机抽检: the org's batches, open ones first by default."""
    state = request.GET.get("state", "open")
    if state not in BATCH_FILTERS:
        state = "open"
    qs = selectors.batches_for(request.user)
    if state == "open":
        qs = qs.filter(finished_at__isnull=True)
    elif state == "finished":
        qs = qs.filter(finished_at__isnull=False)
    page = paginate(request, qs)
    return render(request, "spotchecks/index.html", _context(
        request, "batches", page=page, state=state, filters=BATCH_FILTERS, query=query_without_page(request)))


@staff_view
def create(request):
    user = request.user
    status = 200
    if request.method == "POST":
        form = BatchForm(request.POST, user=user)
        batch, refused = run_form_action(
            form, lambda _data: spotcheck_create(actor=user, request=request, **form.action_kwargs())
        )
        if refused is None:
            messages.success(request, f"已抽取{batch.sample_size}件举报单（批次{batch.number}）。")
            return redirect("spotchecks:batch", pk=batch.pk)
        status = refused
    else:
        form = BatchForm(initial=BatchForm.default_initial(), user=user)
    return render(request, "spotchecks/create.html", _context(request, "batches", form=form), status=status)


@staff_view
@require_GET
def candidate_count(request):
    """htmx: how many closed reports the current 查询条件 would draw from."""
    form = BatchForm(request.GET, user=request.user)
    count = error = None
    if form.is_valid():
        kwargs = form.action_kwargs()
        del kwargs["size"], kwargs["ratio"]
        try:
            count = spotcheck_candidate_count(actor=request.user, **kwargs)
        except ReportActionError as exc:
            error = exc.message
    return render(request, "spotchecks/_candidate_count.html", {"count": count, "error": error})


@staff_view
@require_GET
def batch_detail(request, pk):
    batch = selectors.batch_get_for_user_or_404(request.user, pk)
    items = list(selectors.batch_items(batch))
    rates, total = selectors.pass_rates(batch.items.all())
    return render(request, "spotchecks/batch.html", _context(
        request, "batches", batch=batch, rows=_rows(items), rates=rates, total=total))


@staff_view
@require_GET
def batch_export(request, pk):
    batch = selectors.batch_get_for_user_or_404(request.user, pk)
    content = batch_workbook(batch)
    audit_log(actor=request.user, action=EXPORT, target=batch, result="success", request=request,
              detail={"what": "spotcheck_batch", "items": batch.item_count})
    response = HttpResponse(content,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.xlsx"'
    return response


# ---- one item --------------------------------------------------------------------------------------


def _item_tab(user, item: SpotCheckItem) -> str:
    """The tab an item page sits under: the checking org's 随机抽检, the checked org's 抽检办理, or
    整改督办 for a superior of the checked org reading what it supervises."""
    if item.batch.checking_org_id == user.org_id:
        return "batches"
    return "rectify" if item.checked_org_id == user.org_id else "due"


def _item_page(request, item: SpotCheckItem, *, review_form=None, verify_form=None, status=200):
    user = request.user
    report = item.report
    steps = selectors.available_steps(user, item)
    rounds = item.rounds.select_related("actor", "org").prefetch_related("attachments")
    context = _context(
        request, _item_tab(user, item),
        item=item, batch=item.batch, report=report, steps=steps, rounds=rounds,
        badge=selectors.item_badge(item),
        review_form=review_form or (ReviewForm() if "review" in steps else None),
        verify_form=verify_form or (VerifyForm() if "verify" in steps else None),
        hops=report_selectors.report_hops(report),
        events=report.events.select_related("actor", "org", "target_org").order_by("created_at", "id"),
        verifications=report.verifications.select_related("handling__org"),
        attachments=report.attachments.all(),
        rectify_days=rectify_working_days(),
    )
    return render(request, "spotchecks/item.html", context, status=status)


@staff_view
@require_GET
def item_detail(request, pk):
    # Read-only for a superior of the checked org; the step URLs below keep the narrower lookup.
    return _item_page(request, selectors.item_read_for_user_or_404(request.user, pk))


def _record_conclusion(request, pk, *, form_class, form_slot: str, perform, success: str):
    """抽检结论 and 核查结论 alike: a verdict form on the item page, one action, back to the item."""
    item = selectors.item_get_for_user_or_404(request.user, pk)
    form = form_class(request.POST)
    _, refused = run_form_action(form, lambda data: perform(item, data))
    if refused is not None:
        return _item_page(request, item, **{form_slot: form}, status=refused)
    messages.success(request, success)
    return redirect("spotchecks:item", pk=item.pk)


@staff_view
@require_POST
def review(request, pk):
    return _record_conclusion(
        request, pk, form_class=ReviewForm, form_slot="review_form", success="已记录抽检结论。",
        perform=lambda item, data: spotcheck_review(
            actor=request.user, item=item, qualified=data["verdict"] == "qualified", opinion=data["opinion"]))


@staff_view
@require_POST
def verify(request, pk):
    return _record_conclusion(
        request, pk, form_class=VerifyForm, form_slot="verify_form", success="已记录核查结论。",
        perform=lambda item, data: spotcheck_verify(
            actor=request.user, item=item, passed=data["verdict"] == "passed", opinion=data["opinion"]))


@staff_view
def rectify(request, pk):
    """抽检办理: correct the report and resubmit it."""
    item = selectors.item_get_for_user_or_404(request.user, pk)
    available = "rectify" in selectors.available_steps(request.user, item)
    status = 200
    if request.method == "POST":
        form = RectifyForm(request.POST, request.FILES)
        _, refused = run_form_action(
            form, lambda _data: spotcheck_rectify(actor=request.user, item=item, **form.action_kwargs())
        )
        if refused is None:
            messages.success(request, "已提交整改，等待上级单位核查。")
            return redirect("spotchecks:item", pk=item.pk)
        status = refused
    else:
        form = RectifyForm(initial=RectifyForm.initial_for(item.report))
    return render(request, "spotchecks/rectify.html", _context(
        request, "rectify", item=item, report=item.report, form=form, available=available,
        badge=selectors.item_badge(item)), status=status)


# ---- lists ----------------------------------------------------------------------------------------


def _items_page(request, tab: str, items, *, title: str, empty: str, **extra):
    """One page of items, each with its deadline badge (the three item lists share items.html)."""
    page = paginate(request, items)
    return render(request, "spotchecks/items.html", _context(
        request, tab, page=page, rows=_rows(page), query=query_without_page(request), title=title,
        empty=empty, **extra))


@staff_view
@require_GET
def rectify_list(request):
    """抽检办理: the org's 不合格 items (待整改 and 待核查; 全部 adds the finished ones)."""
    show_all = request.GET.get("show") == "all"
    items = selectors.items_to_rectify(request.user, include_finished=show_all)
    return _items_page(request, "rectify", items, title="抽检办理", empty="没有需要整改的抽检事项",
                       show_all=show_all)


@staff_view
@require_GET
def verify_list(request):
    return _items_page(request, "verify", selectors.items_to_verify(request.user),
                       title="抽检核查", empty="没有待核查的整改")


@staff_view
@require_GET
def due_list(request):
    """整改督办: corrections below the org that are overdue or nearly so."""
    return _items_page(request, "due", selectors.spotcheck_items_due(request.user),
                       title="整改督办", empty="没有超期或即将超期的抽检整改")


@staff_view
@require_GET
def stats(request):
    rates, total = selectors.pass_rates(selectors.checking_items(request.user))
    return render(request, "spotchecks/stats.html", _context(request, "stats", rates=rates, total=total))

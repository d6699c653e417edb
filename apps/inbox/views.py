"""消息中心 pages: thin views over the selectors and actions (house style 5)."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from apps.inbox.actions import message_mark_all_read, message_mark_read
from apps.inbox.models import Message
from apps.inbox.selectors import message_get_for_user_or_404, messages_with_read_state

PAGE_SIZE = 20
STATUS_FILTERS = {"all": "全部", "unread": "未读", "read": "已读"}


def _filters(params) -> tuple[str, str]:
    status = params.get("status", "all")
    kind = params.get("kind", "")
    # Unknown values fall back to "everything" rather than an error page: they come from URLs.
    return (status if status in STATUS_FILTERS else "all"), (kind if kind in Message.Kind.values else "")


def _list_context(request, status: str, kind: str, page_number) -> dict:
    qs = messages_with_read_state(request.user)
    if status == "unread":
        qs = qs.filter(is_read=False)
    elif status == "read":
        qs = qs.filter(is_read=True)
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, PAGE_SIZE).get_page(page_number)
    return {
        "page": page,
        "status": status,
        "kind": kind,
        "status_filters": STATUS_FILTERS,
        "kinds": Message.Kind.choices,
        "active": "inbox",
    }


@login_required
@require_GET
def message_list(request):
    status, kind = _filters(request.GET)
    context = _list_context(request, status, kind, request.GET.get("page"))
    template = "inbox/_list.html" if request.htmx and not request.htmx.boosted else "inbox/message_list.html"
    return render(request, template, context)


def _back_to_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("inbox:list")


@login_required
def message_read(request, pk: int):
    # Lookup first: someone else's message is a 404 whatever the method.
    message = message_get_for_user_or_404(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    message_mark_read(actor=request.user, message=message)
    if request.htmx:
        message.is_read = True
        return render(request, "inbox/_row_read.html", {"message": message})
    return _back_to_list(request)


@login_required
@require_POST
def message_read_all(request):
    count = message_mark_all_read(actor=request.user)
    if request.htmx:
        status, kind = _filters(request.POST)
        return render(
            request, "inbox/_list.html", _list_context(request, status, kind, 1) | {"oob_badge": True}
        )
    flash.success(request, f"已将{count}条消息标记为已读。" if count else "没有未读消息。")
    return _back_to_list(request)


@login_required
def message_open(request, pk: int):
    """查看: the message's page, marking it read on the way (a link click is the natural "read")."""
    message = message_get_for_user_or_404(request.user, pk)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    message_mark_read(actor=request.user, message=message)
    # notify() accepts only local paths; checked again here because this is a redirect.
    if message.url and url_has_allowed_host_and_scheme(message.url, allowed_hosts={request.get_host()}):
        return redirect(message.url)
    return redirect(reverse("inbox:list"))

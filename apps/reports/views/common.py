"""Shared bits of the staff views: login, the error → status mapping, pagination."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from apps.reports.errors import InvalidTransition, PermissionDeniedForAction

PAGE_SIZE = 20


def staff_view(view):
    """Logged-in staff only. Scoping is per query (reports_visible_to), never by this decorator."""
    return wraps(view)(login_required(view))


def error_status(exc) -> int:
    if isinstance(exc, PermissionDeniedForAction):
        return 403
    if isinstance(exc, InvalidTransition):
        return 409
    return 400


def paginate(request, qs, per_page: int = PAGE_SIZE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

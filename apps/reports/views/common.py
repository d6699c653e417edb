"""Shared bits of the staff views: login, running an action from a form, pagination."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from apps.reports.errors import ReportActionError, http_status

PAGE_SIZE = 20


def staff_view(view):
    """Logged-in staff only. Scoping is per query (reports_visible_to), never by this decorator."""
    return wraps(view)(login_required(view))


def run_form_action(form, perform):
    """Validate `form` and run `perform(cleaned_data)`, which calls one action.

    Returns (result, None) when the action ran, or (None, status) when it did not: 400 for an
    invalid form; for a refused action the action's message becomes a form error and the status
    says why (http_status). The page then re-renders the form with that status."""
    if not form.is_valid():
        return None, 400
    try:
        return perform(form.cleaned_data), None
    except ReportActionError as exc:
        form.add_error(None, exc.message)
        return None, http_status(exc)


def paginate(request, qs, per_page: int = PAGE_SIZE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

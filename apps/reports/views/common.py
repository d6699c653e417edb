"""Shared bits of the staff views: login, running an action from a form, pagination."""

from functools import cached_property, wraps

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator

from apps.core.paging import PagedRows
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


# A list counts at most this many rows and then says "超过 10000 件": an exact COUNT over ten
# million reports takes most of a second and tells a reader nothing a filter would not.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """`count_source`: the same rows as the list, built without what only the page needs."""

    cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, count_source=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.count_source = object_list if count_source is None else count_source

    @cached_property
    def count(self) -> int:
        if isinstance(self.count_source, PagedRows):
            return self.count_source.capped_count(self.cap)
        # COUNT(*) over a LIMIT: stops reading after cap + 1 rows.
        return self.count_source.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(request, qs, per_page: int | None = None, paginator_class=Paginator, **options):
    return paginator_class(qs, per_page or PAGE_SIZE, **options).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

"""Panels other apps' pages can include without knowing this app's models:

    {% load spotchecks_tags %}
    {% spotcheck_report_panel report %}      on the report detail page
    {% spotcheck_due_panel %}                 on the 督办 page (抽检整改 overdue or nearly so)
"""

from django import template
from django.utils import timezone

from apps.spotchecks import selectors

register = template.Library()

DUE_PANEL_LIMIT = 20


@register.inclusion_tag("spotchecks/_report_panel.html", takes_context=True)
def spotcheck_report_panel(context, report):
    user = context["request"].user
    return {"items": selectors.report_items_for(user, report)}


@register.inclusion_tag("spotchecks/_due_panel.html", takes_context=True)
def spotcheck_due_panel(context, warn_days=None, supervised=""):
    """The first DUE_PANEL_LIMIT items and how many there are: the header's 督办 number adds that
    count to the page's reports, so the panel says it. `supervised` is the page's 督办状态 filter
    ("yes" / "no" / "" for all)."""
    user = context["request"].user
    qs = selectors.spotcheck_items_due(user, warn_days=warn_days).select_related("report")
    if supervised:
        qs = qs.filter(is_supervised=supervised == "yes")
    today = timezone.localdate()
    items = list(qs[: DUE_PANEL_LIMIT + 1])
    more = len(items) > DUE_PANEL_LIMIT
    rows = [{"item": item, "badge": selectors.item_badge(item, today)} for item in items[:DUE_PANEL_LIMIT]]
    # Counted only when the page does not hold them all: one query less in the usual case.
    count = qs.order_by().count() if more else len(items)
    return {"rows": rows, "more": more, "count": count}


@register.simple_tag
def pass_rate(qualified: int, reviewed: int) -> str:
    """合格率 as the statistics page shows it (one decimal, — when nothing was reviewed yet)."""
    rate = selectors.PassRate(org_id=None, org_name="", reviewed=reviewed or 0, qualified=qualified or 0)
    return rate.rate_text

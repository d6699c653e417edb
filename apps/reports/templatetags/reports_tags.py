import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.inclusion_tag("reports/_badge.html")
def deadline_badge(badge, show_label: bool = False):
    return {"badge": badge, "show_label": show_label}


@register.inclusion_tag("reports/_due_date.html")
def due_date(day):
    """A deadline as Y-m-d ("—" when none), with deadline_badge's mark when its year's holiday
    arrangement is not confirmed yet: such a working-day date may still move."""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day)
    if not isinstance(day, datetime.date):
        return {"day": None, "unconfirmed": False}
    from apps.reports.deadlines import due_unconfirmed

    return {"day": day, "unconfirmed": due_unconfirmed(day)}


@register.filter
def event_label(action: str) -> str:
    from apps.reports.events import event_label as label

    return label(action)

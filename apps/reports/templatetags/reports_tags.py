from django import template

register = template.Library()


@register.inclusion_tag("reports/_badge.html")
def deadline_badge(badge, show_label: bool = False):
    return {"badge": badge, "show_label": show_label}


@register.filter
def event_label(action: str) -> str:
    from apps.reports.events import event_label as label

    return label(action)

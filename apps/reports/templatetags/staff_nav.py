"""Sidebar entries that appear once the app behind them ships its URL, so the staff layout can
list every menu of the spec before each one exists."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str, key: str = ""):
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    active = key and context.get("active") == key
    current = mark_safe(' aria-current="page"') if active else ""
    return format_html(
        '<li class="nav-item"><a class="nav-link{}" href="{}"{}>{}</a></li>',
        " active" if active else "",
        url,
        current,
        label,
    )


@register.simple_tag
def url_exists(url_name: str) -> bool:
    try:
        reverse(url_name)
    except NoReverseMatch:
        return False
    return True

from django import template

register = template.Library()


@register.filter
def group_digits(value: str, size: int = 4) -> str:
    """1234 5678 9012 3456 78: easier to copy by hand and to read out on the phone."""
    value = str(value or "")
    return " ".join(value[i:i + size] for i in range(0, len(value), size))

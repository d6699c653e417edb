"""Form widgets shared by every app."""

from django import forms


class IsoDateInput(forms.DateInput):
    """<input type="date"> accepts only ISO dates: rendered in the zh-hans display format
    ("2026/01/01") a date is silently dropped by the browser, and a form sent back untouched
    then says the date is missing."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")

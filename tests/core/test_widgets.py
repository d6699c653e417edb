"""IsoDateInput: a type=date input that the browser can fill, whatever the locale."""

import datetime

from django.utils import translation

from apps.audit.forms import AuditFilterForm
from apps.core.widgets import IsoDateInput


def test_a_date_is_rendered_in_iso_under_zh_hans():
    with translation.override("zh-hans"):
        html = IsoDateInput().render("start", datetime.date(2026, 1, 5))
    assert 'type="date"' in html and 'value="2026-01-05"' in html


def test_forms_with_date_initials_render_them_in_iso():
    with translation.override("zh-hans"):
        form = AuditFilterForm(initial={"start": datetime.date(2026, 1, 5)})
        html = str(form["start"])
    assert 'value="2026-01-05"' in html

"""The list filter form's region select, rendered without a template per option."""

import pytest

from apps.regions.models import Region
from apps.reports.forms import ReportFilterForm

pytestmark = pytest.mark.django_db


def test_region_filter_renders_every_option_escaped_and_keeps_the_choice(world):
    chosen = world.regions["410105"]
    Region.objects.filter(pk=chosen.pk).update(name='金水<区>"')
    form = ReportFilterForm({"region": str(chosen.pk)}, org=world.orgs.henan)
    assert form.is_valid(), form.errors
    html = str(form["region"])
    assert html.startswith('<select name="region"') and 'class="form-select"' in html
    assert '<option value="">全部</option>' in html
    assert f'<option value="{chosen.pk}" selected>\u3000\u3000金水&lt;区&gt;&quot;</option>' in html
    expected = ReportFilterForm(org=world.orgs.henan).fields["region"].queryset.count()
    assert html.count("<option") == expected + 1

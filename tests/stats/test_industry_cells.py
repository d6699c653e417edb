"""The industry cells: a 司局's or 矿山安监's statistics for 全国 and for a province are sums of
cells, never a scan of its industries' reports, and equal to the reports table's answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.reports.models import Report
from apps.stats import queries as q
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
# Whole months only: no partial month at either end, so nothing is read from the reports table.
MONTHS = (
    (TODAY.replace(day=1) - dt.timedelta(days=200)).replace(day=1),
    TODAY.replace(day=1) - dt.timedelta(days=1),
)


@pytest.fixture
def mixed(world):
    hazchem = next(i for i in world.industries if i.code == "hazchem")
    other = next(i for i in world.industries if i.code == "metallurgy")
    for n, leaf in enumerate(("410105", "410102", "419001", "130102")):
        for industry in (hazchem, other, hazchem):
            make_report(
                world, leaf=leaf, received=at(MONTHS[0] + dt.timedelta(days=20 + 9 * n)), industry=industry
            )
    return world


def _reads_reports(queries) -> bool:
    table = Report._meta.db_table
    return any(table in query["sql"] for query in queries)


@pytest.mark.parametrize("region_code", [None, "410000", "130000"])
def test_a_bureau_reads_cells_for_the_nation_and_a_province(mixed, region_code):
    scope = q.stats_scope(mixed.users.hazchem_bureau)
    start, end = MONTHS
    with CaptureQueriesContext(connection) as queries:
        totals = q.report_totals(scope=scope, start=start, end=end, region_code=region_code)
        kpis = q.kpis(scope=scope, start=start, end=end, region_code=region_code)
        by_region = q.report_counts(scope=scope, start=start, end=end, region_code=region_code, by="industry")
    assert not _reads_reports(queries.captured_queries)
    assert totals == q.report_totals(scope=scope, start=start, end=end, region_code=region_code, engine="raw")
    assert kpis == q.kpis(scope=scope, start=start, end=end, region_code=region_code, engine="raw")
    expected = {"410000": 6, "130000": 2, None: 8}[region_code]
    assert totals["total"] == expected and list(by_region.values()) == [expected]


def test_the_bureau_screen_breakdown_by_province_reads_cells(mixed):
    scope = q.stats_scope(mixed.users.hazchem_bureau)
    start, end = MONTHS
    with CaptureQueriesContext(connection) as queries:
        by_province = q.report_counts(scope=scope, start=start, end=end, by="child_region")
    assert not _reads_reports(queries.captured_queries)
    assert by_province == {"130000": 2, "410000": 6}
    assert by_province == q.report_counts(scope=scope, start=start, end=end, by="child_region", engine="raw")


def test_a_city_of_an_industry_scope_is_counted_on_the_reports_table(mixed):
    scope = q.stats_scope(mixed.users.hazchem_bureau)
    start, end = MONTHS
    found = q.report_totals(scope=scope, start=start, end=end, region_code="410100")
    assert found == q.report_totals(scope=scope, start=start, end=end, region_code="410100", engine="raw")
    assert found["total"] == 4


def test_changing_a_reports_industry_moves_it_between_industry_cells(mixed):
    scope = q.stats_scope(mixed.users.hazchem_bureau)
    start, end = MONTHS
    report = Report.objects.filter(industry__code="metallurgy", region__code="410105").first()
    report.industry = next(i for i in mixed.industries if i.code == "hazchem")
    report.save()
    totals = q.report_totals(scope=scope, start=start, end=end)
    assert totals["total"] == 9
    assert totals == q.report_totals(scope=scope, start=start, end=end, engine="raw")

"""The Excel table and the Word analysis, read back: their numbers are the reports' numbers,
and a city's files hold nothing from outside the city."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import F
from docx import Document
from openpyxl import load_workbook

from apps.reports.models import Report
from apps.stats import queries as q
from apps.stats.analysis import analysis_document, change_text
from apps.stats.exports import workbook_bytes
from apps.stats.services import StatsQuery, describe, table_for
from tests.stats.conftest import at, make_report

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=60)


@pytest.fixture
def data(world):
    from apps.reports.actions.accept import report_accept

    for i, leaf in enumerate(("410105", "410105", "410102", "419001", "130102", "130102", "130102")):
        report = make_report(
            world,
            leaf=leaf,
            received=at(START + dt.timedelta(days=3 * i)),
            channel=world.channels[i % 3],
            problem_type=world.problem_types[i % 4],
            description="危险化学品仓库超量储存，夜间偷偷生产。" if i % 2 else "粉尘车间未安装除尘设施。",
        )
        if i % 3 == 0:
            key = world.key_for_leaf[leaf]
            report_accept(actor=getattr(world.users, key), report=report)
    return world


def _cells(ws):
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_numbers_match_the_reports(data):
    scope = q.stats_scope(data.users.ministry)
    query = StatsQuery(mode="region", start=START, end=TODAY, column="channel")
    table = table_for(scope, query)
    wb = load_workbook(io.BytesIO(workbook_bytes([("按举报形式", table)], describe(scope, query))))
    ws = wb["按举报形式"]
    rows = _cells(ws)
    assert rows[0][0] == table.title and "举报形式" in rows[0][0] and START.isoformat() in rows[0][0]
    assert rows[1][0].startswith("查询条件：按地区 全国")
    header = rows[2]
    assert header[0] == "地区" and header[-9] == "合计"
    body = {r[0]: r for r in rows[3:]}
    channel_names = header[1 : header.index("合计")]
    for province, code in (("河南省", "41"), ("河北省", "13")):
        for col, name in enumerate(channel_names, start=1):
            expected = Report.objects.filter(province_code__startswith=code, channel__name=name).count()
            assert body[province][col] == expected
        assert (
            body[province][len(channel_names) + 1]
            == Report.objects.filter(province_code__startswith=code).count()
        )
    assert body["合计"][len(channel_names) + 1] == Report.objects.count() == 7
    # Reports 0, 3 and 6 were accepted today, 42 to 60 days after receipt: all three after their
    # 3-working-day accept_due, so 0.0 (not "—": there is something to rate). The on-time and
    # late cases with exact rates are in test_export_numbers.py.
    accepted = Report.objects.filter(accepted_at__isnull=False)
    assert accepted.count() == 3 and not accepted.filter(accepted_at__date__lte=F("accept_due")).exists()
    rate = header.index("受理及时率(%)")
    assert (body["河南省"][rate], body["河北省"][rate], body["合计"][rate]) == (0.0, 0.0, 0.0)
    # Laid out for printing.
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"


def test_city_files_hold_nothing_from_outside(data):
    scope = q.stats_scope(data.users.zhengzhou)
    query = StatsQuery(mode="region", start=START, end=TODAY, column="problem_type")
    table = table_for(scope, query)
    blob = workbook_bytes([("表", table)], describe(scope, query))
    text = " ".join(
        str(v) for row in _cells(load_workbook(io.BytesIO(blob)).active) for v in row if v is not None
    )
    assert "金水区" in text and "中原区" in text
    for outside in ("河北", "石家庄", "长安区", "济源"):
        assert outside not in text
    assert table.total.total == Report.objects.filter(city_code="410100").count() == 3

    doc = Document(io.BytesIO(analysis_document(scope=scope, subject="郑州市", start=START, end=TODAY)))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert "共接收安全生产举报3件" in body
    for outside in ("河北", "石家庄", "长安区", "济源"):
        assert outside not in body


def test_docx_numbers_match_the_reports(data):
    scope = q.stats_scope(data.users.ministry)
    doc = Document(io.BytesIO(analysis_document(scope=scope, subject="全国", start=START, end=TODAY)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "全国安全生产举报信息情况分析报告" in text
    assert f"共接收安全生产举报{Report.objects.count()}件" in text
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    by_header = {t[0][0]: t for t in tables}
    types = by_header["举报问题类型"]
    assert sum(int(r[1]) for r in types[1:]) == 7
    for name, n, *_share_and_comparisons in types[1:]:
        assert int(n) == Report.objects.filter(problem_type__name=name).count()
    regions = next(t for t in tables if t[0][:2] == ["地区", "本期"])
    assert {r[0]: int(r[1]) for r in regions[1:]} == {"河北省": 3, "河南省": 4}
    statuses = {r[0]: int(r[1]) for r in by_header["状态"][1:]}
    assert statuses["已受理"] == 3 and statuses["待受理"] == 4
    # Charts are embedded as images: types, industries, channels, regions, monthly trend.
    assert len(doc.inline_shapes) >= 5
    assert "受理及时率" in text and "举报热词" in text


def test_change_text():
    assert change_text(120, 100) == "增长20.0%"
    assert change_text(80, 100) == "下降20.0%"
    assert change_text(5, 0) == "上期为0"
    assert change_text(0, 0) == "持平"
    assert change_text(3, None) == "无可比数据"

"""The numbers in the exported files and on the screen, against values worked out by hand from
reports with known timings (tests/stats/timed.py): the Excel table's KPI columns, the Word
report's totals with 上期/去年同期, its breakdowns and per-unit 考核指标, and the screen's KPIs."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from apps.stats import queries as q
from apps.stats.analysis import analysis_document
from apps.stats.services import StatsQuery, narrowed_scope, subject_of
from tests.stats.timed import PERIOD, build

KPI_COLUMNS = [
    "受理及时率(%)",
    "转办及时率(%)",
    "办结及时率(%)",
    "超期件数",
    "平均办结工作日",
    "属实率(%)",
    "奖励兑现(笔)",
    "奖励兑现金额(元)",
]
UNIT_KPI_HEADER = [
    "举报数",
    "受理及时率",
    "转办及时率",
    "办结及时率",
    "超期数",
    "平均办结工作日",
    "属实率",
    "奖励兑现（件/金额）",
]
COMPARE_HEADER = ["本期", "占比", "上期", "环比", "去年同期", "同比"]
# 河南: R1-R4 (R4 never accepted); 河北: R5 only (accepted on time, still open).
HENAN_KPIS = ["66.7%", "66.7%", "66.7%", "1", "26.3", "66.7%", "1件/123.45元"]
HEBEI_KPIS = ["100.0%", "—", "—", "1", "—", "—", "0件/0.00元"]
NATION_KPIS = ["75.0%", "66.7%", "66.7%", "2", "26.3", "66.7%", "1件/123.45元"]


@pytest.fixture
def timed(world):
    return build(world)


def _query(**extra) -> dict:
    return {
        "mode": "region",
        "start": PERIOD.start.isoformat(),
        "end": PERIOD.end.isoformat(),
        "column": "channel",
        **extra,
    }


# --- Excel ---------------------------------------------------------------------------------------


def _sheet_rows(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_kpi_columns_of_a_row_and_the_total(client, timed):
    client.force_login(timed.users.ministry)
    response = client.get(reverse("stats:table_xlsx"), _query())
    assert response.status_code == 200
    rows = _sheet_rows(response.content)
    header = rows[2]
    assert header[-len(KPI_COLUMNS) :] == KPI_COLUMNS
    body = {r[0]: dict(zip(header, r, strict=True)) for r in rows[3:]}
    assert list(body) == ["河北省", "河南省", "合计"]
    ch = timed.channels
    # 本期: R1, R3, R5 by channel 0, R2 by 1, R4 by 2; 上期 and 去年同期 are not in the table.
    assert [body["合计"][c.name] for c in ch[:3]] == [3, 1, 1]
    assert body["河南省"]["合计"] == 4 and body["河北省"]["合计"] == 1 and body["合计"]["合计"] == 5
    kpis = {name: [body[name][h] for h in KPI_COLUMNS] for name in body}
    assert kpis["河南省"] == [66.7, 66.7, 66.7, 1, 26.3, 66.7, 1, 123.45]
    assert kpis["河北省"] == [100.0, "—", "—", 1, "—", "—", 0, 0.0]
    assert kpis["合计"] == [75.0, 66.7, 66.7, 2, 26.3, 66.7, 1, 123.45]


def test_xlsx_by_org_rows_are_the_departments_with_their_kpis(client, timed):
    client.force_login(timed.users.henan)
    response = client.get(reverse("stats:table_xlsx"), _query(mode="org", org=str(timed.orgs.henan.pk)))
    rows = _sheet_rows(response.content)
    header = rows[2]
    kpis = {r[0]: [dict(zip(header, r, strict=True))[h] for h in KPI_COLUMNS] for r in rows[3:]}
    assert kpis == {
        "郑州市应急管理局": [66.7, 66.7, 66.7, 1, 26.3, 66.7, 1, 123.45],
        "济源市应急管理局": ["—", "—", "—", 0, "—", "—", 0, 0.0],
        "合计": [66.7, 66.7, 66.7, 1, 26.3, 66.7, 1, 123.45],
    }


# --- Word ----------------------------------------------------------------------------------------


def _document(timed, user_key: str, **query) -> Document:
    """The report as the background job builds it (services' subject and narrowed scope)."""
    scope = q.stats_scope(getattr(timed.users, user_key))
    stats_query = StatsQuery(start=PERIOD.start, end=PERIOD.end, **{"mode": "region", **query})
    return Document(
        io.BytesIO(
            analysis_document(
                scope=narrowed_scope(scope, stats_query),
                subject=subject_of(scope, stats_query),
                start=PERIOD.start,
                end=PERIOD.end,
                region_code=stats_query.region_code,
                org=stats_query.org,
            )
        )
    )


def _text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _table(doc, *header: str) -> list[list[str]]:
    """The body rows of the one table whose header row starts with `header`."""
    found = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in doc.tables
        if [c.text for c in t.rows[0].cells][: len(header)] == list(header)
    ]
    assert len(found) == 1, (header, len(found))
    return found[0][1:]


def test_docx_totals_with_previous_period_and_last_year(timed):
    doc = _document(timed, "ministry")
    text = _text(doc)
    assert (
        "2025年3月1日至2025年5月31日，全国共接收安全生产举报5件，"
        "环比增长150.0%（上期2件），同比增长25.0%（去年同期4件）。"
        "其中已办结3件，办理中2件（已超期2件），不予受理0件，暂不受理0件。"
    ) in text
    assert _table(doc, "指标", "本期") == [["举报总数", "5", "2", "4"]]
    statuses = dict(row[:2] for row in _table(doc, "状态", "件数"))
    assert statuses == {
        "待受理": "1",
        "暂不受理": "0",
        "不予受理": "0",
        "已受理": "1",
        "核查中": "0",
        "已办结": "3",
    }


def test_docx_kpis_rewards_and_penalties(timed):
    doc = _document(timed, "ministry")
    text = _text(doc)
    assert (
        "受理及时率75.0%（3/4），转办及时率66.7%（2/3），办结及时率66.7%（2/3），"
        "平均办结用时26.3个工作日，目前超期未办结2件。核查属实（含部分属实）2件，属实率66.7%。"
    ) in text
    assert "已兑现举报奖励1笔，金额123.45元；待兑现1笔；核查处罚金额合计5000.00元。" in text
    # 上期 and 去年同期: nothing accepted yet, every report still waiting and overdue.
    assert _table(doc, "考核指标", "本期", "上期", "去年同期") == [
        ["受理及时率", "75.0%", "—", "—"],
        ["转办及时率", "66.7%", "—", "—"],
        ["办结及时率", "66.7%", "—", "—"],
        ["超期数", "2", "2", "4"],
        ["平均办结工作日", "26.3", "—", "—"],
        ["属实率", "66.7%", "—", "—"],
        ["奖励兑现（件/金额）", "1件/123.45元", "0件/0.00元", "0件/0.00元"],
    ]


def test_docx_breakdowns_compare_with_previous_period_and_last_year(timed):
    doc = _document(timed, "ministry")
    pt, ch = [p.name for p in timed.problem_types], [c.name for c in timed.channels]
    # 本期 pt0: R1 R2, pt1: R3 R4, pt2: R5; 上期 pt0: P1, pt2: P2; 去年同期 pt0: L1 L3, pt1: L2,
    # pt3: L4 (absent now, still listed). Equal counts are ordered by name.
    first, second = sorted([pt[0], pt[1]])
    expected = {
        pt[0]: [pt[0], "2", "40.0%", "1", "增长100.0%", "2", "持平"],
        pt[1]: [pt[1], "2", "40.0%", "0", "上期为0", "1", "增长100.0%"],
    }
    assert _table(doc, "举报问题类型", *COMPARE_HEADER) == [
        expected[first],
        expected[second],
        [pt[2], "1", "20.0%", "1", "持平", "0", "去年同期为0"],
        [pt[3], "0", "0.0%", "0", "持平", "1", "下降100.0%"],
    ]
    assert _table(doc, "举报形式", *COMPARE_HEADER) == [
        [ch[0], "3", "60.0%", "1", "增长200.0%", "4", "下降25.0%"],
        *sorted(
            [
                [ch[1], "1", "20.0%", "1", "持平", "0", "去年同期为0"],
                [ch[2], "1", "20.0%", "0", "上期为0", "0", "去年同期为0"],
            ]
        ),
    ]
    ind = [i.name for i in timed.industries]
    assert _table(doc, "举报所属行业", *COMPARE_HEADER) == [
        [ind[4], "3", "60.0%", "2", "增长50.0%", "4", "下降25.0%"],
        [ind[5], "2", "40.0%", "0", "上期为0", "0", "去年同期为0"],
    ]
    assert _table(doc, "地区", *COMPARE_HEADER) == [
        ["河南省", "4", "80.0%", "1", "增长300.0%", "3", "增长33.3%"],
        ["河北省", "1", "20.0%", "1", "持平", "1", "持平"],
    ]


def test_docx_kpis_per_child_region(timed):
    doc = _document(timed, "ministry")
    assert _table(doc, "地区", *UNIT_KPI_HEADER) == [
        ["河北省", "1", *HEBEI_KPIS],
        ["河南省", "4", *HENAN_KPIS],
        ["合计", "5", *NATION_KPIS],
    ]


def test_docx_kpis_per_child_org(timed):
    doc = _document(timed, "ministry", mode="org", org_id=timed.orgs.ministry.pk)
    assert _table(doc, "单位", *UNIT_KPI_HEADER) == [
        ["河北省应急管理厅", "1", *HEBEI_KPIS],
        ["河南省应急管理厅", "4", *HENAN_KPIS],
        ["合计", "5", *NATION_KPIS],
    ]
    henan = _document(timed, "henan", mode="org", org_id=timed.orgs.henan.pk)
    assert (
        "河南省应急管理厅共接收安全生产举报4件，环比增长300.0%（上期1件），同比增长33.3%（去年同期3件）"
        in _text(henan)
    )
    assert _table(henan, "单位", *UNIT_KPI_HEADER) == [
        ["郑州市应急管理局", "4", *HENAN_KPIS],
        ["济源市应急管理局", "0", "—", "—", "—", "0", "—", "—", "0件/0.00元"],
        ["合计", "4", *HENAN_KPIS],
    ]


def test_docx_region_below_the_nation(timed):
    """A province's report: its cities, including one with reports only in the previous period."""
    doc = _document(timed, "henan")
    assert _table(doc, "地区", *COMPARE_HEADER) == [
        ["郑州市", "4", "100.0%", "0", "上期为0", "3", "增长33.3%"],
        ["济源市", "0", "0.0%", "1", "下降100.0%", "0", "持平"],
    ]
    rows = _table(doc, "地区", *UNIT_KPI_HEADER)
    assert rows[0] == ["郑州市", "4", *HENAN_KPIS] and rows[-1] == ["合计", "4", *HENAN_KPIS]
    for outside in ("河北", "长安区"):
        assert outside not in _text(doc)


# --- The screen ----------------------------------------------------------------------------------


def _screen(client, code: str) -> dict:
    response = client.get(
        f"/api/v1/dashboard/screen/{code}", {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_screen_kpis(client, timed):
    client.force_login(timed.users.ministry)
    nation = _screen(client, "100000")
    assert nation["period"] == {"total": 5, "pending": 2, "overdue": 2, "closed": 3}
    assert {k["key"]: k["value"] for k in nation["kpis"]} == {
        "accept_rate": "75%",
        "dispatch_rate": "66.7%",
        "close_rate": "66.7%",
        "avg_close_days": "26.3",
        "verified_rate": "66.7%",
        "rewards_paid": "1件",
    }
    hebei = _screen(client, "130000")
    assert hebei["period"] == {"total": 1, "pending": 1, "overdue": 1, "closed": 0}
    assert {k["key"]: k["value"] for k in hebei["kpis"]} == {
        "accept_rate": "100%",
        "dispatch_rate": "—",
        "close_rate": "—",
        "avg_close_days": "—",
        "verified_rate": "—",
        "rewards_paid": "0件",
    }


def test_comparison_rows_without_earlier_data():
    """A period starting in 2000 has no 上期 (the data starts then): "—", never a made-up 0."""
    from apps.stats.analysis import comparison_rows

    assert comparison_rows({"a": 3}, None, {"b": 2}, 4, label=str.upper) == [
        ["A", 3, "75.0%", "—", "无可比数据", 0, "去年同期为0"],
        ["B", 0, "0.0%", "—", "无可比数据", 2, "下降100.0%"],
    ]

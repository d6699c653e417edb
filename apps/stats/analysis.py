"""举报信息情况分析: a Word report for a period and an org or region, with charts as images."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from apps.regions.models import Region
from apps.reports.models import Report
from apps.stats import charts
from apps.stats import queries as q


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period | None:
        """The period of the same length just before (环比)."""
        end = self.start - dt.timedelta(days=1)
        start = end - dt.timedelta(days=self.days - 1)
        return Period(start, end) if start >= q.EARLIEST else None

    def year_before(self) -> Period | None:
        """The same dates a year earlier (同比)."""

        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        start, end = back(self.start), back(self.end)
        return Period(start, end) if start >= q.EARLIEST else None

    def text(self) -> str:
        return f"{self.start:%Y年%-m月%-d日}至{self.end:%Y年%-m月%-d日}"


def change_text(now: int, before: int | None, base: str = "上期") -> str:
    if before is None:
        return "无可比数据"
    if before == 0:
        return f"{base}为0" if now else "持平"
    pct = (now - before) / before * 100
    if abs(pct) < 0.05:
        return "持平"
    return f"{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"


def share(n: int, total: int) -> str:
    return f"{n / total * 100:.1f}%" if total else "—"


def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def days_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def reward_text(k: q.Kpis) -> str:
    return f"{k.rewards_paid}件/{k.reward_paid_amount:.2f}元"


KPI_HEADERS = [
    "受理及时率",
    "转办及时率",
    "办结及时率",
    "超期数",
    "平均办结工作日",
    "属实率",
    "奖励兑现（件/金额）",
]


def kpi_cells(k: q.Kpis) -> list[str]:
    """The seven 考核指标 in KPI_HEADERS order, as printed."""
    return [
        rate_text(k.accept_rate),
        rate_text(k.dispatch_rate),
        rate_text(k.close_rate),
        str(k.overdue),
        days_text(k.avg_close_days),
        rate_text(k.verified_rate),
        reward_text(k),
    ]


def _or_dash(value) -> str | int:
    return "—" if value is None else value


COMPARISON_HEADERS = ["本期", "占比", "上期", "环比", "去年同期", "同比"]


def comparison_rows(
    now: dict[str, int],
    before: dict[str, int] | None,
    last_year: dict[str, int] | None,
    total: int,
    label: Callable[[str], str] = str,
) -> list[list]:
    """[name, 本期, 占比, 上期, 环比, 去年同期, 同比] per key: this period's keys by count, then
    those seen only in the earlier periods (a category that dropped to 0 is news too). None for
    a comparison period means it lies before the data starts."""
    earlier = {*(before or {}), *(last_year or {})} - set(now)
    keys = [key for key, _n in _ranked(now)] + sorted(earlier)
    rows = []
    for key in keys:
        n = now.get(key, 0)
        prev = None if before is None else before.get(key, 0)
        ly = None if last_year is None else last_year.get(key, 0)
        rows.append(
            [
                label(key),
                n,
                share(n, total),
                _or_dash(prev),
                change_text(n, prev),
                _or_dash(ly),
                change_text(n, ly, "去年同期"),
            ]
        )
    return rows


class _Doc:
    def __init__(self):
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.orientation = WD_ORIENT.PORTRAIT
        section.left_margin = section.right_margin = Cm(2.5)
        style = self.doc.styles["Normal"]
        style.font.name = "宋体"
        style.font.size = Pt(12)
        # East-Asian text takes the eastAsia font, which python-docx does not set by itself.
        style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")

    def title(self, text: str, sub: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(18)
        p = self.doc.add_paragraph(sub)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text: str) -> None:
        p = self.doc.add_paragraph()
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(14)

    def para(self, text: str) -> None:
        p = self.doc.add_paragraph(text)
        p.paragraph_format.first_line_indent = Pt(24)

    def table(self, headers: list[str], rows: list[list]) -> None:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        # Seven or more columns do not fit a portrait page in 小四 (12 pt).
        size = Pt(9) if len(headers) > 6 else None
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
                run.font.size = size
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
                if size:
                    for run in cell.paragraphs[0].runs:
                        run.font.size = size
        self.doc.add_paragraph()

    def picture(self, png: bytes) -> None:
        self.doc.add_picture(io.BytesIO(png), width=Cm(15.5))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()


def _ranked(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class _Selection:
    """What every figure of one report shares: the scope, the place and the three periods
    (本期, 上期 for 环比, 去年同期 for 同比; a comparison period before the data starts is None)."""

    scope: q.Scope
    region_code: str | None
    today: dt.date
    period: Period
    before: Period | None
    last_year: Period | None

    @property
    def periods(self) -> tuple[Period, Period | None, Period | None]:
        return self.period, self.before, self.last_year

    def _kw(self, period: Period) -> dict:
        return dict(scope=self.scope, start=period.start, end=period.end, region_code=self.region_code)

    def counts(self, by: str) -> tuple[dict, dict | None, dict | None]:
        return tuple(None if p is None else q.report_counts(by=by, **self._kw(p)) for p in self.periods)

    def totals(self) -> tuple[dict, dict | None, dict | None]:
        return tuple(
            None if p is None else q.report_totals(today=self.today, **self._kw(p)) for p in self.periods
        )

    def kpis(self) -> tuple[q.Kpis, q.Kpis | None, q.Kpis | None]:
        return tuple(None if p is None else q.kpis(today=self.today, **self._kw(p)) for p in self.periods)


def _total_of(totals: dict | None) -> int | None:
    return None if totals is None else totals["total"]


def _overview(doc: _Doc, sel: _Selection, subject: str, totals: dict, prev: dict | None, ly: dict | None):
    total, prev_total, ly_total = totals["total"], _total_of(prev), _total_of(ly)
    doc.heading("一、总体情况")
    doc.para(
        f"{sel.period.text()}，{subject}共接收安全生产举报{total}件，"
        f"环比{change_text(total, prev_total)}（上期{_or_dash(prev_total)}件），"
        f"同比{change_text(total, ly_total, '去年同期')}（去年同期{_or_dash(ly_total)}件）。"
        f"其中已办结{totals['closed']}件，办理中{totals['pending']}件（已超期{totals['overdue']}件），"
        f"不予受理{totals['rejected']}件，暂不受理{totals['deferred']}件。"
    )
    doc.table(
        ["指标", "本期", "上期（环比）", "去年同期（同比）"],
        [["举报总数", total, _or_dash(prev_total), _or_dash(ly_total)]],
    )
    doc.table(
        ["状态", "件数", "占比"],
        [[label, totals[value], share(totals[value], total)] for value, label in Report.Status.choices],
    )


def _breakdown(doc: _Doc, sel: _Selection, heading: str, by: str, kind: str, total: int) -> None:
    """One of 二–四: the counts of a catalog dimension with 上期 and 去年同期, and a chart."""
    name = heading[2:]
    now, before, last_year = sel.counts(by)
    doc.heading(heading)
    rows = comparison_rows(now, before, last_year, total)
    if not now:
        doc.para("本期无举报。")
    else:
        top_name, top_n = _ranked(now)[0]
        doc.para(f"按{name}统计，“{top_name}”最多，共{top_n}件，占{share(top_n, total)}。")
    if rows:
        doc.table([name, *COMPARISON_HEADERS], rows)
    if now:
        labels, values = zip(*_ranked(now), strict=True)
        png = (
            charts.pie_chart(name, list(labels), list(values))
            if kind == "pie"
            else charts.bar_chart(name, list(labels), list(values), horizontal=True)
        )
        doc.picture(png)


def _regions(doc: _Doc, sel: _Selection, total: int) -> None:
    now, before, last_year = sel.counts("child_region")
    codes = {*now, *(before or {}), *(last_year or {})}
    names = dict(Region.objects.filter(code__in=list(codes)).values_list("code", "name"))
    doc.heading("五、地区分布")
    rows = comparison_rows(now, before, last_year, total, label=lambda code: names.get(code, code))
    if not rows:
        doc.para("本期无下级地区举报数据。")
        return
    doc.table(["地区", *COMPARISON_HEADERS], rows)
    ranked = [(names.get(code, code), n) for code, n in _ranked(now)][:20]
    if ranked:
        doc.picture(charts.bar_chart("各地区举报数量", [n for n, _ in ranked], [v for _, v in ranked]))


def _kpi_section(doc: _Doc, sel: _Selection, org, kpis: tuple) -> None:
    k, k_prev, k_ly = kpis
    doc.heading("六、办理时效与核查情况")
    doc.para(
        f"受理及时率{rate_text(k.accept_rate)}（{k.accepted_on_time}/{k.accepted}），"
        f"转办及时率{rate_text(k.dispatch_rate)}（{k.dispatched_on_time}/{k.dispatched}），"
        f"办结及时率{rate_text(k.close_rate)}（{k.closed_on_time}/{k.closed}），"
        f"平均办结用时{days_text(k.avg_close_days)}个工作日，"
        f"目前超期未办结{k.overdue}件。核查属实（含部分属实）{k.verified_true}件，"
        f"属实率{rate_text(k.verified_rate)}。"
    )
    columns = [kpi_cells(x) if x is not None else ["—"] * len(KPI_HEADERS) for x in (k, k_prev, k_ly)]
    doc.table(
        ["考核指标", "本期", "上期", "去年同期"],
        [[header, *(cells[i] for cells in columns)] for i, header in enumerate(KPI_HEADERS)],
    )
    _unit_kpis(doc, sel, org)


def _unit_kpis(doc: _Doc, sel: _Selection, org) -> None:
    """The seven 考核指标 per child region (按地区) or per local department below the org (按机构;
    a county bureau or a 司局 has its child regions instead), with the 合计 row."""
    table = q.report_table(
        scope=sel.scope,
        start=sel.period.start,
        end=sel.period.end,
        column="status",
        region_code=sel.region_code if org is None else None,
        org=org,
        with_kpis=True,
        today=sel.today,
    )
    if not table.rows:
        return
    header = "单位" if table.row_header == "机构" else table.row_header
    doc.para(f"各{'下级单位' if header == '单位' else '下级地区'}考核指标如下：")
    doc.table(
        [header, "举报数", *KPI_HEADERS],
        [[row.label, row.total, *kpi_cells(row.kpis)] for row in [*table.rows, table.total]],
    )


def analysis_document(
    *,
    scope: q.Scope,
    subject: str,
    start: dt.date,
    end: dt.date,
    region_code: str | None = None,
    org=None,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The report as .docx bytes. `scope` is already narrowed to the org or region chosen."""
    today = today or timezone.localdate()
    say = progress or (lambda _pct: None)
    period = Period(start, end)
    sel = _Selection(scope, region_code, today, period, period.previous(), period.year_before())
    totals, prev_totals, ly_totals = sel.totals()
    total = totals["total"]
    say(10)
    doc = _Doc()
    doc.title(f"{subject}安全生产举报信息情况分析报告", f"（{period.text()}）")
    _overview(doc, sel, subject, totals, prev_totals, ly_totals)
    say(25)

    sections = [
        ("二、举报问题类型", "problem_type", "pie"),
        ("三、举报所属行业", "industry", "barh"),
        ("四、举报形式", "channel", "pie"),
    ]
    for pct, (heading, by, kind) in zip((35, 45, 55), sections, strict=True):
        _breakdown(doc, sel, heading, by, kind, total)
        say(pct)

    _regions(doc, sel, total)
    say(65)

    kpis = sel.kpis()
    _kpi_section(doc, sel, org, kpis)
    say(75)

    k = kpis[0]
    doc.heading("七、奖励与处罚")
    doc.para(
        f"已兑现举报奖励{k.rewards_paid}笔，金额{k.reward_paid_amount:.2f}元；待兑现{totals['rewards_pending']}笔；"
        f"核查处罚金额合计{k.penalty_amount:.2f}元。"
    )

    kw = dict(scope=scope, region_code=region_code)
    doc.heading("八、月度趋势")
    months = q.report_counts(start=start, end=end, by="month", **kw)
    if months:
        doc.picture(charts.line_chart("每月举报数量", list(months), {"举报数": list(months.values())}))
    else:
        doc.para("本期无举报。")
    say(85)

    doc.heading("九、举报热词")
    words = q.hot_words(start=start, end=end, limit=20, **kw)
    doc.para("、".join(f"{w}（{n}）" for w, n in words) if words else "本期举报内容较少，暂无热词。")
    doc.para(f"本报告由安全生产举报系统于{timezone.localtime():%Y年%-m月%-d日 %H:%M}自动生成。")
    say(95)
    return doc.bytes()

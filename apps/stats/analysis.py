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


def change_text(now: int, before: int | None) -> str:
    if before is None:
        return "无可比数据"
    if before == 0:
        return "上期为0" if now else "持平"
    pct = (now - before) / before * 100
    if abs(pct) < 0.05:
        return "持平"
    return f"{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"


def share(n: int, total: int) -> str:
    return f"{n / total * 100:.1f}%" if total else "—"


def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


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
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = str(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
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
    kw = dict(scope=scope, region_code=region_code)
    totals = q.report_totals(start=start, end=end, today=today, **kw)
    prev, last_year = period.previous(), period.year_before()
    prev_total = q.report_totals(start=prev.start, end=prev.end, **kw)["total"] if prev else None
    ly_total = q.report_totals(start=last_year.start, end=last_year.end, **kw)["total"] if last_year else None
    say(10)
    doc = _Doc()
    doc.title(f"{subject}安全生产举报信息情况分析报告", f"（{period.text()}）")
    total = totals["total"]

    doc.heading("一、总体情况")
    doc.para(
        f"{period.text()}，{subject}共接收安全生产举报{total}件，"
        f"环比{change_text(total, prev_total)}（上期{prev_total if prev_total is not None else '—'}件），"
        f"同比{change_text(total, ly_total)}（去年同期{ly_total if ly_total is not None else '—'}件）。"
        f"其中已办结{totals['closed']}件，办理中{totals['pending']}件（已超期{totals['overdue']}件），"
        f"不予受理{totals['rejected']}件，暂不受理{totals['deferred']}件。"
    )
    doc.table(
        ["指标", "本期", "上期（环比）", "去年同期（同比）"],
        [
            [
                "举报总数",
                total,
                prev_total if prev_total is not None else "—",
                ly_total if ly_total is not None else "—",
            ],
        ],
    )
    doc.table(
        ["状态", "件数", "占比"],
        [[label, totals[value], share(totals[value], total)] for value, label in Report.Status.choices],
    )
    say(25)

    sections = [
        ("二、举报问题类型", "problem_type", "pie"),
        ("三、举报所属行业", "industry", "barh"),
        ("四、举报形式", "channel", "pie"),
    ]
    for pct, (heading, by, kind) in zip((35, 45, 55), sections, strict=True):
        counts = _ranked(q.report_counts(start=start, end=end, by=by, **kw))
        doc.heading(heading)
        if counts:
            top = counts[0]
            doc.para(f"按{heading[2:]}统计，“{top[0]}”最多，共{top[1]}件，占{share(top[1], total)}。")
            doc.table([heading[2:], "件数", "占比"], [[name, n, share(n, total)] for name, n in counts])
            labels, values = [n for n, _ in counts], [v for _, v in counts]
            png = (
                charts.pie_chart(heading[2:], labels, values)
                if kind == "pie"
                else charts.bar_chart(heading[2:], labels, values, horizontal=True)
            )
            doc.picture(png)
        else:
            doc.para("本期无举报。")
        say(pct)

    doc.heading("五、地区分布")
    by_child = q.report_counts(start=start, end=end, by="child_region", **kw)
    names = dict(Region.objects.filter(code__in=list(by_child)).values_list("code", "name"))
    ranked = [(names.get(code, code), n) for code, n in _ranked(by_child)]
    if ranked:
        doc.table(["地区", "件数", "占比"], [[name, n, share(n, total)] for name, n in ranked])
        doc.picture(
            charts.bar_chart("各地区举报数量", [n for n, _ in ranked[:20]], [v for _, v in ranked[:20]])
        )
    else:
        doc.para("本期无下级地区举报数据。")
    say(65)

    doc.heading("六、办理时效与核查情况")
    k = q.kpis(start=start, end=end, today=today, **kw)
    doc.para(
        f"受理及时率{rate_text(k.accept_rate)}（{k.accepted_on_time}/{k.accepted}），"
        f"转办及时率{rate_text(k.dispatch_rate)}（{k.dispatched_on_time}/{k.dispatched}），"
        f"办结及时率{rate_text(k.close_rate)}（{k.closed_on_time}/{k.closed}），"
        f"平均办结用时{k.avg_close_days if k.avg_close_days is not None else '—'}个工作日，"
        f"目前超期未办结{k.overdue}件。核查属实（含部分属实）{k.verified_true}件，"
        f"属实率{rate_text(k.verified_rate)}。"
    )
    kpi_rows = []
    if org is not None:
        for row_org, row in q.kpis(start=start, end=end, today=today, by_org=True, org=org, **kw):
            kpi_rows.append(
                [
                    row_org.name,
                    row.total,
                    rate_text(row.accept_rate),
                    rate_text(row.dispatch_rate),
                    rate_text(row.close_rate),
                    row.overdue,
                    rate_text(row.verified_rate),
                ]
            )
    if kpi_rows:
        doc.table(["单位", "举报数", "受理及时率", "转办及时率", "办结及时率", "超期", "属实率"], kpi_rows)
    say(75)

    doc.heading("七、奖励与处罚")
    doc.para(
        f"已兑现举报奖励{k.rewards_paid}笔，金额{k.reward_paid_amount:.2f}元；待兑现{totals['rewards_pending']}笔；"
        f"核查处罚金额合计{k.penalty_amount:.2f}元。"
    )

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

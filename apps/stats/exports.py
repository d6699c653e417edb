"""举报单统计 as an Excel workbook laid out for printing (A4 landscape, fit to one page wide,
header rows repeated on every page, the query in the title)."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from apps.stats.queries import Kpis, StatsTable

KPI_HEADERS = [
    "受理及时率(%)",
    "转办及时率(%)",
    "办结及时率(%)",
    "超期件数",
    "平均办结工作日",
    "属实率(%)",
    "奖励兑现(笔)",
    "奖励兑现金额(元)",
]
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")


def kpi_cells(k: Kpis | None) -> list:
    if k is None:
        return [""] * len(KPI_HEADERS)

    def rate(value):
        return "—" if value is None else value

    return [
        rate(k.accept_rate),
        rate(k.dispatch_rate),
        rate(k.close_rate),
        k.overdue,
        rate(k.avg_close_days),
        rate(k.verified_rate),
        k.rewards_paid,
        float(k.reward_paid_amount),
    ]


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, no []:*?/\ , unique in the workbook.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:28] or "统计"
    name, n = clean, 2
    while name in used:
        name = f"{clean[:26]}{n}"
        n += 1
    used.add(name)
    return name


def write_table(ws, table: StatsTable, query_text: str, *, with_kpis: bool = True) -> None:
    headers = [table.row_header, *table.columns, "合计"] + (KPI_HEADERS if with_kpis else [])
    width = len(headers)
    ws.cell(row=1, column=1, value=table.title).font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=2, column=1, value=query_text).font = Font(size=9, color="555555")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(row=3, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
    row_no = 4
    for row in [*table.rows, table.total]:
        values = [row.label, *row.values, row.total] + (kpi_cells(row.kpis) if with_kpis else [])
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=col, value=value)
            cell.border = BORDER
            if col > 1:
                cell.alignment = Alignment(horizontal="right")
            if row is table.total:
                cell.font = Font(bold=True)
        row_no += 1
    ws.column_dimensions["A"].width = 22
    for col in range(2, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.row_dimensions[3].height = 32
    ws.freeze_panes = "B4"
    # Printing: landscape A4, one page wide, as many pages long as needed, title rows repeated.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:3"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def workbook_bytes(
    tables: list[tuple[str, StatsTable]],
    query_text: str,
    *,
    with_kpis: bool = True,
    progress: Callable[[int], None] | None = None,
) -> bytes:
    """[(sheet name, table)] → .xlsx bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for i, (name, table) in enumerate(tables, start=1):
        write_table(wb.create_sheet(_sheet_title(name, used)), table, query_text, with_kpis=with_kpis)
        if progress:
            progress(i)
    wb.properties.title = tables[0][1].title if tables else "举报单统计"
    wb.properties.creator = "安全生产举报系统"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()

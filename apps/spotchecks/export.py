"""Per-batch Excel export: the items, the 合格率 per org and the draw's record (seed, scope,
candidate digest) so the workbook on its own lets an auditor re-run the draw."""

from __future__ import annotations

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.spotchecks import selectors
from apps.spotchecks.models import SpotCheckBatch

ITEM_COLUMNS = [
    "序号", "报告编号", "被抽检单位", "所在地区", "问题类型", "办结时间", "核查结论", "处罚金额（元）",
    "奖励情况", "奖励金额（元）", "抽检状态", "抽检结论", "整改次数", "整改期限", "最新意见", "完成时间",
]
RATE_COLUMNS = ["被抽检单位", "抽检数", "已审查", "合格", "不合格", "整改通过", "未完成", "合格率"]


def _cell(value):
    # A text starting with = + - @ would be taken as a formula by Excel (CSV/formula injection):
    # the text a reporter or a handler typed must never execute in an auditor's spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _header(ws, columns):
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)


def batch_workbook(batch: SpotCheckBatch) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "抽检明细"
    _header(ws, ITEM_COLUMNS)
    for item in selectors.batch_items(batch):
        report = item.report
        ws.append([_cell(v) for v in [
            item.position, report.number, item.checked_org.name, report.region.name, report.problem_type.name,
            _local(report.closed_at), report.get_conclusion_display(),
            float(report.penalty_amount) if report.penalty_amount is not None else None,
            report.get_reward_status_display(),
            float(report.reward_amount) if report.reward_amount is not None else None,
            item.get_state_display(), {True: "合格", False: "不合格", None: "未审查"}[item.qualified],
            item.rectify_count, item.rectify_due.isoformat() if item.rectify_due else "", item.latest_opinion,
            _local(item.finished_at),
        ]])

    rates, total = selectors.pass_rates(batch.items.all())
    ws = wb.create_sheet("合格率")
    _header(ws, RATE_COLUMNS)
    for rate in [*rates, total]:
        ws.append([_cell(rate.org_name), rate.sampled, rate.reviewed, rate.qualified, rate.unqualified,
                   rate.corrected, rate.open, rate.rate_text])

    ws = wb.create_sheet("抽样记录")
    target = "全部下级单位"
    if batch.scope_org:
        target = batch.scope_org.name
    elif batch.scope_region:
        target = batch.scope_region.name
    scope = f"{batch.get_scope_display()}：{target}"
    for row in [
        ("抽检批次号", batch.number), ("抽检单位", batch.checking_org.name),
        ("抽检人", batch.created_by.real_name),
        ("抽检时间", _local(batch.created_at)), ("查询条件", scope),
        ("办结日期", f"{batch.closed_from.isoformat()} 至 {batch.closed_to.isoformat()}"),
        ("抽检数量/比例",
         f"{batch.requested_size}件" if batch.requested_size else f"{batch.requested_ratio}%"),
        ("候选数量", batch.candidate_count), ("已在抽检中而跳过", batch.skipped_open_count),
        ("抽中数量", batch.sample_size), ("随机种子", str(batch.seed)), ("抽样方法", batch.draw_method),
        ("候选清单摘要（SHA-256）", batch.candidate_digest),
    ]:
        ws.append([_cell(v) for v in row])

    # One id per row: a long list would not fit one cell (Excel stops at 32,767 characters).
    ws = wb.create_sheet("候选清单")
    _header(ws, ["候选举报单ID（升序）"])
    for pk in batch.candidate_ids:
        ws.append([pk])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

"""综合统计 services: the query a user asked, the tables, and the export jobs (Excel, Word)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.audit import actions as audit_actions
from apps.audit.services import audit_log
from apps.orgs.models import Org
from apps.regions.codes import NATION_NAME
from apps.regions.models import Region
from apps.stats import queries as q
from apps.stats.models import Export

logger = logging.getLogger(__name__)

MODES = {"region": "按地区", "org": "按机构"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Per user: a finished export is kept this long, and at most this many run at once.
EXPORT_KEEP_DAYS = 7
MAX_RUNNING_EXPORTS = 3


@dataclass(frozen=True)
class StatsQuery:
    """What the user asked: validated, within their jurisdiction (see forms.StatsQueryForm)."""

    mode: str  # "region" | "org"
    start: dt.date
    end: dt.date
    column: str = "channel"
    region_code: str | None = None  # None: the whole jurisdiction
    org_id: int | None = None

    def params(self) -> dict:
        return {
            "mode": self.mode,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "column": self.column,
            "region_code": self.region_code,
            "org_id": self.org_id,
        }

    @classmethod
    def from_params(cls, data: dict) -> StatsQuery:
        return cls(
            mode=data["mode"],
            start=dt.date.fromisoformat(data["start"]),
            end=dt.date.fromisoformat(data["end"]),
            column=data.get("column") or "channel",
            region_code=data.get("region_code"),
            org_id=data.get("org_id"),
        )

    @property
    def org(self) -> Org | None:
        return Org.objects.filter(pk=self.org_id).first() if self.org_id else None


def subject_of(scope: q.Scope, query: StatsQuery) -> str:
    if query.mode == "org" and query.org_id:
        org = query.org
        return org.name if org else "所选机构"
    if query.region_code:
        region = Region.objects.filter(code=query.region_code).first()
        return region.name if region else query.region_code
    return scope.region.name if scope.region else NATION_NAME


def describe(scope: q.Scope, query: StatsQuery) -> str:
    """The query in words, printed under every exported title."""
    return (
        f"查询条件：{MODES.get(query.mode, '')} {subject_of(scope, query)}；"
        f"举报时间 {query.start.isoformat()} 至 {query.end.isoformat()}；"
        f"生成时间 {timezone.localtime():%Y-%m-%d %H:%M}"
    )


def table_for(
    scope: q.Scope, query: StatsQuery, *, column: str | None = None, rows: str = "child"
) -> q.StatsTable:
    return q.report_table(
        scope=scope,
        start=query.start,
        end=query.end,
        column=column or query.column,
        region_code=query.region_code if query.mode == "region" else None,
        org=query.org if query.mode == "org" else None,
        rows=rows,
    )


def narrowed_scope(scope: q.Scope, query: StatsQuery) -> q.Scope:
    """The user's scope narrowed to the org chosen 按机构 (the analysis report is about it)."""
    if query.mode == "org" and query.org_id:
        org = query.org
        own = q.org_scope(org) if org else None
        if own is None:
            raise q.StatsQueryError("所选机构没有可统计的管辖范围。")
        narrowed = scope.intersect(own)
        if narrowed.is_empty:
            raise q.StatsQueryError("所选机构不在您的管辖范围内。")
        return narrowed
    return scope


def current_table_xlsx(*, user, scope: q.Scope, query: StatsQuery, request=None) -> tuple[str, bytes]:
    """The table on screen as a workbook, built at once (a few dozen rows)."""
    from apps.stats.exports import workbook_bytes

    table = table_for(scope, query)
    data = workbook_bytes([(q.TABLE_COLUMNS[query.column], table)], describe(scope, query))
    audit_log(
        actor=user,
        action=audit_actions.EXPORT,
        target="举报单统计表",
        result="success",
        request=request,
        detail={"kind": "stats_table", **query.params()},
    )
    return f"举报单统计表_{query.start:%Y%m%d}-{query.end:%Y%m%d}.xlsx", data


def export_start(*, user, kind: str, query: StatsQuery, request=None) -> Export:
    """Queue a background export (the full workbook, or the Word analysis); the job runs after
    the commit, and the page polls its progress."""
    from apps.stats.tasks import build_export

    scope = q.stats_scope(user)
    if scope is None:
        raise q.StatsQueryError("您没有查看统计数据的权限。")
    running = Export.objects.filter(user=user, state__in=[Export.State.PENDING, Export.State.RUNNING]).count()
    if running >= MAX_RUNNING_EXPORTS:
        raise q.StatsQueryError(f"您已有{running}个导出任务在生成中，请稍后再试。")
    subject = subject_of(scope, query)
    title = (
        f"{subject}举报单统计（全部维度）{query.start:%Y%m%d}-{query.end:%Y%m%d}"
        if kind == Export.Kind.TABLE
        else f"{subject}举报信息情况分析报告{query.start:%Y%m%d}-{query.end:%Y%m%d}"
    )
    with transaction.atomic():
        export = Export.objects.create(kind=kind, user=user, title=title, params=query.params())
        audit_log(
            actor=user,
            action=audit_actions.EXPORT,
            target=export,
            result="success",
            request=request,
            detail={"kind": f"stats_{kind}", **query.params()},
        )
        transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export


def _set(export: Export, **fields) -> None:
    for name, value in fields.items():
        setattr(export, name, value)
    Export.objects.filter(pk=export.pk).update(**fields)


def export_run(export_id: int) -> None:
    """The job: recompute with the requester's *current* jurisdiction, write the file."""
    export = Export.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state not in (Export.State.PENDING, Export.State.RUNNING):
        return
    _set(export, state=Export.State.RUNNING, progress=1)
    try:
        scope = q.stats_scope(export.user) if export.user.is_active else None
        if scope is None:
            raise q.StatsQueryError("您没有查看统计数据的权限。")
        query = StatsQuery.from_params(export.params)
        build = _full_workbook if export.kind == Export.Kind.TABLE else _analysis
        name, data, _content_type = build(export, scope, query)
        export.file.save(name, ContentFile(data), save=False)
        _set(export, file=export.file.name, state=Export.State.DONE, progress=100, finished_at=timezone.now())
    except q.StatsQueryError as exc:
        _set(export, state=Export.State.FAILED, error=exc.message[:200], finished_at=timezone.now())
    except Exception:
        logger.exception("stats export %s failed", export_id)
        _set(
            export,
            state=Export.State.FAILED,
            error="生成失败，请稍后重试或联系系统管理员。",
            finished_at=timezone.now(),
        )


def _full_workbook(export: Export, scope: q.Scope, query: StatsQuery) -> tuple[str, bytes, str]:
    from apps.stats.exports import workbook_bytes

    sheets = []
    steps = len(q.TABLE_COLUMNS) * 2
    for column, label in q.TABLE_COLUMNS.items():
        sheets.append((f"按{label}", table_for(scope, query, column=column)))
        _set(export, progress=min(90, 5 + len(sheets) * 85 // steps))
    if query.mode == "region":
        for column, label in q.TABLE_COLUMNS.items():
            sheets.append((f"县区明细-{label}", table_for(scope, query, column=column, rows="county")))
            _set(export, progress=min(90, 5 + len(sheets) * 85 // steps))
    data = workbook_bytes(sheets, describe(scope, query))
    return f"举报单统计_{query.start:%Y%m%d}-{query.end:%Y%m%d}.xlsx", data, XLSX


def _analysis(export: Export, scope: q.Scope, query: StatsQuery) -> tuple[str, bytes, str]:
    from apps.stats.analysis import analysis_document

    narrowed = narrowed_scope(scope, query)
    data = analysis_document(
        scope=narrowed,
        subject=subject_of(scope, query),
        start=query.start,
        end=query.end,
        region_code=query.region_code if query.mode == "region" else None,
        org=query.org if query.mode == "org" else None,
        progress=lambda pct: _set(export, progress=max(2, min(99, pct))),
    )
    return f"举报信息情况分析_{query.start:%Y%m%d}-{query.end:%Y%m%d}.docx", data, DOCX


def exports_prune() -> int:
    """Delete exports (and their files) finished more than EXPORT_KEEP_DAYS ago."""
    cutoff = timezone.now() - dt.timedelta(days=EXPORT_KEEP_DAYS)
    old = list(Export.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            export.file.delete(save=False)
        export.delete()
    return len(old)


def export_get_for_user_or_404(user, pk) -> Export:
    from django.http import Http404

    try:
        return Export.objects.get(pk=pk, user=user)
    except (Export.DoesNotExist, ValueError, TypeError):
        raise Http404("导出文件不存在") from None


def exports_for(user):
    return Export.objects.filter(user=user).order_by("-created_at", "-id")[:20]


def export_download_logged(*, user, export: Export, request=None) -> None:
    audit_log(
        actor=user,
        action=audit_actions.EXPORT,
        target=export,
        result="success",
        request=request,
        detail={"kind": f"stats_{export.kind}_download"},
    )

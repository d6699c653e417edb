"""Maintained aggregates of the reports table, and the export jobs of 综合统计.

A Cell is one number: how much of one measure (`dim`/`key`) the reports received in one period
(`grain`/`period`) in one region (`node`, with its whole subtree) contribute. Every report adds
to the cells of its region chain (全国 → province → city → county) at month grain, and to the
day-grain cells of 全国 and its province; city day cells keep only the total. Why this shape,
and what it costs, is written in docs/decisions/0013-statistics-aggregates.md.
"""

from django.conf import settings
from django.db import models


class Cell(models.Model):
    class Grain(models.IntegerChoices):
        DAY = 1, "日"
        MONTH = 2, "月"

    # The primary key is the upsert key (INSERT … ON CONFLICT … SET n = n + excluded.n). On
    # PostgreSQL the migration rebuilds it with INCLUDE (n), so reads are index-only scans.
    pk = models.CompositePrimaryKey("node", "dim", "grain", "period", "key")
    node = models.CharField("地区", max_length=6)
    dim = models.CharField("维度", max_length=3)
    grain = models.PositiveSmallIntegerField("粒度", choices=Grain.choices)
    period = models.DateField("期间")
    key = models.CharField("取值", max_length=16, blank=True, default="")
    # The node's parent ("" for 全国) and level (0 全国, 1 province, 2 city, 3 county): the
    # children of a region are read by parent without a join.
    parent = models.CharField("上级地区", max_length=6, blank=True, default="")
    level = models.PositiveSmallIntegerField("层级")
    n = models.BigIntegerField("数量", default=0)

    class Meta:
        verbose_name = "统计单元"
        verbose_name_plural = verbose_name
        # The (parent, dim, grain, period) index is created by the migration, covering on
        # PostgreSQL; it is not declared here because Django cannot declare INCLUDE portably.

    def __str__(self) -> str:
        return f"{self.node} {self.dim}:{self.key} {self.period} = {self.n}"


class Workday(models.Model):
    """The working-day calendar as a table, so SQL can count working days between two dates:
    working days in (a, b] = rank(b) - rank(a). Filled from apps.workcalendar by
    apps.stats.workdays; stats_rebuild refreshes it."""

    day = models.DateField(primary_key=True)
    rank = models.IntegerField()

    class Meta:
        verbose_name = "工作日序号"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.day} #{self.rank}"


def export_path(instance, filename: str) -> str:
    return f"stats/exports/{instance.user_id}/{instance.pk}-{filename}"


class Export(models.Model):
    """An Excel table or Word analysis built in the background, downloadable by its owner."""

    class Kind(models.TextChoices):
        TABLE = "table", "举报单统计表"
        ANALYSIS = "analysis", "举报信息情况分析报告"

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField("标题", max_length=200)
    params = models.JSONField("查询条件", default=dict)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField("进度", default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.CharField("错误", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "统计导出"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="stats_export_progress_le_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

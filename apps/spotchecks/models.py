"""抽检管理 (操作手册 第二章 7, 工作要求 七): a superior org samples the reports its subordinates
have closed, reviews each one, and sends the improper ones back for correction.

* SpotCheckBatch — one draw. It records everything needed to reproduce and audit the draw: the
  scope and closing-date range that selected the candidates, the sorted candidate ids themselves
  (the set cannot be recomputed later: reports drawn by other batches are skipped, and that changes
  over time), their SHA-256 digest, the seed, the method and the sample size.
* SpotCheckItem — one sampled report, owned by the org that closed it (checked_org). Its state
  moves only through apps.spotchecks.actions (transition table in transitions.py).
* SpotCheckRound — append-only: one row per 审查, 整改 and 核查, so every round is kept.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.orgs.models import Org
from apps.regions.models import Region
from apps.reports.models import Attachment, Report

# How the sample is drawn; stored on every batch so a reproduction knows what to run.
DRAW_METHOD = "random.Random(seed).sample(candidate_ids, sample_size)"


class SpotCheckBatch(models.Model):
    class Scope(models.TextChoices):
        ORG = "org", "按机构"
        REGION = "region", "按地区"

    number = models.CharField("抽检批次号", max_length=32, unique=True)
    checking_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="spotcheck_batches",
                                     verbose_name="抽检单位")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="抽检人")
    created_at = models.DateTimeField("抽检时间", db_index=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    # 查询条件. With scope ORG and no scope_org: every org below the checking org.
    scope = models.CharField("抽检范围", max_length=8, choices=Scope.choices)
    scope_org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="抽检机构")
    scope_region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="抽检地区")
    closed_from = models.DateField("办结日期自")
    closed_to = models.DateField("办结日期至")
    requested_size = models.PositiveIntegerField("抽检数量", null=True, blank=True)
    requested_ratio = models.PositiveSmallIntegerField("抽检比例（%）", null=True, blank=True)

    # The draw.
    candidate_ids = models.JSONField("候选举报单", default=list)
    candidate_count = models.PositiveIntegerField("候选数量")
    candidate_digest = models.CharField("候选清单摘要（SHA-256）", max_length=64)
    skipped_open_count = models.PositiveIntegerField("已在抽检中而跳过的数量", default=0)
    seed = models.PositiveBigIntegerField("随机种子")
    draw_method = models.CharField("抽样方法", max_length=100, default=DRAW_METHOD)
    sample_size = models.PositiveIntegerField("抽中数量")

    class Meta:
        verbose_name = "抽检批次"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(sample_size__gte=1)
                                   & Q(sample_size__lte=models.F("candidate_count")),
                                   name="spotcheck_batch_sample_within_candidates"),
            models.CheckConstraint(condition=Q(closed_from__lte=models.F("closed_to")),
                                   name="spotcheck_batch_date_range_ordered"),
            models.CheckConstraint(
                condition=(Q(requested_size__isnull=False) & Q(requested_ratio__isnull=True))
                | (Q(requested_size__isnull=True) & Q(requested_ratio__gte=1) & Q(requested_ratio__lte=100)),
                name="spotcheck_batch_size_or_ratio",
            ),
            models.CheckConstraint(condition=~Q(scope="region") | Q(scope_region__isnull=False),
                                   name="spotcheck_batch_region_scope_has_region"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


class SpotCheckItem(models.Model):
    class State(models.TextChoices):
        REVIEWING = "reviewing", "待审查"
        PASSED = "passed", "合格"
        RECTIFYING = "rectifying", "待整改"
        VERIFYING = "verifying", "待核查"
        CORRECTED = "corrected", "整改通过"

    OPEN_STATES = (State.REVIEWING, State.RECTIFYING, State.VERIFYING)
    FINISHED_STATES = (State.PASSED, State.CORRECTED)

    batch = models.ForeignKey(SpotCheckBatch, on_delete=models.PROTECT, related_name="items")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="spotcheck_items")
    position = models.PositiveIntegerField("抽中顺序")
    # The org that closed the report (Report.accepting_org) when it was drawn: it corrects it.
    checked_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="spotcheck_items",
                                    verbose_name="被抽检单位")
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.REVIEWING)
    # The first review's verdict: 合格率 counts it, whatever a later correction achieves.
    qualified = models.BooleanField("抽检结论", null=True, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    rectify_count = models.PositiveSmallIntegerField("整改次数", default=0)
    latest_opinion = models.TextField("最新意见", blank=True, default="")
    reviewed_at = models.DateTimeField("审查时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽检事项"
        verbose_name_plural = verbose_name
        ordering = ["batch", "position"]
        indexes = [
            models.Index(fields=["checked_org", "state"], name="spotcheck_item_org_state"),
            models.Index(fields=["state", "rectify_due"], name="spotcheck_item_state_due"),
        ]
        constraints = [
            # "Skipping reports already in an open spot check", held by the database too.
            models.UniqueConstraint(fields=["report"],
                                    condition=Q(state__in=["reviewing", "rectifying", "verifying"]),
                                    name="spotcheck_one_open_item_per_report",
                                    violation_error_message="该举报单已在进行中的抽检中。"),
            models.UniqueConstraint(fields=["batch", "report"],
                                    name="spotcheck_item_unique_report_per_batch"),
            models.UniqueConstraint(fields=["batch", "position"], name="spotcheck_item_unique_position"),
            models.CheckConstraint(condition=~Q(state="rectifying") | Q(rectify_due__isnull=False),
                                   name="spotcheck_item_rectifying_has_due"),
            models.CheckConstraint(
                condition=(Q(state__in=["passed", "corrected"]) & Q(finished_at__isnull=False))
                | (Q(state__in=["reviewing", "rectifying", "verifying"]) & Q(finished_at__isnull=True)),
                name="spotcheck_item_finished_at_iff_finished",
            ),
            models.CheckConstraint(
                condition=(Q(state="reviewing") & Q(qualified__isnull=True))
                | (Q(state="passed") & Q(qualified=True))
                | (Q(state__in=["rectifying", "verifying", "corrected"]) & Q(qualified=False)),
                name="spotcheck_item_verdict_matches_state",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch} #{self.position}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class SpotCheckRound(models.Model):
    """One 审查, 整改 or 核查 of an item. Append-only, like the 流转记录."""

    class Kind(models.TextChoices):
        REVIEW = "review", "抽检审查"
        RECTIFY = "rectify", "整改"
        VERIFY = "verify", "核查"

    class Verdict(models.TextChoices):
        QUALIFIED = "qualified", "合格"
        UNQUALIFIED = "unqualified", "不合格"
        SUBMITTED = "submitted", "已整改提交"
        PASSED = "passed", "核查通过"
        FAILED = "failed", "核查不通过"

    item = models.ForeignKey(SpotCheckItem, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField("环节", max_length=8, choices=Kind.choices)
    verdict = models.CharField("结论", max_length=12, choices=Verdict.choices)
    # Which correction cycle the row belongs to: 0 for the first review, n for the n-th 整改 and
    # the 核查 that answers it.
    cycle = models.PositiveSmallIntegerField("轮次", default=0)
    opinion = models.TextField("意见", blank=True, default="")  # 整改意见 / 核查意见
    explanation = models.TextField("整改说明", blank=True, default="")
    # [{"field": ..., "label": ..., "old": ..., "new": ...}] for a 整改.
    changes = models.JSONField("修改内容", default=list, blank=True)
    due = models.DateField("整改期限", null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+", verbose_name="整改材料")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "抽检办理记录"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.item} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("抽检办理记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("抽检办理记录只能追加，不能删除。")

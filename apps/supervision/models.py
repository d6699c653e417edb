"""延期申请 and 督办 (工作要求 四 and 七; 操作手册 6.2 注 and 6.5).

Both are written only by the actions in apps.supervision.actions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.orgs.models import Org

MAX_EXTENSION_DAYS = 30  # 工作要求 四: 延长期限不得超过30日 (in total, over all extensions)


class Stage(models.TextChoices):
    """The deadline a 督办 is about (工作要求 七: 受理、转办及核查)."""

    ACCEPTANCE = "acceptance", "受理"
    DISPATCH = "dispatch", "转办"
    RESULT = "result", "核查"


class ExtensionRequest(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "未批准"

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="extension_requests", verbose_name="举报单"
    )
    requesting_org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name="申请单位"
    )
    # The requesting org's superior at the time of the request: who decides. Kept on the row so the
    # approval list is one indexed filter and a later reorganisation does not move the request.
    approver_org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+", verbose_name="审批单位")
    handling = models.ForeignKey(
        "reports.Handling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理环节",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    reason = models.TextField("申请理由")
    days = models.PositiveSmallIntegerField("延期天数")
    due_before = models.DateField("原核查期限")
    due_after = models.DateField("延期后核查期限", null=True, blank=True)
    state = models.CharField("审批状态", max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_comment = models.TextField("审批意见", blank=True, default="")
    created_at = models.DateTimeField("申请时间", auto_now_add=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["approver_org", "state"], name="extension_approver_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=MAX_EXTENSION_DAYS), name="extension_days_1_to_30"
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(state="pending"),
                name="extension_one_pending_per_report",
                violation_error_message="该举报单已有待审批的延期申请。",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False), name="extension_decided_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(due_after__isnull=False),
                name="extension_approved_has_new_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} 延期{self.days}日（{self.get_state_display()}）"


class Supervision(models.Model):
    """One 督办 by a superior org of the org responsible for a report's current deadline."""

    report = models.ForeignKey(
        "reports.Report", on_delete=models.CASCADE, related_name="supervisions", verbose_name="举报单"
    )
    stage = models.CharField("督办环节", max_length=12, choices=Stage.choices)
    # The deadline being supervised, as it stood: a 督办 counts as "已督办" in the list only while
    # the report is still behind that same deadline (see selectors.supervision_candidates).
    deadline = models.DateField("办理期限")
    handling = models.ForeignKey(
        "reports.Handling",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="办理环节",
    )
    supervising_org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name="督办单位"
    )
    supervised_org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="+", verbose_name="被督办单位"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="督办人"
    )
    comment = models.TextField("督办意见")
    due_date = models.DateField("要求办结日期")
    created_at = models.DateTimeField("督办时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "督办"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["supervised_org", "created_at"], name="supervision_target_created"),
            models.Index(fields=["report", "deadline"], name="supervision_report_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervising_org=models.F("supervised_org")), name="supervision_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} 督办（{self.get_stage_display()}）"

"""Reports (举报单) and their handling.

A report moves through organisations one hop at a time (Handling): received → accepted /
deferred / rejected → dispatched to an internal department or a subordinate org → verified → fed
back up the chain hop by hop → closed by the org that first accepted it. Every action appends a
ReportEvent. The status fields here are written only by the actions in apps.reports.actions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.core.crypto import EncryptedTextField
from apps.orgs.models import Org
from apps.regions.models import Region


class Report(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "待受理"
        DEFERRED = "deferred", "暂不受理"
        REJECTED = "rejected", "不予受理"
        ACCEPTED = "accepted", "已受理"
        VERIFYING = "verifying", "核查中"
        CLOSED = "closed", "已办结"

    class RejectReason(models.TextChoices):
        NO_EVIDENCE = "no_evidence", "未提供有效证据线索，无法查明举报事实"
        DUPLICATE = "duplicate", "重复举报且未提供新的有效证据线索"
        NOT_OUR_DUTY = "not_our_duty", "不属于本部门职责"

    class Conclusion(models.TextChoices):
        TRUE = "true", "属实"
        PARTLY_TRUE = "partly_true", "部分属实"
        FALSE = "false", "不属实"

    class RewardStatus(models.TextChoices):
        NONE = "none", "无奖励"
        PENDING = "pending", "待兑现"
        PAID = "paid", "已兑现"

    # 报告编号: the staff-facing number. The public 举报编码 is secret and stored only as a keyed
    # hash (receipt_hash), so a database dump cannot be used to look reports up as the reporter.
    number = models.CharField("报告编号", max_length=32, unique=True)
    receipt_hash = models.CharField("举报编码摘要", max_length=64, unique=True)
    # The last digits of the code let an SMS say which report it is about without storing (or
    # texting) the secret: too few digits to look anything up with.
    receipt_tail = models.CharField("举报编码尾号", max_length=4, blank=True, default="")
    idempotency_key = models.CharField("幂等键", max_length=64, unique=True, null=True, blank=True)

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, verbose_name="举报形式")
    is_anonymous = models.BooleanField("匿名举报", default=True)
    reporter_name = EncryptedTextField("举报人姓名", blank=True, default="")
    reporter_phone = EncryptedTextField("举报人手机", blank=True, default="")
    reporter_id_number = EncryptedTextField("举报人身份证号", blank=True, default="")
    reporter_phone_hash = models.CharField("手机号摘要", max_length=64, blank=True, default="", db_index=True)
    # db_default too: bulk loaders that write raw SQL (apps.stats.seed) do not name this column.
    reporter_id_number_hash = models.CharField(
        "身份证号摘要", max_length=64, blank=True, default="", db_default="", db_index=True
    )

    # Location: the leaf region picked by the reporter, and its province/city codes copied so
    # that statistics group by them without joins.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="所在地区")
    province_code = models.CharField("省级区划", max_length=6, db_index=True)
    city_code = models.CharField("市级区划", max_length=6, blank=True, default="")
    address = models.CharField("详细地址", max_length=200, blank=True, default="")

    reported_unit_name = models.CharField("被举报单位", max_length=200)
    reported_unit_address = models.CharField("被举报单位地址", max_length=200, blank=True, default="")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name="行业")
    problem_type = models.ForeignKey(ProblemType, on_delete=models.PROTECT, verbose_name="问题类型")
    occurred_on = models.DateField("发生时间", null=True, blank=True)
    description = models.TextField("举报内容")

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.RECEIVED)
    # The org the report was first received by (routing or staff entry) and the org that accepted
    # it first: the latter closes it, and keeps the reporter's identity.
    receiving_org = models.ForeignKey(
        Org, on_delete=models.PROTECT, related_name="received_reports", verbose_name="接收单位"
    )
    accepting_org = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accepted_reports",
        verbose_name="受理单位",
    )
    # Set when routing found the matter belongs to another department (移送).
    referral_suggested = models.BooleanField("建议移送", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )

    received_at = models.DateTimeField("举报时间", db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True, db_index=True)
    # Working-day deadlines (dates, inclusive). result_due moves with an approved extension.
    accept_due = models.DateField("受理期限", null=True, blank=True)
    result_due = models.DateField("核查期限", null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField("延期天数", default=0)

    reject_reason = models.CharField(
        "不予受理原因", max_length=20, choices=RejectReason.choices, blank=True, default=""
    )
    reject_detail = models.TextField("不予受理说明", blank=True, default="")
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="重复举报的原举报",
    )
    referred_department = models.CharField("移送部门", max_length=100, blank=True, default="")
    supplement_request = models.TextField("需补正内容", blank=True, default="")

    # Final result, recorded at closing.
    conclusion = models.CharField(
        "核查结论", max_length=16, choices=Conclusion.choices, blank=True, default=""
    )
    verification_summary = models.TextField("简要核查情况", blank=True, default="")
    decision = models.TextField("处理决定", blank=True, default="")
    penalty_amount = models.DecimalField(
        "处罚金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    rectification = models.TextField("整改情况", blank=True, default="")
    reward_status = models.CharField(
        "奖励情况", max_length=8, choices=RewardStatus.choices, default=RewardStatus.NONE
    )
    reward_amount = models.DecimalField(
        "奖励金额（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    reward_paid_on = models.DateField("奖励兑现日期", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "举报单"
        verbose_name_plural = verbose_name
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="report_status_received"),
            models.Index(fields=["province_code", "received_at"], name="report_province_received"),
            models.Index(fields=["city_code", "received_at"], name="report_city_received"),
            models.Index(fields=["region", "received_at"], name="report_region_received"),
            # The list filters a ministry user picks most: newest first within one value, and a
            # capped count that reads the index range instead of every recent report.
            models.Index(fields=["problem_type", "received_at"], name="report_type_received"),
            models.Index(fields=["industry", "received_at"], name="report_industry_received"),
            models.Index(fields=["channel", "received_at"], name="report_channel_received"),
            # The 督办 result clock (apps.supervision): only reports whose 60-day clock runs.
            models.Index(
                fields=["result_due"],
                name="report_open_result_due",
                condition=Q(status__in=["accepted", "verifying"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="report_penalty_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reward_amount__isnull=True) | Q(reward_amount__gte=0),
                name="report_reward_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=30), name="report_extension_at_most_30_days"
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False)
                | (Q(reporter_name="") & Q(reporter_phone="") & Q(reporter_id_number="")),
                name="report_anonymous_has_no_identity",
            ),
            models.CheckConstraint(
                condition=~Q(reward_status="paid") | Q(reward_amount__isnull=False),
                name="report_paid_reward_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(reward_status="none") | Q(status="closed"), name="report_reward_only_when_closed"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False), name="report_closed_has_closed_at"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "received_at" in update_fields):
            # Each hop keeps a copy for the subtree lists (Handling.report_received_at).
            self.handlings.exclude(report_received_at=self.received_at).update(
                report_received_at=self.received_at
            )

    @property
    def reward_paid(self) -> bool:
        return self.reward_status == self.RewardStatus.PAID

    @property
    def sms_code_label(self) -> str:
        """What an SMS calls the report: the tail of the reporter's code, never the whole secret."""
        return f"尾号{self.receipt_tail}" if self.receipt_tail else self.number


class Handling(models.Model):
    """One hop of a report through one org (or one 内设机构)."""

    class State(models.TextChoices):
        PENDING = "pending", "待受理"
        DEFERRED = "deferred", "暂不受理"
        REJECTED = "rejected", "不予受理"
        ACCEPTED = "accepted", "已受理待转办"
        DISPATCHED = "dispatched", "已转办待反馈"
        VERIFYING = "verifying", "核查中"
        REVIEWING = "reviewing", "待审核反馈"
        FED_BACK = "fed_back", "已反馈"
        HANDED_BACK = "handed_back", "已退回上级"
        CLOSED = "closed", "已办结"

    OPEN_STATES = (
        State.PENDING,
        State.DEFERRED,
        State.ACCEPTED,
        State.DISPATCHED,
        State.VERIFYING,
        State.REVIEWING,
    )

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="handlings")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="handlings")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    state = models.CharField("状态", max_length=16, choices=State.choices)
    # Only the accepting org's hop carries the reporter's identity; transfers do not (工作要求 八).
    holds_identity = models.BooleanField("可查看举报人信息", default=False)
    received_at = models.DateTimeField("接收时间")
    accept_due = models.DateField("受理期限", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    dispatch_due = models.DateField("转办期限", null=True, blank=True)
    dispatched_at = models.DateTimeField("转办时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    # A copy of report.received_at (which never changes): 所有举报 pages a subtree's reports
    # newest first from this org's hops alone, through handling_org_report_received.
    report_received_at = models.DateTimeField("举报时间", editable=False)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = verbose_name
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["org", "state"], name="handling_org_state"),
            # reports_visible_to: the reports of a subtree's hops, read from the index alone.
            models.Index(fields=["org", "report"], name="handling_org_report"),
            # 所有举报 of a subtree, newest first, and its date filters (apps.reports.selectors).
            models.Index(
                fields=["org", "-report_received_at", "-report"], name="handling_org_report_received"
            ),
            # The 督办 clocks (apps.supervision): only the hops whose clock is running.
            models.Index(
                fields=["accept_due"], name="handling_pending_accept_due", condition=Q(state="pending")
            ),
            models.Index(
                fields=["dispatch_due"], name="handling_accepted_dispatch_due", condition=Q(state="accepted")
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "org"],
                condition=Q(
                    state__in=["pending", "deferred", "accepted", "dispatched", "verifying", "reviewing"]
                ),
                name="handling_one_open_hop_per_report_and_org",
                violation_error_message="该举报单已在本单位办理中。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} @ {self.org}"

    def save(self, *args, **kwargs):
        if self.report_received_at is None:
            self.report_received_at = self.report.received_at
        super().save(*args, **kwargs)


class Verification(models.Model):
    """A verification result recorded by the verifying hop and passed back up the chain. A return
    for re-verification keeps the earlier rounds."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="verifications")
    handling = models.ForeignKey(Handling, on_delete=models.PROTECT, related_name="verifications")
    conclusion = models.CharField("核查结论", max_length=16, choices=Report.Conclusion.choices)
    summary = models.TextField("简要核查情况")
    decision = models.TextField("处理决定", blank=True, default="")
    penalty_amount = models.DecimalField(
        "处罚金额（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    rectification = models.TextField("整改情况", blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    returned_reason = models.TextField("退回原因", blank=True, default="")

    class Meta:
        verbose_name = "核查结果"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(penalty_amount__isnull=True) | Q(penalty_amount__gte=0),
                name="verification_penalty_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} 核查（{self.get_conclusion_display()}）"


def attachment_path(instance, filename: str) -> str:
    # The stored name never carries the uploader's file name (it may identify them).
    return f"reports/{instance.report_id}/{instance.token}"


class Attachment(models.Model):
    class Stage(models.TextChoices):
        REPORT = "report", "举报材料"
        SUPPLEMENT = "supplement", "补正材料"
        VERIFICATION = "verification", "核查材料"
        RECTIFICATION = "rectification", "整改材料"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    stage = models.CharField("类别", max_length=16, choices=Stage.choices, default=Stage.REPORT)
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)
    display_name = models.CharField("文件名", max_length=120)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verification = models.ForeignKey(
        Verification, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.display_name


class ReportEvent(models.Model):
    """流转记录: append-only, one row per action. The reporter's public timeline is built from
    the rows with public_text, and never shows staff names."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    # The hop the action was taken on, when it was one (督办 and other apps' events may have none).
    handling = models.ForeignKey(
        Handling, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    action = models.CharField("操作", max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    target_org = models.ForeignKey(Org, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField("原状态", max_length=16, blank=True, default="")
    to_status = models.CharField("新状态", max_length=16, blank=True, default="")
    from_state = models.CharField("环节原状态", max_length=16, blank=True, default="")
    to_state = models.CharField("环节新状态", max_length=16, blank=True, default="")
    comment = models.TextField("意见", blank=True, default="")
    public_text = models.TextField("公开进度说明", blank=True, default="")
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("流转记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("流转记录只能追加，不能删除。")


class Supplement(models.Model):
    """补正材料: what the reporter added to a 暂不受理 report (their files are Attachments of stage
    SUPPLEMENT)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supplements")
    text = models.TextField("补正说明")
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "补正材料"
        verbose_name_plural = verbose_name
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} 补正"


class ReportDraft(models.Model):
    """草稿箱: a staff member's unfinished 新建举报. The form data may hold a reporter's name and
    phone, so it is stored encrypted as a whole; only the title is plain, for the list."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_drafts"
    )
    title = models.CharField("标题", max_length=120, blank=True, default="")
    data = EncryptedTextField("表单内容", default="")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("保存时间", auto_now=True)

    class Meta:
        verbose_name = "举报草稿"
        verbose_name_plural = verbose_name
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title or "草稿"


class ApiToken(models.Model):
    """A per-user bearer token for the JSON API. Only a keyed hash is stored: the token is shown
    once, by `manage.py issue_api_token`. The user's org and role apply exactly as in the pages."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=8)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = verbose_name

    def __str__(self) -> str:
        return f"{self.prefix}…（{self.user}）"

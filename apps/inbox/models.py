"""消息中心: messages that ask someone to act (a new report in 待办, a 督办, an extension decision, a
returned verification, a deadline within one working day).

Addressing and read state. Most events concern an org (“郑州市应急管理局 has a new report”), and
several people in that org may share the work. A message is therefore addressed to an org (every
user of that org sees it) or to one user. Read state is kept per user in MessageRead, never on the
message: the spec's 标记为已读 lowers *my* unread count, and one colleague reading a message must
not hide it from the others, who may not have seen it yet. A message addressed to a user is read
the same way (one MessageRead row), so there is one rule for both.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.orgs.models import Org


class Message(models.Model):
    class Kind(models.TextChoices):
        # The report kinds are the values apps.reports.notifications sends.
        NEW_REPORT = "new_report", "新的待办举报"
        FED_BACK = "fed_back", "核查结果待审核"
        RETURNED = "returned", "退回重新核查"
        SUPERVISED = "supervised", "督办"
        EXTENSION_REQUESTED = "extension_requested", "延期申请待审批"
        EXTENSION_DECIDED = "extension_decided", "延期审批结果"
        DEADLINE = "deadline", "办理期限提醒"
        SPOTCHECK = "spotcheck", "抽检整改"
        OTHER = "other", "其他"

    recipient_org = models.ForeignKey(
        Org, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name="接收单位"
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=24, choices=Kind.choices)
    report = models.ForeignKey(
        "reports.Report",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name="举报单",
    )
    text = models.CharField("内容", max_length=500)
    # A path inside this site (never an absolute URL): shown as the message's link.
    url = models.CharField("链接", max_length=300, blank=True, default="")
    # Set by senders that may fire more than once for the same fact (the hourly deadline
    # reminder): the unique constraint makes the second send a no-op.
    dedupe_key = models.CharField("去重键", max_length=150, null=True, blank=True, unique=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient_org", "created_at"], name="message_org_created"),
            models.Index(fields=["recipient_user", "created_at"], name="message_user_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_org__isnull=False) | Q(recipient_user__isnull=False),
                name="message_has_recipient",
                violation_error_message="消息必须有接收单位或接收人。",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]


class MessageRead(models.Model):
    """One user has read one message (see the module docstring for why this is per user)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField("已读时间", auto_now_add=True)

    class Meta:
        verbose_name = "消息已读记录"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["user", "message"], name="message_read_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} 已读 {self.message_id}"

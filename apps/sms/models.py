import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from apps.core.crypto import EncryptedTextField
from apps.sms.phones import mask_phone
from apps.sms.templating import (
    placeholders_in,
    render_text,
    required_placeholders,
    validate_template_text,
)


class SmsTemplate(models.Model):
    """One kind of message the system sends. The text is what console/file backends show and what
    the outbox stores; the cloud providers send their own approved copy of it, named by
    provider_template_id, filled with the same placeholders (Tencent numbers them {1}, {2}, … in
    the order of allowed_placeholders). The provider adds the 【签名】, so the text has none."""

    code = models.CharField("模板编码", max_length=50, unique=True)
    name = models.CharField("模板名称", max_length=100)
    text = models.TextField(
        "短信内容", help_text="用 {占位符} 插入变量；签名由短信服务商自动添加，不要写在内容里。"
    )
    provider_template_id = models.CharField(
        "服务商模板编号", max_length=64, blank=True,
        help_text="在阿里云或腾讯云审核通过的模板编号（如 SMS_123456789 或 1234567）。",
    )
    allowed_placeholders = models.JSONField("可用占位符", default=list, blank=True)
    valid_minutes = models.PositiveSmallIntegerField(
        "时效（分钟）", null=True, blank=True,
        help_text="超过该时长仍未发出的短信不再发送（用于验证码）；留空表示不限。",
    )
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "短信模板"
        verbose_name_plural = verbose_name
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def clean(self):
        errors = self.text_errors(self.text)
        if errors:
            raise ValidationError({"text": errors})

    def text_errors(self, text: str) -> list[str]:
        """What is wrong with `text` as this template's text (Chinese messages; empty when fine)."""
        return validate_template_text(text, self.allowed_placeholders, required_placeholders(self.code))

    @property
    def required_placeholders(self) -> tuple[str, ...]:
        return required_placeholders(self.code)

    def render(self, context: dict) -> str:
        """The message text; raises TemplateRenderError naming any missing placeholder."""
        return render_text(self.text, context, template_code=self.code)

    def ordered_params(self, values: dict[str, str]) -> dict[str, str]:
        """values in allowed_placeholders order, which is the order of Tencent's {1}, {2}, …"""
        order = [name for name in self.allowed_placeholders if name in values]
        order += [name for name in values if name not in order]
        return {name: values[name] for name in order}

    def used_placeholders(self) -> list[str]:
        return placeholders_in(self.text)


class SmsOutbox(models.Model):
    """Every SMS the system sends, written in the caller's transaction before any delivery.

    Phone number, parameters and text are personal data (a reporter's number, login codes), so
    they are SM4 encrypted; phone_hash finds a number's messages without decrypting.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    to_phone = EncryptedTextField("手机号码")
    phone_hash = models.CharField("手机号码哈希", max_length=64, db_index=True)
    template = models.ForeignKey(SmsTemplate, on_delete=models.PROTECT, related_name="messages",
                                 verbose_name="短信模板")
    # Kept beside the FK so the record still reads right if a template is ever recoded.
    template_code = models.CharField("模板编码", max_length=50)
    context_json = EncryptedTextField("短信参数", default="")
    text = EncryptedTextField("短信内容", default="")
    related = models.CharField("关联对象", max_length=100, blank=True, db_index=True,
                               help_text="如 report:123，用于从业务记录找到短信。")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    sending_started_at = models.DateTimeField("本次发送开始时间", null=True, blank=True)
    expires_at = models.DateTimeField("失效时间", null=True, blank=True)
    last_error = models.TextField("最近错误", blank=True)
    provider_message_id = models.CharField("服务商消息编号", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信发送记录"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="sms_outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]),
                name="sms_outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="sms_outbox_sent_has_sent_at"
            ),
            models.CheckConstraint(
                condition=~Q(status="pending") | Q(next_attempt_at__isnull=False),
                name="sms_outbox_pending_is_scheduled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {mask_phone(self.to_phone)}（{self.get_status_display()}）"

    @property
    def context(self) -> dict[str, str]:
        return json.loads(self.context_json) if self.context_json else {}

    @context.setter
    def context(self, value: dict[str, str]) -> None:
        self.context_json = json.dumps(value, ensure_ascii=False)

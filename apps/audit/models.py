"""The audit log (审计日志): append-only, one row per security-relevant event.

Nothing in the application edits or deletes a row: `save()` refuses updates, `delete()` refuses,
the queryset's `update()`/`delete()` refuse, and a database trigger refuses UPDATE statements
(migration 0002). The only removal path is the retention job, which deletes rows older than
AUDIT_RETENTION_DAYS (never less than 180 days) through `_prune_older_than`.

Foreign keys carry no database constraint and no cascade: a log must outlive what it names, so
the actor's and org's names are also copied into the row at the time of the event.
"""

import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

MINIMUM_RETENTION_DAYS = 180


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or delete an audit row through the ORM."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutable("审计日志不可修改。")

    def delete(self):
        raise AuditLogImmutable("审计日志不可删除。")

    def _prune_older_than(self, cutoff: datetime.datetime) -> int:
        floor = timezone.now() - datetime.timedelta(days=MINIMUM_RETENTION_DAYS)
        if cutoff > floor:
            raise AuditLogImmutable(f"审计日志至少保存{MINIMUM_RETENTION_DAYS}天。")
        # _raw_delete: one DELETE statement, no per-row signals, bypasses our delete() guard.
        return self.model.objects.filter(created_at__lt=cutoff)._raw_delete(self.db)


class AuditLog(models.Model):
    class Result(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"
        DENIED = "denied", "拒绝"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="操作人",
    )
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    actor_name = models.CharField("操作人姓名", max_length=50, blank=True)
    org = models.ForeignKey(
        "orgs.Org",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name="机构",
    )
    org_name = models.CharField("机构名称", max_length=100, blank=True)
    action = models.CharField("操作", max_length=64, db_index=True)
    target_type = models.CharField("对象类型", max_length=64, blank=True)
    target_id = models.CharField("对象编号", max_length=64, blank=True)
    target_repr = models.CharField("操作对象", max_length=200, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    ip_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=255, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True, encoder=DjangoJSONEncoder)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="audit_target_time"),
            models.Index(fields=["org", "created_at"], name="audit_org_time"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=["success", "failure", "denied"]), name="audit_result_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogImmutable("审计日志不可修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutable("审计日志不可删除。")

    @property
    def action_label(self) -> str:
        from apps.audit.actions import action_label

        return action_label(self.action)

    @property
    def detail_items(self) -> list[tuple[str, str]]:
        """The detail with Chinese labels, as auditors read it (apps.audit.detail)."""
        from apps.audit.detail import detail_items

        return detail_items(self.detail)

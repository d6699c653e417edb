from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from apps.workcalendar import source

WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class CalendarOverride(models.Model):
    """One date whose status differs from what the `holidays` package says: entered by the
    ministry's administrator from the State Council's notice for a year the package does not
    carry yet, or to correct it. Overrides always win over the package."""

    class Kind(models.TextChoices):
        OFF = "off", "放假"
        WORK = "work", "调休上班"

    date = models.DateField(
        "日期", unique=True, error_messages={"unique": "该日期已有调整记录，请直接修改原记录。"}
    )
    kind = models.CharField("类型", max_length=4, choices=Kind.choices)
    note = models.CharField(
        "说明", max_length=200, blank=True, help_text="如：国务院办公厅通知文号、节日名称"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = verbose_name
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["off", "work"]),
                name="calendar_override_kind_valid",
                violation_error_message="类型只能是“放假”或“调休上班”。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.date.weekday()]

    def clean(self):
        super().clean()
        if self.date is None or not self.kind:
            return  # field validation already reports the missing value
        if not source.MIN_YEAR <= self.date.year <= source.MAX_YEAR:
            raise ValidationError({"date": source.OUT_OF_RANGE_MESSAGE})
        # Judged against the package alone: an override that repeats the package changes
        # nothing and would silently become wrong if the package is later corrected.
        working = source.base_is_working_day(self.date)
        label = f"{self.date.isoformat()}（{self.weekday_name}）"
        reason = source.base_describe(self.date)
        if self.kind == self.Kind.WORK and working:
            why = "" if reason == "工作日" else f"（{reason}）"
            raise ValidationError({"kind": f"{label}本来就是工作日{why}，无需设置为调休上班。"})
        if self.kind == self.Kind.OFF and not working:
            raise ValidationError({"kind": f"{label}本来就是休息日（{reason}），无需设置为放假。"})


class CalendarYear(models.Model):
    """Whether a year's holiday arrangement has been confirmed. Deadlines in an unconfirmed year
    are still computed, but every display of them carries "该年度节假日安排尚未确认"."""

    year = models.PositiveSmallIntegerField(
        "年度",
        unique=True,
        validators=[
            MinValueValidator(source.MIN_YEAR, f"年度不能早于{source.MIN_YEAR}年。"),
            MaxValueValidator(source.MAX_YEAR, f"年度不能晚于{source.MAX_YEAR}年。"),
        ],
        error_messages={"unique": "该年度已有记录。"},
    )
    confirmed = models.BooleanField("已确认", default=False)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="确认人",
    )
    note = models.CharField("说明", max_length=200, blank=True, help_text="如：国务院办公厅通知文号")

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = verbose_name
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=source.MIN_YEAR) & models.Q(year__lte=source.MAX_YEAR),
                name="calendar_year_in_range",
                violation_error_message=f"年度必须在{source.MIN_YEAR}年至{source.MAX_YEAR}年之间。",
            ),
            # A confirmation without a time is not auditable.
            models.CheckConstraint(
                condition=models.Q(confirmed=False) | models.Q(confirmed_at__isnull=False),
                name="calendar_year_confirmed_has_time",
                violation_error_message="已确认的年度必须有确认时间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年（{'已确认' if self.confirmed else '未确认'}）"

    @property
    def package_knows(self) -> bool:
        return source.package_knows_year(self.year)

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

# [0-9], not \d: \d also matches full-width and other Unicode digits, which no SMS provider
# takes; \Z, not $: $ also matches before a trailing newline.
mainland_mobile = RegexValidator(r"\A1[3-9][0-9]{9}\Z", "请输入正确的11位中国大陆手机号码。")


class User(AbstractUser):
    """A staff account. Every account belongs to exactly one org; what it may see and do follows
    from that org's place in the tree (apps.orgs.scoping) and from its role."""

    class Role(models.TextChoices):
        ADMIN = "admin", "系统管理员"
        USER = "user", "普通用户"
        AUDITOR = "auditor", "审计管理员"

    # AbstractUser's first/last name do not fit Chinese names; one real-name field does.
    first_name = None
    last_name = None
    real_name = models.CharField("姓名", max_length=50)
    mobile = models.CharField("手机号码", max_length=11, blank=True, validators=[mainland_mobile])
    org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name="所属机构",
        null=True,
        blank=True,
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices, default=Role.USER)
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    # 统一身份认证: the provider's stable subject id ("sub"). Matching is by this id only, never
    # by a display name, which two people can share.
    oidc_subject = models.CharField(
        "统一身份认证标识",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": "该统一身份认证标识已绑定其他账号。"},
    )
    # A ministry 司局 account may be narrowed to some of its department's industries; empty means
    # the department's whole scope (apps.accounts.selectors.industry_scope_for).
    industry_scope = models.ManyToManyField(
        "catalogs.Industry", blank=True, related_name="+", verbose_name="行业范围"
    )

    objects = UserManager()

    # createsuperuser asks for the mobile too: every login, the operators' included, needs the SMS code.
    REQUIRED_FIELDS = ["real_name", "mobile"]

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = verbose_name
        constraints = [
            # Superusers run the Django admin for operators; every business account has an org.
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(org__isnull=False),
                name="user_has_org_unless_superuser",
                violation_error_message="用户必须属于一个机构。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.real_name}（{self.username}）"

    def get_full_name(self) -> str:
        return self.real_name

    def get_short_name(self) -> str:
        return self.real_name

    @property
    def is_system_admin(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.role == self.Role.AUDITOR

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class PasswordHistory(models.Model):
    """Hashes of an account's recent passwords, so a new one cannot repeat the last five."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="pwhistory_user_time")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class LoginCode(models.Model):
    """One SMS login code: the second factor of the staff login. Only a keyed hash of the code is
    stored; it dies after its validity period, after its last allowed attempt, or when used."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "短信登录验证码"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["user", "created_at"], name="logincode_user_time")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="logincode_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d %H:%M:%S}"

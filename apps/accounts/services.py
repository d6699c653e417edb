"""Account actions: the staff login's second factor, password changes and 用户管理.

One function per action, keyword-only, each in one transaction that re-reads the row it changes,
checks permission, saves, and writes its audit row. Views, commands and the API call these;
nothing else assigns these fields.
"""

import datetime
import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from apps.accounts import permissions
from apps.accounts.models import LoginCode, User
from apps.audit import actions
from apps.audit.services import audit_log
from apps.orgs.models import Org

LOGIN_CODE_HOURLY_LIMIT = 10


class AccountError(Exception):
    """A refused action with a message for the user (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class LoginCodeThrottled(AccountError):
    def __init__(self, seconds: int):
        super().__init__(f"验证码已发送，请{seconds}秒后再重新获取。")
        self.seconds = seconds


# ---- SMS login code -------------------------------------------------------------------------


def _hash_code(user_id: int, code: str) -> str:
    return salted_hmac("apps.accounts.LoginCode", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def login_code_issue(*, user: User, request=None) -> LoginCode:
    """Create a 6-digit code and queue it by SMS to the account's phone. Any earlier unused code
    of the account dies. Raises AccountError (no phone, too frequent)."""
    if not user.mobile:
        raise AccountError("该账号未登记手机号码，无法发送短信验证码，请联系系统管理员。")
    from apps.sms.errors import SmsError
    from apps.sms.services import sms_queue

    now = timezone.now()
    with transaction.atomic():
        # The user row lock serialises two clicks of 【获取短信验证码】 for one account.
        User.objects.select_for_update().filter(pk=user.pk).first()
        last = LoginCode.objects.filter(user=user).order_by("-created_at", "-id").first()
        wait = settings.LOGIN_CODE_RESEND_SECONDS
        if last is not None and last.created_at > now - datetime.timedelta(seconds=wait):
            elapsed = (now - last.created_at).total_seconds()
            raise LoginCodeThrottled(max(1, int(wait - elapsed)))
        hourly = LoginCode.objects.filter(user=user, created_at__gt=now - datetime.timedelta(hours=1)).count()
        if hourly >= LOGIN_CODE_HOURLY_LIMIT:
            raise AccountError("短信验证码获取过于频繁，请一小时后再试。")
        LoginCode.objects.filter(user=user, consumed_at__isnull=True).update(consumed_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        row = LoginCode.objects.create(
            user=user,
            code_hash=_hash_code(user.pk, code),
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=settings.LOGIN_CODE_VALID_SECONDS),
        )
        try:
            sms_queue(
                to=user.mobile, template_code="login_code", context={"code": code}, related=f"login:{user.pk}"
            )
        except SmsError as exc:
            raise AccountError(exc.message) from exc
        audit_log(
            actor=None,
            action=actions.LOGIN_CODE_SENT,
            target=user,
            result="success",
            request=request,
            org=user.org,
        )
    return row


@dataclass
class CodeCheck:
    ok: bool
    message: str = ""
    attempts_left: int = 0
    restart: bool = False  # the code is dead: the user must start the login again
    wrong_guess: bool = False  # a wrong code was entered: counts as a failed login


def login_code_check(*, user: User, code_id: int, code: str) -> CodeCheck:
    """Check an entered code against the pending one. A wrong entry uses up one attempt."""
    now = timezone.now()
    code = (code or "").strip()
    limit = settings.LOGIN_CODE_MAX_ATTEMPTS
    with transaction.atomic():
        row = LoginCode.objects.select_for_update().filter(pk=code_id, user=user).first()
        if row is None or row.consumed_at is not None:
            return CodeCheck(False, "验证码已失效，请重新获取。", restart=True)
        if row.expires_at <= now:
            return CodeCheck(False, "验证码已过期，请重新获取。", restart=True)
        if row.attempts >= limit:
            return CodeCheck(False, "验证码错误次数过多，请重新登录。", restart=True)
        if (
            len(code) == 6
            and code.isdigit()
            and constant_time_compare(row.code_hash, _hash_code(user.pk, code))
        ):
            row.consumed_at = now
            row.save(update_fields=["consumed_at"])
            return CodeCheck(True)
        row.attempts += 1
        fields = ["attempts"]
        if row.attempts >= limit:
            row.consumed_at = now
            fields.append("consumed_at")
        row.save(update_fields=fields)
        left = limit - row.attempts
        if left <= 0:
            return CodeCheck(False, "验证码错误次数过多，请重新登录。", restart=True, wrong_guess=True)
        return CodeCheck(False, f"短信验证码不正确，还可尝试{left}次。", attempts_left=left, wrong_guess=True)


# ---- passwords ---------------------------------------------------------------------------------


def password_expired(user: User, now: datetime.datetime | None = None) -> bool:
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if not max_age:
        return False
    return user.password_changed_at <= (now or timezone.now()) - datetime.timedelta(days=max_age)


def password_change_required(user: User) -> str:
    """Why the account must change its password before doing anything else ("" when it need not)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    if user.must_change_password and settings.PASSWORD_FORCE_CHANGE:
        return "首次登录或密码已被重置，请先修改密码。"
    if password_expired(user):
        return f"密码已超过{settings.PASSWORD_MAX_AGE_DAYS}天未修改，已过期，请修改密码后继续使用。"
    return ""


def password_change(*, actor: User, new_password: str, request=None) -> User:
    """The account holder sets a new password (old password already checked by the form)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        password_validation.validate_password(new_password, user)
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit_log(actor=user, action=actions.PASSWORD_CHANGE, target=user, result="success", request=request)
    return user


TEMP_ALPHABETS = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "@#%+=?")


def generate_temporary_password(length: int = 12) -> str:
    """Random, every character class present, no look-alike characters (read off a screen)."""
    chars = [secrets.choice(alphabet) for alphabet in TEMP_ALPHABETS]
    pool = "".join(TEMP_ALPHABETS)
    chars += [secrets.choice(pool) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


# ---- 用户管理 ----------------------------------------------------------------------------------


def _lock_manageable(actor: User, account_id: int) -> User:
    account = User.objects.select_for_update().filter(pk=account_id).first()
    if account is None or not permissions.can_manage_account(actor, account):
        raise PermissionDenied("无权管理该用户。")
    return account


def _check_grant(actor: User, *, org: Org, role: str, industries, current_org_id=None) -> None:
    allowed_orgs = {o.pk for o in permissions.assignable_orgs(actor)}
    if current_org_id is not None and current_org_id in permissions.account_manageable_org_ids(actor):
        allowed_orgs.add(current_org_id)  # an account may stay in its org after that org is deactivated
    if org is None or org.pk not in allowed_orgs:
        raise ValidationError(
            {"org": "只能将用户设在本级机构、本级内设机构或直属下级机构，且机构须为启用状态。"}
        )
    if role not in {value for value, _ in permissions.assignable_roles(actor)}:
        raise ValidationError({"role": "不能授予该角色。"})
    industries = list(industries or [])
    if industries:
        if org.kind != Org.Kind.BUREAU:
            raise ValidationError({"industry_scope": "只有部机关司局的账号可以设置行业范围。"})
        allowed = set(org.industry_scope.values_list("pk", flat=True))
        if any(item.pk not in allowed for item in industries):
            raise ValidationError({"industry_scope": "行业范围只能在该司局的职责行业内选择。"})


def _username_taken(username: str, exclude_pk=None) -> bool:
    qs = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def account_create(
    *,
    actor: User,
    username: str,
    real_name: str,
    mobile: str,
    org: Org,
    role: str,
    industries=(),
    oidc_subject: str | None = None,
    request=None,
) -> tuple[User, str]:
    """Create an account with a temporary password that must be changed at first login.
    Returns the account and the temporary password (shown once to the administrator)."""
    if not permissions.is_active_admin(actor):
        raise PermissionDenied("只有系统管理员可以新建用户。")
    with transaction.atomic():
        _check_grant(actor, org=org, role=role, industries=industries)
        if _username_taken(username):
            raise ValidationError({"username": "该用户名已被使用，请换一个。"})
        temporary = generate_temporary_password()
        account = User(
            username=username,
            real_name=real_name,
            mobile=mobile,
            org=org,
            role=role,
            oidc_subject=oidc_subject or None,
            must_change_password=True,
        )
        account.set_password(temporary)
        account.full_clean()
        account.save()
        account.industry_scope.set(industries or [])
        audit_log(
            actor=actor,
            action=actions.ACCOUNT_CREATE,
            target=account,
            result="success",
            request=request,
            detail={"org": org.name, "role": account.get_role_display()},
        )
    return account, temporary


def account_update(
    *,
    actor: User,
    account: User,
    real_name: str,
    mobile: str,
    org: Org,
    role: str,
    industries=(),
    oidc_subject: str | None = None,
    request=None,
) -> User:
    with transaction.atomic():
        account = _lock_manageable(actor, account.pk)
        _check_grant(actor, org=org, role=role, industries=industries, current_org_id=account.org_id)
        before = {
            "real_name": account.real_name,
            "mobile": account.mobile,
            "org": account.org.name,
            "role": account.get_role_display(),
            "oidc_subject": account.oidc_subject or "",
            "industries": sorted(account.industry_scope.values_list("name", flat=True)),
        }
        old_role = account.role
        account.real_name, account.mobile, account.org, account.role = real_name, mobile, org, role
        account.oidc_subject = oidc_subject or None
        account.full_clean()
        account.save(update_fields=["real_name", "mobile", "org", "role", "oidc_subject"])
        account.industry_scope.set(industries or [])
        after = {
            "real_name": account.real_name,
            "mobile": account.mobile,
            "org": account.org.name,
            "role": account.get_role_display(),
            "oidc_subject": account.oidc_subject or "",
            "industries": sorted(account.industry_scope.values_list("name", flat=True)),
        }
        changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if "mobile" in changed:
            # The phone number is personal data: the log says that it changed, not to what.
            changed["mobile"] = ["（已修改）"]
        audit_log(
            actor=actor,
            action=actions.ACCOUNT_UPDATE,
            target=account,
            result="success",
            request=request,
            detail={"changed": changed},
        )
        if old_role != role:
            audit_log(
                actor=actor,
                action=actions.ACCOUNT_ROLE_CHANGE,
                target=account,
                result="success",
                request=request,
                detail={"from": before["role"], "to": after["role"]},
            )
    return account


def account_set_active(*, actor: User, account: User, active: bool, request=None) -> User:
    with transaction.atomic():
        account = _lock_manageable(actor, account.pk)
        if active and not account.org.is_active:
            raise ValidationError("该用户所属机构已停用，不能启用该用户。")
        account.is_active = active
        account.save(update_fields=["is_active"])
        audit_log(
            actor=actor,
            action=actions.ACCOUNT_ENABLE if active else actions.ACCOUNT_DISABLE,
            target=account,
            result="success",
            request=request,
        )
    return account


def account_reset_password(*, actor: User, account: User, request=None) -> str:
    """A new temporary password that must be changed at the next login; also unlocks."""
    with transaction.atomic():
        account = _lock_manageable(actor, account.pk)
        temporary = generate_temporary_password()
        account.set_password(temporary)
        account.must_change_password = True
        account.save(update_fields=["password", "password_changed_at", "must_change_password"])
        axes_reset(username=account.username)
        audit_log(
            actor=actor,
            action=actions.ACCOUNT_RESET_PASSWORD,
            target=account,
            result="success",
            request=request,
        )
    return temporary


def account_unlock(*, actor: User, account: User, request=None) -> int:
    """Clear the failed-login count of the account (and of the addresses it was tried from)."""
    with transaction.atomic():
        account = _lock_manageable(actor, account.pk)
        removed = axes_reset(username=account.username)
        audit_log(
            actor=actor,
            action=actions.ACCOUNT_UNLOCK,
            target=account,
            result="success",
            request=request,
            detail={"cleared_attempts": removed},
        )
    return removed


def locked_usernames(usernames) -> set[str]:
    """Which of these accounts are currently locked by failed logins (one query, for lists)."""
    from axes.models import AccessAttempt
    from django.db.models import Sum

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
    )
    return {row["username"] for row in rows if row["n"] >= settings.AXES_FAILURE_LIMIT}


def account_is_locked(account: User) -> bool:
    return account.username in locked_usernames([account.username])

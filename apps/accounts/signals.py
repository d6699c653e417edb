"""Audit rows for every login, logout and login failure, whichever code path caused them."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.audit import actions
from apps.audit.services import audit_log


def _account(username: str | None):
    from apps.accounts.models import User

    if not username:
        return None
    return User.objects.filter(username=username).select_related("org").first()


@receiver(user_logged_in, dispatch_uid="accounts_audit_login")
def _audit_login(sender, request, user, **kwargs):
    method = getattr(request, "_login_method", "password") if request is not None else "password"
    audit_log(
        actor=user,
        action=actions.LOGIN,
        target=user,
        result="success",
        request=request,
        detail={"method": method},
    )


@receiver(user_logged_out, dispatch_uid="accounts_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is None:
        return
    audit_log(actor=user, action=actions.LOGOUT, target=user, result="success", request=request)


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or ""
    account = _account(username)
    reason = getattr(request, "_login_failure_reason", "") if request is not None else ""
    if not reason:
        reason = "账号已锁定" if getattr(request, "axes_locked_out", False) else "用户名或密码错误"
    audit_log(
        actor=None,
        action=actions.LOGIN_FAILED,
        target=account if account else username[:150],
        result="failure",
        request=request,
        org=account.org if account else None,
        detail={"username": username[:150], "reason": reason},
    )


@receiver(user_locked_out, dispatch_uid="accounts_audit_lockout")
def _audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # axes repeats this signal for every attempt during a lockout; only the one that locked counts.
    if request is not None and getattr(request, "axes_failures_since_start", None) is None:
        return
    account = _account(username)
    audit_log(
        actor=None,
        action=actions.LOCKOUT,
        target=account if account else (username or "")[:150],
        result="failure",
        request=request,
        org=account.org if account else None,
        detail={"username": (username or "")[:150]},
    )

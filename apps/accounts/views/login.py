"""The staff login (操作手册 第二章 2): 用户名和密码 → 【发送】 → 图形验证码 → 【获取短信验证码】 →
短信验证码 → 【登录】. Both factors are always required; nothing here logs a user in before the SMS
code matches. Between the steps the session holds only the pending account id and code id.
"""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from apps.accounts.forms import LoginCodeForm, LoginStartForm
from apps.accounts.models import LoginCode, User
from apps.accounts.oidc import oidc_enabled
from apps.accounts.services import AccountError, LoginCodeThrottled, login_code_check, login_code_issue
from apps.audit import actions
from apps.audit.models import AuditLog
from apps.audit.services import audit_log
from apps.sms.phones import mask_phone

PENDING = "login_pending"
LOGIN_INFO = "login_info"
AUTH_METHOD = "auth_method"
PENDING_MAX_SECONDS = 15 * 60
MAX_RESENDS = 5
LOCKED_MESSAGE = "登录失败次数过多，账号已被锁定{minutes}分钟。如需立即解锁，请联系系统管理员。"


def locked_message() -> str:
    return LOCKED_MESSAGE.format(minutes=int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _render_start(request, form=None, error="", status=200, next_url=""):
    response = render(
        request,
        "accounts/login.html",
        {
            "form": form or LoginStartForm(),
            "error": error,
            "next": next_url,
            "oidc_enabled": oidc_enabled(),
            "oidc_label": settings.OIDC_BUTTON_LABEL,
        },
        status=status,
    )
    response.handles_lockout = True
    return response


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login views answer a lockout themselves; any other path that
    authenticates gets the login page with the lockout message."""
    if original_response is not None and getattr(original_response, "handles_lockout", False):
        return original_response
    return _render_start(request, error=locked_message(), status=429)


def _clear_pending(request) -> None:
    request.session.pop(PENDING, None)


def _start_pending(request, user: User, code: LoginCode, next_url: str) -> None:
    request.session[PENDING] = {
        "uid": user.pk,
        "code_id": code.pk,
        "backend": user.backend,
        "next": next_url,
        "started": int(time.time()),
        "resends": 0,
    }


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "home")
    if request.method != "POST":
        return _render_start(request, next_url=next_url)

    form = LoginStartForm(request.POST)
    if not form.is_valid():
        error = ""
        if "captcha" in form.errors:
            error = form.errors["captcha"][0]
        if "captcha" in form.errors and form.data.get("username"):
            # Not fed to the lockout counter (the password was never checked), but logged.
            audit_log(
                actor=None,
                action=actions.LOGIN_FAILED,
                target=form.data.get("username", "")[:150],
                result="failure",
                request=request,
                detail={"username": form.data.get("username", "")[:150], "reason": "图形验证码错误"},
            )
        # A fresh captcha and an empty password field: the user re-enters both.
        fresh = LoginStartForm(initial={"username": form.data.get("username", "")[:150]})
        for name in ("username", "password"):
            if not error and form.errors.get(name):
                error = form.errors[name][0]
        return _render_start(request, fresh, error=error, next_url=next_url)

    username, password = form.cleaned_data["username"], form.cleaned_data["password"]
    user = authenticate(request, username=username, password=password)
    if user is None:
        if getattr(request, "axes_locked_out", False):
            return _render_start(
                request,
                LoginStartForm(initial={"username": username}),
                error=locked_message(),
                status=429,
                next_url=next_url,
            )
        return _render_start(
            request,
            LoginStartForm(initial={"username": username}),
            error="用户名或密码错误。",
            next_url=next_url,
        )
    try:
        code = login_code_issue(user=user, request=request)
    except LoginCodeThrottled as exc:
        # A code sent less than a minute ago is still good: continue with it.
        code = (
            LoginCode.objects.filter(user=user, consumed_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("-created_at")
            .first()
        )
        if code is None:
            return _render_start(
                request, LoginStartForm(initial={"username": username}), error=exc.message, next_url=next_url
            )
        messages.info(request, "验证码已发送，请查收短信。")
    except AccountError as exc:
        return _render_start(
            request, LoginStartForm(initial={"username": username}), error=exc.message, next_url=next_url
        )
    else:
        minutes = settings.LOGIN_CODE_VALID_SECONDS // 60
        messages.success(request, f"短信验证码已发送至{mask_phone(user.mobile)}，{minutes}分钟内有效。")
    _start_pending(request, user, code, next_url)
    return redirect("login_code")


def _pending_user(request) -> tuple[dict | None, User | None]:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending.get("started", 0) > PENDING_MAX_SECONDS:
        _clear_pending(request)
        return None, None
    user = User.objects.filter(pk=pending["uid"], is_active=True).select_related("org").first()
    if user is None:
        _clear_pending(request)
        return None, None
    return pending, user


def _resend_wait(pending: dict) -> int:
    code = LoginCode.objects.filter(pk=pending["code_id"]).only("created_at").first()
    if code is None:
        return 0
    elapsed = (timezone.now() - code.created_at).total_seconds()
    return max(0, int(settings.LOGIN_CODE_RESEND_SECONDS - elapsed))


def _render_code(request, user, pending, form=None, error="", status=200):
    response = render(
        request,
        "accounts/login_code.html",
        {
            "form": form or LoginCodeForm(),
            "error": error,
            "masked_mobile": mask_phone(user.mobile),
            "resend_wait": _resend_wait(pending),
            "username": user.username,
        },
        status=status,
    )
    response.handles_lockout = True
    return response


@csrf_protect
@never_cache
def login_code_view(request):
    pending, user = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("login")
    if request.method != "POST":
        return _render_code(request, user, pending)

    if not AxesProxyHandler.is_allowed(request, {"username": user.username}):
        _clear_pending(request)
        return _render_start(request, error=locked_message(), status=429)
    form = LoginCodeForm(request.POST)
    if not form.is_valid():
        return _render_code(request, user, pending, form)
    result = login_code_check(user=user, code_id=pending["code_id"], code=form.cleaned_data["code"])
    if result.ok:
        return complete_login(
            request, user, backend=pending["backend"], method="sms", next_url=pending.get("next", "")
        )
    if not result.wrong_guess:
        _clear_pending(request)
        messages.error(request, result.message)
        return redirect("login")
    request._login_failure_reason = "短信验证码错误"
    user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
    if getattr(request, "axes_locked_out", False):
        _clear_pending(request)
        return _render_start(request, error=locked_message(), status=429)
    if result.restart:
        _clear_pending(request)
        messages.error(request, result.message)
        return redirect("login")
    return _render_code(request, user, pending, LoginCodeForm(), error=result.message)


@require_POST
@csrf_protect
@never_cache
def login_code_resend(request):
    pending, user = _pending_user(request)
    if user is None:
        messages.error(request, "登录已超时，请重新输入用户名和密码。")
        return redirect("login")
    if pending.get("resends", 0) >= MAX_RESENDS:
        _clear_pending(request)
        messages.error(request, "重新获取验证码次数过多，请重新登录。")
        return redirect("login")
    try:
        code = login_code_issue(user=user, request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        pending.update(code_id=code.pk, resends=pending.get("resends", 0) + 1)
        request.session[PENDING] = pending
        messages.success(request, f"短信验证码已重新发送至{mask_phone(user.mobile)}。")
    return redirect("login_code")


def complete_login(request, user: User, *, backend: str, method: str, next_url: str = ""):
    """Both factors passed (or the unified identity provider vouched): start the session. Django's
    login() gives the session a new id, so an id planted before login is worthless after it."""
    previous = user.last_login
    failures = AuditLog.objects.filter(
        action=actions.LOGIN_FAILED, target_type=User._meta.label_lower, target_id=str(user.pk)
    )
    if previous is not None:
        failures = failures.filter(created_at__gt=previous)
    failure_count = failures.count()
    _clear_pending(request)
    request._login_method = method
    login(request, user, backend=backend)
    request.session[LOGIN_INFO] = {
        "previous_login": previous.isoformat() if previous else None,
        "failures_since": failure_count,
    }
    request.session[AUTH_METHOD] = method
    request.session["login_notice"] = True  # shown once, on the first page after login
    return redirect(next_url or reverse("home"))

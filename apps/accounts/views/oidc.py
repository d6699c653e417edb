import logging

from authlib.integrations.base_client import OAuthError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from apps.accounts.models import User
from apps.accounts.oidc import oidc_client, oidc_enabled
from apps.accounts.views.login import _render_start, complete_login, safe_next
from apps.audit import actions
from apps.audit.services import audit_log

logger = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"
UNAVAILABLE = "统一身份认证服务暂时无法访问，请稍后再试，或使用账号密码登录。"


@never_cache
def oidc_start(request):
    if not oidc_enabled():
        raise Http404("未启用统一身份认证")
    request.session[NEXT_KEY] = safe_next(request)
    redirect_uri = request.build_absolute_uri(reverse("oidc_callback"))
    try:
        return oidc_client().authorize_redirect(request, redirect_uri)
    except Exception:
        logger.exception("OIDC: cannot start the authorization request")
        return _render_start(request, error=UNAVAILABLE, status=503)


def _fail(request, reason: str, detail: dict | None = None, status=400, error=""):
    audit_log(
        actor=None,
        action=actions.LOGIN_FAILED,
        target="统一身份认证",
        result="failure",
        request=request,
        detail={"method": "oidc", "reason": reason, **(detail or {})},
    )
    return _render_start(request, error=error or f"统一身份认证登录失败：{reason}", status=status)


@never_cache
def oidc_callback(request):
    if not oidc_enabled():
        raise Http404("未启用统一身份认证")
    try:
        token = oidc_client().authorize_access_token(request)
    except OAuthError as exc:
        logger.warning("OIDC: authorization failed: %s", exc)
        return _fail(request, "认证未完成或已失效，请重新登录。", {"error": str(exc.error)[:100]})
    except Exception:
        logger.exception("OIDC: token exchange failed")
        return _fail(request, "无法连接统一身份认证服务。", status=503, error=UNAVAILABLE)
    claims = token.get("userinfo") or {}
    subject = str(claims.get("sub") or "")
    if not subject:
        return _fail(request, "身份令牌中缺少人员标识。")
    # Matched by the stored subject id only: never by name, which two people can share.
    user = User.objects.filter(oidc_subject=subject).select_related("org").first()
    if user is None or not user.is_active or user.org is None or not user.org.is_active:
        audit_log(
            actor=None,
            action=actions.LOGIN_FAILED,
            target=user if user else "统一身份认证",
            result="denied",
            request=request,
            org=user.org if user else None,
            detail={"method": "oidc", "reason": "未授权", "subject": subject[:100]},
        )
        display = claims.get("name") or claims.get("preferred_username") or ""
        return render(request, "accounts/unauthorized.html", {"display_name": display}, status=403)
    return complete_login(
        request,
        user,
        backend="django.contrib.auth.backends.ModelBackend",
        method="oidc",
        next_url=request.session.pop(NEXT_KEY, "") or "",
    )

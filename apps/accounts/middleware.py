from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from apps.accounts.services import password_change_required

OPEN_PREFIXES = ("/static/", "/captcha/", "/healthz")


class PasswordPolicyMiddleware:
    """An account whose password has expired (spec: 3 months) or was set by an administrator
    may do nothing but change it ("修改密码后方可登录"). Sessions opened through 统一身份认证 do
    not use the local password and are not held to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get("auth_method") != "oidc"
            and not self._is_open(request.path)
        ):
            reason = password_change_required(user)
            if reason:
                return self._redirect(request, reason)
        return self.get_response(request)

    @staticmethod
    def _is_open(path: str) -> bool:
        return path.startswith(OPEN_PREFIXES) or path in {reverse("password_change"), reverse("logout")}

    @staticmethod
    def _redirect(request, reason: str):
        target = reverse("password_change")
        if request.method == "GET" and not request.path.startswith("/api/"):
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=403)
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

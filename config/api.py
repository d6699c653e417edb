"""The JSON API under /api/v1/. Each app contributes a router; this module only mounts them."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from apps.dashboard.api import router as dashboard_router
from apps.inbox.api import router as inbox_router
from apps.public.api import router as public_router
from apps.regions.api import router as regions_router
from apps.reports.api import router as reports_router
from apps.spotchecks.api import router as spotchecks_router
from apps.supervision.api import router as supervision_router

api = NinjaAPI(
    title="安全生产举报系统 API",
    version="1",
    description=(
        "小程序渠道、省级数据对接与统计大屏使用的接口。\n\n"
        "社会公众举报接口（/api/v1/public/，小程序渠道）的认证方式：先调用 POST /api/v1/public/sessions "
        "获取服务器签名的客户端密钥（client_key），之后每个请求在 X-Client-Key 请求头中携带；"
        "发送短信验证码、提交举报需要在该密钥下通过一次图形验证码，每次进度查询都需要图形验证码；"
        "提交举报必须带 Idempotency-Key 请求头。详见 docs/public-api.md。"
    ),
    urls_namespace="api",
    docs_url="/docs",
)


# pydantic's error types, in Chinese; anything else is "取值不正确".
ERROR_TEXTS = {
    "missing": "此项为必填项。",
    "json_invalid": "请求体不是有效的 JSON。",
    "too_long": "内容过长。",
    "string_too_long": "内容过长。",
    "too_short": "内容过短。",
    "string_too_short": "内容过短。",
    "less_than_equal": "超出允许的范围。",
    "greater_than_equal": "超出允许的范围。",
    "less_than": "超出允许的范围。",
    "greater_than": "超出允许的范围。",
}


def _field_errors(errors: list[dict]) -> dict[str, list[str]]:
    """{field: [Chinese message]}: the shape the public API documents for its own form errors."""
    out: dict[str, list[str]] = {}
    for error in errors:
        names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        field = names[-1] if len(names) > 1 else "请求体"
        kind = str(error.get("type", ""))
        if kind in ERROR_TEXTS:
            text = ERROR_TEXTS[kind]
        elif kind.endswith(("_parsing", "_type")) or "parse" in str(error.get("msg", "")).lower():
            text = "格式不正确。"
        else:
            text = "取值不正确。"
        out.setdefault(field, [])
        if text not in out[field]:
            out[field].append(text)
    return out


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    # Clients get one Chinese sentence plus the fields at fault, never pydantic's English.
    return api.create_response(
        request, {"detail": "请求参数不正确", "errors": _field_errors(exc.errors)}, status=400
    )


# django-ninja's own answers are English; a client (and the screen, which shows `detail` to the
# user) gets a Chinese sentence instead. Messages our code sets are kept as they are.
NINJA_ENGLISH = {
    "Unauthorized": "未登录或登录已过期，请重新登录。",
    "Forbidden": "您没有执行此操作的权限。",
    "Too many requests.": "请求过于频繁，请稍后再试。",
}
NOT_FOUND = "请求的资源不存在。"


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    message = NINJA_ENGLISH.get(exc.message, exc.message)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    # The selectors' messages ("举报单不存在") are Chinese and already say the same for "not
    # yours" and "no such thing"; Django's own ("No Report matches the given query.") is not.
    message = str(exc)
    chinese = any("\u4e00" <= char <= "\u9fff" for char in message)
    return api.create_response(request, {"detail": message if chinese else NOT_FOUND}, status=404)


api.add_router("/regions", regions_router, tags=["行政区划"])
api.add_router("/reports", reports_router, tags=["举报管理"])
api.add_router("/messages", inbox_router, tags=["消息中心"])
api.add_router("/supervision", supervision_router, tags=["督办与延期"])
api.add_router("/public", public_router, tags=["社会公众举报（小程序）"])
api.add_router("/dashboard", dashboard_router, tags=["可视化分析"])
api.add_router("/spotchecks", spotchecks_router, tags=["抽检管理"])

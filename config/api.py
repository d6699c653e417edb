"""The JSON API under /api/v1/. Each app contributes a router; this module only mounts them."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError

from apps.regions.api import router as regions_router

api = NinjaAPI(
    title="安全生产举报系统 API",
    version="1",
    description="小程序渠道、省级数据对接与统计大屏使用的接口。",
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    # Clients get one Chinese sentence plus the field details, never a stack trace.
    return api.create_response(request, {"detail": "请求参数不正确", "errors": exc.errors}, status=400)


api.add_router("/regions", regions_router, tags=["行政区划"])

from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from config.api import api


def openapi_schema(request):
    return JsonResponse(
        api.get_openapi_schema(path_prefix="/api/v1"), json_dumps_params={"ensure_ascii": False}
    )


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi_schema, name="openapi"),
    path("api/v1/", api.urls),
    path("reports/", include("apps.reports.urls")),
    path("messages/", include("apps.inbox.urls")),
    path("supervision/", include("apps.supervision.urls")),
    path("captcha/", include("captcha.urls")),
    # 社会公众官网举报 and 进度查询 (issue 3); the mini-program API is under /api/v1/public/.
    path("jubao/", include("apps.public.urls")),
    path("sysadmin/catalogs/", include("apps.catalogs.urls")),
    path("sysadmin/", include("apps.sysadmin.urls")),
    path("audit/", include("apps.audit.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("stats/", include("apps.stats.urls")),
    # 抽检管理 (issue 7).
    path("spotchecks/", include("apps.spotchecks.urls")),
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
]

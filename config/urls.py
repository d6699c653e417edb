from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path

from config.api import api


def openapi_schema(request):
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1"), json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/openapi.json", openapi_schema, name="openapi"),
    path("api/v1/", api.urls),
    path("", include("apps.core.urls")),
    path("", include("apps.accounts.urls")),
]

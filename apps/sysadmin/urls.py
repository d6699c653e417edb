from django.urls import include, path

from apps.accounts.views import manage as user_views
from apps.sysadmin import views

app_name = "sysadmin"

urlpatterns = [
    path("", views.index, name="index"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/<str:action>/", user_views.user_action, name="user_action"),
    path("orgs/", include("apps.orgs.urls")),
    path("sms-templates/", views.sms_template_list, name="sms_template_list"),
    path("sms-templates/<int:pk>/", views.sms_template_edit, name="sms_template_edit"),
    path("sms-templates/<int:pk>/preview/", views.sms_template_preview, name="sms_template_preview"),
    path("calendar/", views.calendar_index, name="calendar_index"),
    path("calendar/<int:year>/", views.calendar_year, name="calendar_year"),
    path("calendar/<int:year>/confirm/", views.calendar_year_confirm, name="calendar_year_confirm"),
    path(
        "calendar/<int:year>/<int:pk>/delete/",
        views.calendar_override_delete,
        name="calendar_override_delete",
    ),
]

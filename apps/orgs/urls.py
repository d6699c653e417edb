"""机构管理 pages, mounted under /sysadmin/orgs/ by apps.sysadmin.urls (namespace "sysadmin")."""

from django.urls import path

from apps.orgs import views

urlpatterns = [
    path("", views.org_list, name="org_list"),
    path("new/", views.org_create, name="org_create"),
    path("<int:pk>/", views.org_edit, name="org_edit"),
    path("<int:pk>/move/", views.org_move, name="org_move"),
    path("<int:pk>/<str:action>/", views.org_set_active, name="org_set_active"),
]

from django.urls import path

from apps.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_list, name="index"),
    path("export.xlsx", views.audit_export, name="export"),
]

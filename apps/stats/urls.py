from django.urls import path

from apps.stats import views

app_name = "stats"

urlpatterns = [
    path("", views.index, name="index"),
    path("table.xlsx", views.table_xlsx, name="table_xlsx"),
    path("analysis/", views.analysis, name="analysis"),
    path("orgs/<int:pk>/children/", views.org_children, name="org_children"),
    path("exports/", views.exports, name="exports"),
    path("exports/new/", views.export_start, name="export_start"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]

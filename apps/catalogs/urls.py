from django.urls import path

from apps.catalogs import views

app_name = "catalogs"

urlpatterns = [
    path("", views.catalog_index, name="index"),
    path("<slug:slug>/new/", views.catalog_edit, name="create"),
    path("<slug:slug>/<int:pk>/", views.catalog_edit, name="edit"),
]

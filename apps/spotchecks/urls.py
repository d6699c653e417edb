"""抽检管理 pages. Every URL naming a batch or item finds it through the scoping selectors
(404 outside the user's jurisdiction)."""

from django.urls import path

from apps.spotchecks import views

app_name = "spotchecks"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("new/candidates/", views.candidate_count, name="candidates"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/export.xlsx", views.batch_export, name="export"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/review/", views.review, name="review"),
    path("items/<int:pk>/rectify/", views.rectify, name="rectify"),
    path("items/<int:pk>/verify/", views.verify, name="verify"),
    path("rectify/", views.rectify_list, name="rectify_list"),
    path("verify/", views.verify_list, name="verify_list"),
    path("due/", views.due_list, name="due"),
    path("stats/", views.stats, name="stats"),
]

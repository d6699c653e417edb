from django.urls import path

from apps.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.candidates, name="candidates"),
    path("supervised/", views.supervised, name="supervised"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("reports/<int:pk>/supervise/", views.supervise, name="supervise"),
    path("reports/<int:pk>/extension/", views.extension_request, name="extension_request"),
]

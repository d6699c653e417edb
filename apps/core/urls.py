from django.urls import path

from apps.core import views
from apps.dashboard.views import home

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("", home, name="home"),
]

from django.urls import path

from apps.public import views

urlpatterns = [
    path("", views.notice, name="public_notice"),
    path("start", views.start, name="public_start"),
    path("submit", views.submit, name="public_submit"),
    path("sms", views.sms_send, name="public_sms_send"),
    path("sms/verify", views.sms_verify, name="public_sms_verify"),
    path("captcha", views.captcha_refresh, name="public_captcha"),
    path("progress/", views.progress, name="public_progress"),
    path("progress/material", views.material, name="public_material"),
]

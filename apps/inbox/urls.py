from django.urls import path

from apps.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.message_list, name="list"),
    path("read-all/", views.message_read_all, name="read_all"),
    path("<int:pk>/read/", views.message_read, name="read"),
    path("<int:pk>/open/", views.message_open, name="open"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts.views import login, oidc, password

urlpatterns = [
    path("login/", login.login_view, name="login"),
    path("login/code/", login.login_code_view, name="login_code"),
    path("login/code/resend/", login.login_code_resend, name="login_code_resend"),
    path("login/oidc/", oidc.oidc_start, name="oidc_start"),
    path("login/oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    path("logout/", auth_views.LogoutView.as_view(next_page="login"), name="logout"),
    path("password/change/", password.password_change_view, name="password_change"),
]

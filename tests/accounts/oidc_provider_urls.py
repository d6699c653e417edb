"""Test URLconf: the whole site plus a real OpenID provider (django-oauth-toolkit) with a plain
password login page of its own, standing in for the national unified identity platform.

The tests reach the provider as http://127.0.0.1:<port> and the site as http://localhost:<port>:
cookies are per host name, so the provider's login session and the site's session never mix,
exactly as with two servers.
"""

from django.contrib.auth import authenticate, login
from django.http import HttpResponse, HttpResponseRedirect
from django.template import RequestContext, Template
from django.urls import include, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from oauth2_provider.views import AuthorizationView

from config.urls import urlpatterns as site_urlpatterns

LOGIN_FORM = Template(
    "<form method='post'>{% csrf_token %}<input name='username'><input name='password' type='password'>"
    "<input type='hidden' name='next' value='{{ next }}'><button>登录</button></form>{{ error }}"
)


@csrf_protect
def idp_login(request):
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    error = ""
    if request.method == "POST":
        person = authenticate(
            request, username=request.POST.get("username"), password=request.POST.get("password")
        )
        if person is not None:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(next_url)
        error = "wrong password"
    return HttpResponse(LOGIN_FORM.render(RequestContext(request, {"next": next_url, "error": error})))


class IdpAuthorizationView(AuthorizationView):
    login_url = "/idp/login/"


urlpatterns = [
    path("o/authorize/", IdpAuthorizationView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("idp/login/", idp_login),
    *site_urlpatterns,
]

"""Authentication for the JSON API: a per-user bearer token (`manage.py issue_api_token`) or the
browser session (with CSRF). Either way the request acts as that user, with the same org and
role checks as the pages. Every router of the project uses `api_auth`."""

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from apps.reports.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user  # views and actions read request.user as with a session
        return user


class SessionAuth(APIKeyCookie):
    """Django's session, CSRF-checked on unsafe methods (ninja's APIKeyCookie does the check)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api_auth = [TokenAuth(), SessionAuth(csrf=True)]


def api_user(request):
    """The authenticated user, whichever way they authenticated."""
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user

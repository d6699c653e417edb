"""What the 督办/延期 and 消息中心 routers share: authentication and error mapping.

Authentication is the project's (apps.reports.api_auth: a per-user token or the session).
"""

from __future__ import annotations

from django.http import Http404
from ninja import Schema
from ninja.errors import HttpError

from apps.reports.api_auth import api_auth
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError

# The project's session-or-token auth: the same user, org and role as the pages.
API_AUTH = api_auth


class ErrorOut(Schema):
    detail: str


def api_user(request):
    """The authenticated user, whichever way they authenticated."""
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user


def get_or_404(getter, user, pk):
    """Run a `*_get_for_user_or_404` selector; its 404 keeps the selector's Chinese message."""
    try:
        return getter(user, pk)
    except Http404 as exc:
        raise HttpError(404, str(exc) or "不存在") from None


def action_error(exc: ReportActionError) -> HttpError:
    """The action's Chinese message with a status that says why: 403 not allowed, 409 wrong state,
    400 bad input."""
    if isinstance(exc, PermissionDeniedForAction):
        return HttpError(403, exc.message)
    if isinstance(exc, InvalidTransition):
        return HttpError(409, exc.message)
    return HttpError(400, exc.message)

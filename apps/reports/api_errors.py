"""The error side of the staff API routers (举报管理, 督办与延期, 消息中心): one error body, and the
mapping of a refused action or a scoping selector's 404 to an HTTP error."""

from __future__ import annotations

from django.http import Http404
from ninja import Schema
from ninja.errors import HttpError

from apps.reports.errors import ReportActionError, http_status


class ErrorOut(Schema):
    detail: str


# What an operation that calls a workflow action can answer besides success.
ACTION_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def run_action(action, **kwargs):
    """Call a workflow action; a refusal becomes an HTTP error with the action's Chinese message
    and a status that says why (see http_status)."""
    try:
        return action(**kwargs)
    except ReportActionError as exc:
        raise HttpError(http_status(exc), exc.message) from None


def get_or_404(getter, user, pk):
    """Run a `*_get_for_user_or_404` selector; its 404 keeps the selector's Chinese message."""
    try:
        return getter(user, pk)
    except Http404 as exc:
        raise HttpError(404, str(exc) or "不存在") from None

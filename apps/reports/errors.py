class ReportActionError(Exception):
    """An action refused with a message the user can read (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(ReportActionError):
    pass


class PermissionDeniedForAction(ReportActionError):
    pass


def http_status(exc: ReportActionError | None) -> int:
    """The HTTP status that says why an action refused, for pages and the API alike: 403 not
    allowed, 409 wrong state, 400 bad input (also for an invalid form, exc None)."""
    if isinstance(exc, PermissionDeniedForAction):
        return 403
    if isinstance(exc, InvalidTransition):
        return 409
    return 400

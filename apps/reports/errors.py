class ReportActionError(Exception):
    """An action refused with a message the user can read (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(ReportActionError):
    pass


class PermissionDeniedForAction(ReportActionError):
    pass

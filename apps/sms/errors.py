class SmsError(Exception):
    """A message refused before it reached the outbox, with a message the user can read (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidPhoneNumber(SmsError):
    pass


class TemplateNotFound(SmsError):
    pass


class TemplateRenderError(SmsError):
    pass

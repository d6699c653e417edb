class PublicError(Exception):
    """A public request refused with a message the reporter can read (Chinese). `field` names the
    form field it belongs to, when there is one; `status` is the HTTP status the API answers."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: [message]} if field else {})


class RateLimited(PublicError):
    status = 429


class SessionInvalid(PublicError):
    status = 401

class UploadRejected(Exception):
    """A file refused before anything is stored, with a message the uploader can read (Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

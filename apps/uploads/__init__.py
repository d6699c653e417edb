"""Uploaded files, checked and stripped of identifying metadata: ``sanitize_upload``.

Imported lazily so that loading the app registry does not load Pillow and pikepdf.
"""

__all__ = ["SanitizedFile", "UploadRejected", "check_upload_batch", "sanitize_upload"]


def __getattr__(name: str):
    if name in ("SanitizedFile", "check_upload_batch", "sanitize_upload"):
        from apps.uploads import sanitize

        return getattr(sanitize, name)
    if name == "UploadRejected":
        from apps.uploads.errors import UploadRejected

        return UploadRejected
    raise AttributeError(name)

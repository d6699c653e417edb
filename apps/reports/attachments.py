"""Storing report attachments.

Files are private: stored under MEDIA_ROOT with a random name and served only by the
permission-checked view (views/attachments.py). Every upload goes through apps.uploads
(`sanitize_upload`: type sniffing from the bytes, metadata stripping, size limits) before
anything is written, so one refused file refuses the whole action.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile

from apps.reports.errors import ReportActionError
from apps.reports.models import Attachment, Report, Verification
from apps.uploads import UploadRejected, check_upload_batch, sanitize_upload


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    display_name: str
    content_type: str


def clean_uploads(files, *, keep_names: bool = True) -> list[CleanFile]:
    """Uploaded files → checked, scrubbed bytes; ReportActionError (Chinese) if any is refused.
    Staff uploads keep their (cleaned) file names; the public channel's do not, since a file name
    may name the reporter."""
    files = [f for f in (files or []) if f]
    try:
        check_upload_batch(files)
        cleaned = [sanitize_upload(f) for f in files]
    except UploadRejected as exc:
        raise ReportActionError(exc.message) from exc
    return [
        CleanFile(
            content=c.content,
            content_type=c.content_type,
            display_name=c.display_name if keep_names else c.generic_name(f"附件{i}"),
        )
        for i, c in enumerate(cleaned, start=1)
    ]


def store_attachments(
    *,
    report: Report,
    files: list[CleanFile],
    stage: str,
    uploaded_by=None,
    verification: Verification | None = None,
) -> list[Attachment]:
    stored = []
    for clean in files:
        attachment = Attachment(
            report=report,
            stage=stage,
            token=secrets.token_urlsafe(24),
            display_name=clean.display_name,
            content_type=clean.content_type,
            size=len(clean.content),
            sha256=hashlib.sha256(clean.content).hexdigest(),
            uploaded_by=uploaded_by,
            verification=verification,
        )
        attachment.file.save(attachment.token, ContentFile(clean.content), save=False)
        attachment.save()
        stored.append(attachment)
    return stored

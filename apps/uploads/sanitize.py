"""The one entry point for files that people upload, used by the public channel and staff alike.

    cleaned = sanitize_upload(request.FILES["file"])

checks the size, decides the type from the bytes, and returns a copy stripped of metadata that
could identify the person who made it (see images.py, pdf.py, office.py, video.py). Anything
refused raises UploadRejected with a Chinese message; nothing is written anywhere.
"""

import hashlib
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import ContentFile

from apps.uploads.errors import UploadRejected
from apps.uploads.images import reencode_image
from apps.uploads.limits import UploadLimits, default_limits, human_size
from apps.uploads.office import scrub_ooxml
from apps.uploads.sniff import FileType, sniff
from apps.uploads.video import scrub_mp4

KIND_LABELS = {"image": "图片", "pdf": "PDF 文件", "document": "文档", "video": "视频"}
SNIFF_BYTES = 64


@dataclass(frozen=True)
class SanitizedFile:
    content: bytes
    content_type: str
    extension: str
    kind: str  # image | pdf | document | video
    # The uploader's file name, cleaned (no path, no control characters), with the extension that
    # matches the content. Staff uploads keep it; the public channel never stores it (it may name
    # the reporter) and uses generic_name() instead.
    original_name: str

    @property
    def display_name(self) -> str:
        return self.original_name

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def generic_name(self, stem: str) -> str:
        return f"{stem}.{self.extension}"

    def django_file(self) -> ContentFile:
        return ContentFile(self.content, name=f"upload.{self.extension}")


def clean_file_name(name: str, extension: str, max_length: int = 100) -> str:
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    stem = os.path.splitext(base)[0] or "附件"
    return f"{stem[: max_length - len(extension) - 1]}.{extension}"


def check_upload_batch(files: Sequence, *, limits: UploadLimits | None = None) -> None:
    """Count and total size of one submission's files, checked before any is read."""
    limits = limits or default_limits()
    if len(files) > limits.max_files:
        raise UploadRejected(f"附件最多 {limits.max_files} 个，您选择了 {len(files)} 个。")
    total = sum(getattr(f, "size", 0) or 0 for f in files)
    if total > limits.max_total_bytes:
        raise UploadRejected(
            f"附件总大小不能超过 {human_size(limits.max_total_bytes)}（当前 {human_size(total)}）。"
        )


def sanitize_upload(uploaded_file, *, limits: UploadLimits | None = None) -> SanitizedFile:
    limits = limits or default_limits()
    name = os.path.basename(getattr(uploaded_file, "name", "") or "")[:100]
    label = f"文件“{name}”" if name else "文件"
    declared_size = getattr(uploaded_file, "size", None)
    largest = max(limits.max_image_bytes, limits.max_document_bytes, limits.max_video_bytes)
    if declared_size is not None and declared_size > largest:
        raise UploadRejected(
            f"{label}过大（{human_size(declared_size)}），单个文件不能超过 {human_size(largest)}。"
        )
    data = _read_at_most(uploaded_file, largest)
    if not data:
        raise UploadRejected(f"{label}是空文件。")
    file_type = sniff(data[:SNIFF_BYTES], data, name=name)
    kind_limit = limits.max_bytes_for(file_type.kind)
    if len(data) > kind_limit:
        kind_label = KIND_LABELS[file_type.kind]
        raise UploadRejected(
            f"{label}过大（{human_size(len(data))}），{kind_label}不能超过 {human_size(kind_limit)}。"
        )
    content = _scrub(data, file_type, limits=limits, label=label)
    return SanitizedFile(
        content=content,
        content_type=file_type.content_type,
        extension=file_type.extension,
        kind=file_type.kind,
        original_name=clean_file_name(name, file_type.extension),
    )


def _read_at_most(uploaded_file, limit: int) -> bytes:
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    if hasattr(uploaded_file, "chunks"):
        parts, total = [], 0
        for chunk in uploaded_file.chunks():
            total += len(chunk)
            if total > limit:
                raise UploadRejected(f"文件过大，单个文件不能超过 {human_size(limit)}。")
            parts.append(chunk)
        return b"".join(parts)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise UploadRejected(f"文件过大，单个文件不能超过 {human_size(limit)}。")
    return data


def _scrub(data: bytes, file_type: FileType, *, limits: UploadLimits, label: str) -> bytes:
    if file_type.kind == "image":
        return reencode_image(data, file_type, max_pixels=limits.max_image_pixels, label=label)
    if file_type.kind == "pdf":
        from apps.uploads.pdf import scrub_pdf  # pikepdf loads qpdf: only when a PDF arrives

        return scrub_pdf(data, label=label)
    if file_type.kind == "document":
        return scrub_ooxml(data, limits=limits, label=label)
    return scrub_mp4(data, max_seconds=limits.max_video_seconds, label=label)

"""How many files, how large. Settings may override any field through UPLOAD_LIMITS (a dict)."""

from dataclasses import dataclass, replace

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    max_files: int = 9
    max_image_bytes: int = 10 * MB
    max_document_bytes: int = 20 * MB
    max_video_bytes: int = 50 * MB
    max_total_bytes: int = 100 * MB
    # A photo from any phone is far below this; larger "images" are decompression bombs.
    max_image_pixels: int = 50_000_000
    max_video_seconds: int = 300
    # Office files are zips: cap what they may expand to, and how many parts they may hold.
    max_unzipped_bytes: int = 200 * MB
    max_zip_entries: int = 5000

    def max_bytes_for(self, kind: str) -> int:
        by_kind = {"image": self.max_image_bytes, "video": self.max_video_bytes}
        return by_kind.get(kind, self.max_document_bytes)


def default_limits() -> UploadLimits:
    return replace(UploadLimits(), **getattr(settings, "UPLOAD_LIMITS", {}))


def human_size(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB" if n % MB == 0 else f"{n / MB:.1f} MB"
    return f"{max(1, n // 1024)} KB"

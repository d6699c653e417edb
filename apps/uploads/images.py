"""Images are decoded and re-encoded from their pixels, so nothing but the picture survives:
EXIF (GPS position, camera serial number, time), XMP, IPTC, comments and thumbnails are gone.
The EXIF orientation is applied to the pixels first, so photos still stand the right way up."""

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from apps.uploads.errors import UploadRejected
from apps.uploads.sniff import FileType

PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def reencode_image(data: bytes, file_type: FileType, *, max_pixels: int, label: str = "图片") -> bytes:
    fmt = PIL_FORMATS[file_type.subtype]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[fmt]) as im:
                if im.width * im.height > max_pixels:
                    raise UploadRejected(f"{label}的像素过大（{im.width}×{im.height}），请缩小后再上传。")
                im.seek(0)  # animated WebP/PNG: the first frame is the evidence
                im.load()
                clean = ImageOps.exif_transpose(im)
                return _encode(clean, fmt)
    except UploadRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRejected(f"{label}无法识别或像素过大，请换一张图片。") from None
    except (OSError, ValueError, SyntaxError, EOFError):
        raise UploadRejected(f"{label}已损坏或不完整，无法读取，请重新上传。") from None


def _encode(im: Image.Image, fmt: str) -> bytes:
    # A fresh image holds only pixels: info (exif, icc, xmp, comments, dpi) is not copied.
    if fmt == "JPEG" and im.mode not in ("RGB", "L"):
        im = im.convert("RGB")
    elif fmt in ("PNG", "WEBP") and im.mode not in ("RGB", "RGBA", "L", "LA", "P", "1", "I", "I;16"):
        im = im.convert("RGBA")
    pixels_only = Image.new(im.mode, im.size)
    pixels_only.paste(im)
    if im.mode == "P":
        pixels_only.putpalette(im.getpalette())
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels_only.save(out, "JPEG", quality=90)
    elif fmt == "WEBP":
        pixels_only.save(out, "WEBP", quality=90)
    elif "transparency" in im.info and im.mode in ("P", "L", "RGB"):
        # Palette transparency is part of the picture, not metadata.
        pixels_only.save(out, "PNG", transparency=im.info["transparency"])
    else:
        pixels_only.save(out, "PNG")
    return out.getvalue()


# JPEG segments that carry metadata rather than picture: APP1 (EXIF, XMP), APP13 (Photoshop/IPTC),
# APP3-APP12 and APP15 (vendor data), COM (comments). APP0 (JFIF), APP2 (ICC colour) and APP14
# (Adobe colour transform) are needed to show the colours right and are kept.
_DROP_MARKERS = {0xE1, *range(0xE3, 0xED), 0xED, 0xEF, 0xFE}


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Remove metadata segments from a JPEG without re-encoding it (for JPEGs inside PDFs, whose
    size and colour handling the document depends on). Returns the input unchanged when the
    stream is not a well-formed JPEG header."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return data
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is picture data
            out += data[pos:]
            return bytes(out)
        if marker in (0x01, *range(0xD0, 0xD8)):
            out += data[pos:pos + 2]
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2 or pos + 2 + length > len(data):
            return data
        if marker not in _DROP_MARKERS:
            out += data[pos:pos + 2 + length]
        pos += 2 + length
    return data

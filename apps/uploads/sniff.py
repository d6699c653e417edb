"""What a file is, judged from its bytes only. The name and the browser's content type are
ignored: both are chosen by the uploader, and an executable renamed ``.jpg`` must not pass."""

import io
import zipfile
from dataclasses import dataclass

from apps.uploads.errors import UploadRejected


@dataclass(frozen=True)
class FileType:
    kind: str  # image | pdf | document | video
    subtype: str  # jpeg, png, webp, pdf, docx, xlsx, pptx, mp4, mov
    content_type: str
    extension: str


JPEG = FileType("image", "jpeg", "image/jpeg", "jpg")
PNG = FileType("image", "png", "image/png", "png")
WEBP = FileType("image", "webp", "image/webp", "webp")
PDF = FileType("pdf", "pdf", "application/pdf", "pdf")
_OOXML = "application/vnd.openxmlformats-officedocument."
DOCX = FileType("document", "docx", _OOXML + "wordprocessingml.document", "docx")
XLSX = FileType("document", "xlsx", _OOXML + "spreadsheetml.sheet", "xlsx")
PPTX = FileType("document", "pptx", _OOXML + "presentationml.presentation", "pptx")
MP4 = FileType("video", "mp4", "video/mp4", "mp4")
MOV = FileType("video", "mov", "video/quicktime", "mov")

OOXML_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}

# ISO base media brands of ordinary phone and camera video. QuickTime ("qt  ") is what iPhones record.
VIDEO_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"mmp4", b"MSNV",
    b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"dash",
}
QUICKTIME_BRAND = b"qt  "
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}

EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
                    b"\xfe\xed\xfa", b"dex\n")

SUPPORTED = "图片（JPG、PNG、WebP）、PDF、Office 文档（docx、xlsx、pptx）或短视频（MP4、MOV）"


def sniff(head: bytes, data_for_zip: bytes | None = None, *, name: str = "") -> FileType:
    """The file's type from its first bytes (and, for zips, its part names)."""
    label = f"文件“{name}”" if name else "文件"
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp":
        return _sniff_ftyp(head, label)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data_for_zip if data_for_zip is not None else head, label)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise UploadRejected(f"{label}是旧版 Office/WPS 格式（doc、xls、ppt 等），无法去除其中的作者信息。"
                             "请另存为 docx、xlsx、pptx 或 PDF 后再上传。")
    if head.startswith(EXECUTABLE_MAGIC):
        raise UploadRejected(f"{label}的内容是可执行程序或脚本，不是{SUPPORTED}，已拒绝。")
    raise UploadRejected(f"{label}的类型不受支持（按文件内容判断）。请上传{SUPPORTED}。")


def _sniff_ftyp(head: bytes, label: str) -> FileType:
    major = head[8:12]
    compatible = {head[i:i + 4] for i in range(16, min(len(head), int.from_bytes(head[:4], "big")), 4)}
    brands = {major} | compatible
    if major in HEIF_BRANDS:
        raise UploadRejected(f"{label}是 HEIC/HEIF 格式照片，暂不支持。请在手机相机设置中选择“兼容性最佳”，"
                             "或转换为 JPG 后上传。")
    if major == QUICKTIME_BRAND:
        return MOV
    if brands & VIDEO_BRANDS:
        return MP4
    raise UploadRejected(f"{label}的视频格式不受支持，请上传 MP4 或 MOV 视频。")


def _sniff_zip(data: bytes, label: str) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected(f"{label}是损坏的压缩文件，无法打开。") from None
    if "[Content_Types].xml" in names:
        for part, file_type in OOXML_MAIN_PARTS.items():
            if part in names:
                return file_type
    raise UploadRejected(f"{label}是压缩包，不受支持。请直接上传其中的图片、PDF、Office 文档或视频。")

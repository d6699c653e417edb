"""Office Open XML (docx, xlsx, pptx) without the people who wrote them.

An OOXML file is a zip of XML parts. The zip is rebuilt part by part:

- docProps/core.xml (作者, 最后修改者, 创建/修改时间, 标题, 关键词…), docProps/app.xml (公司, 经理,
  模板, 编辑时长, 应用程序) and docProps/custom.xml (custom properties) are replaced by empty ones;
- names in comments, tracked changes and co-authoring parts (w:author, w:initials, people.xml,
  xl/comments*.xml authors, xl/persons, ppt/commentAuthors.xml, ppt/authors.xml) are blanked;
- local file paths that reveal a user name (xlsx absPath, template and linked-file targets of the
  form file:///C:/Users/…) are blanked;
- JPEG/PNG/WebP pictures embedded in the document are re-encoded like uploads, dropping their EXIF;
- every zip entry gets the same fixed timestamp (zip timestamps record when it was edited).

Macro-enabled documents are refused: a macro is code that would run on a staff computer.
The visible text of the document is the reporter's own evidence and is left as it is.
"""

import io
import re
import zipfile

from apps.uploads.errors import UploadRejected
from apps.uploads.images import reencode_image
from apps.uploads.limits import UploadLimits
from apps.uploads.sniff import JPEG, PNG, WEBP

EMPTY_PARTS = {
    "core-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        b' xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "extended-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
        b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
    ),
    "custom-properties": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
        b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
    ),
}

# Attribute names that hold a person's name or account, in any namespace prefix.
_PERSON_ATTRS = re.compile(
    rb'\b((?:[A-Za-z0-9]+:)?(?:author|initials|userId|providerId|displayName))="[^"]*"'
)
# ppt comment authors are <p:cmAuthor name="…"> / <p188:author name="…">; "name" elsewhere means styles.
_NAME_ATTR = re.compile(rb'\b(name)="[^"]*"')
_AUTHOR_ELEMENT = re.compile(rb"<author>[^<]*</author>")
_ABS_PATH = re.compile(rb'(<[A-Za-z0-9]+:absPath\b[^>]*\burl=")[^"]*(")')
_FILE_TARGET = re.compile(rb'(\bTarget=")file:[^"]*(")', re.IGNORECASE)

PERSON_PARTS = re.compile(
    r"^(word/.*\.xml|xl/comments[^/]*\.xml|xl/comments/.*\.xml|xl/persons/.*\.xml|xl/threadedComments/.*\.xml|ppt/comments/.*\.xml"
    r"|ppt/commentAuthors\.xml|ppt/authors\.xml)$"
)
PPT_AUTHOR_PARTS = {"ppt/commentAuthors.xml", "ppt/authors.xml"}
MEDIA_PART = re.compile(r"^(word|xl|ppt)/media/[^/]+$")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MACRO_MESSAGE = "{label}包含宏（代码），为保护办理人员的电脑已拒绝。请另存为不含宏的文档后上传。"


def scrub_ooxml(data: bytes, *, limits: UploadLimits, label: str) -> bytes:
    try:
        zin = zipfile.ZipFile(io.BytesIO(data))
        infos = zin.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRejected(f"{label}已损坏，无法打开。") from None
    _check_package(zin, infos, limits=limits, label=label)
    property_parts = _property_parts(zin)
    out = io.BytesIO()
    with zin, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for info in infos:
            if info.is_dir():
                continue
            try:
                content = zin.read(info)
            except (zipfile.BadZipFile, ValueError, OSError, EOFError):
                raise UploadRejected(f"{label}已损坏，无法读取。") from None
            if info.filename in property_parts:
                content = EMPTY_PARTS[property_parts[info.filename]]
            else:
                content = _scrub_part(info.filename, content, limits=limits)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME), content,
                          compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _check_package(zin: zipfile.ZipFile, infos: list[zipfile.ZipInfo], *, limits: UploadLimits, label: str):
    if len(infos) > limits.max_zip_entries:
        raise UploadRejected(f"{label}包含的部件过多，无法处理。")
    if sum(info.file_size for info in infos) > limits.max_unzipped_bytes:
        raise UploadRejected(f"{label}解压后过大，无法处理。")
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise UploadRejected(f"{label}已加密，无法处理。请取消密码后再上传。")
        if name.startswith("/") or ".." in name.split("/") or "\\" in name:
            raise UploadRejected(f"{label}的结构异常，已拒绝。")
        if name.lower().endswith("vbaproject.bin"):
            raise UploadRejected(MACRO_MESSAGE.format(label=label))
    try:
        content_types = zin.read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        raise UploadRejected(f"{label}已损坏，无法读取。") from None
    if b"macroEnabled" in content_types:
        raise UploadRejected(MACRO_MESSAGE.format(label=label))


_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _property_parts(zin: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> property kind. The conventional docProps/*.xml names are always included; the
    package relationships may name other parts, which WPS and some generators use."""
    parts = {f"docProps/{n}.xml": k for n, k in
             (("core", "core-properties"), ("app", "extended-properties"), ("custom", "custom-properties"))}
    try:
        rels = zin.read("_rels/.rels")
    except KeyError:
        return parts
    for element in _RELATIONSHIP.findall(rels):
        attrs = {k.decode(): v.decode("utf-8", "replace") for k, v in _ATTR.findall(element)}
        kind = attrs.get("Type", "").rsplit("/", 1)[-1]
        if kind in EMPTY_PARTS and attrs.get("Target"):
            parts[attrs["Target"].lstrip("/")] = kind
    return parts


def _scrub_part(name: str, content: bytes, *, limits: UploadLimits) -> bytes:
    if name.endswith(".rels"):
        return _FILE_TARGET.sub(rb"\1\2", content)
    if name == "xl/workbook.xml":
        return _ABS_PATH.sub(rb"\1\2", content)
    if PERSON_PARTS.match(name):
        content = _PERSON_ATTRS.sub(rb'\1=""', content)
        content = _AUTHOR_ELEMENT.sub(b"<author></author>", content)
        if name in PPT_AUTHOR_PARTS:
            content = _NAME_ATTR.sub(rb'\1=""', content)
        return content
    if MEDIA_PART.match(name):
        return _scrub_media(content, limits=limits)
    return content


def _scrub_media(content: bytes, *, limits: UploadLimits) -> bytes:
    """Pictures pasted into a document keep their camera EXIF; re-encode the common formats.
    Others (EMF, WMF, SVG drawings) carry no camera data and stay as they are."""
    file_type = None
    if content.startswith(b"\xff\xd8\xff"):
        file_type = JPEG
    elif content.startswith(b"\x89PNG\r\n\x1a\n"):
        file_type = PNG
    elif content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        file_type = WEBP
    if file_type is None:
        return content
    return reencode_image(content, file_type, max_pixels=limits.max_image_pixels, label="文档中的图片")

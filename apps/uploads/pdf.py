"""PDF without its author: rewritten whole with pikepdf (qpdf), see docs/decisions/0004.

- the document information dictionary (/Info: Author, Creator, Producer, Title, dates) and the XMP
  metadata streams of the document and of each page are removed;
- /PieceInfo (private data of the authoring application) is removed;
- JPEG pictures lose their EXIF/XMP/IPTC segments (not re-encoded, so the PDF still renders);
- scripts and automatic actions (/OpenAction, /AA, JavaScript) and embedded files are removed, so
  opening the file on a staff computer runs nothing;
- the file is written as one fresh revision: the earlier revisions an incremental save keeps at
  the end of a PDF (and the metadata they held) are not copied; /ID is recomputed from content.
"""

import io

import pikepdf

from apps.uploads.errors import UploadRejected
from apps.uploads.images import strip_jpeg_metadata

_PAGE_KEYS = ("/Metadata", "/PieceInfo", "/AA")
_ROOT_KEYS = ("/Metadata", "/PieceInfo", "/OpenAction", "/AA")
_NAME_TREES = ("/JavaScript", "/EmbeddedFiles")
# Links within the document and to web pages stay; launching programs or scripts does not.
_SAFE_ACTIONS = (pikepdf.Name.GoTo, pikepdf.Name.URI)


def scrub_pdf(data: bytes, *, label: str) -> bytes:
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise UploadRejected(f"{label}设有密码，无法处理。请取消密码后再上传。") from None
    except (pikepdf.PdfError, ValueError, OSError):
        raise UploadRejected(f"{label}已损坏，无法读取，请重新上传。") from None
    try:
        with pdf:
            _scrub(pdf)
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
            return out.getvalue()
    except UploadRejected:
        raise
    except (pikepdf.PdfError, ValueError, OSError, KeyError, TypeError):
        raise UploadRejected(f"{label}的结构异常，无法安全处理，请另存为新的 PDF 后上传。") from None


def _scrub(pdf: pikepdf.Pdf) -> None:
    if pdf.is_encrypted:
        raise UploadRejected("PDF 文件已加密，无法处理。请取消加密后再上传。")
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    root = pdf.Root
    for key in _ROOT_KEYS:
        if key in root:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key in _NAME_TREES:
            if key in names:
                del names[key]
    for page in pdf.pages:
        for key in _PAGE_KEYS:
            if key in page.obj:
                del page.obj[key]
        for annot in page.obj.get("/Annots", []):
            # Annotations (comments, stamps) carry their author in /T; links may run actions.
            if isinstance(annot, pikepdf.Dictionary):
                for key in ("/T", "/AA"):
                    if key in annot:
                        del annot[key]
                action = annot.get("/A")
                if isinstance(action, pikepdf.Dictionary) and action.get("/S") not in _SAFE_ACTIONS:
                    del annot["/A"]
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            _scrub_stream(obj)


def _scrub_stream(stream: pikepdf.Stream) -> None:
    if "/Metadata" in stream:
        del stream["/Metadata"]
    if stream.get("/Subtype") == pikepdf.Name.Image and stream.get("/Filter") == pikepdf.Name.DCTDecode:
        raw = stream.read_raw_bytes()
        cleaned = strip_jpeg_metadata(raw)
        if cleaned != raw:
            stream.write(cleaned, filter=pikepdf.Name.DCTDecode, decode_parms=stream.get("/DecodeParms"))

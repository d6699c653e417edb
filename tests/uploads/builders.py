"""Real files with identifying metadata, built in memory for the upload tests."""

import io
import struct

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.ExifTags import GPS, IFD, Base

AUTHOR = "张举报人"
GPS_LATITUDE = (39.0, 54.0, 27.0)


def jpeg_with_gps(width: int = 40, height: int = 20, orientation: int = 1) -> bytes:
    im = Image.new("RGB", (width, height), (200, 10, 10))
    exif = Image.Exif()
    exif[Base.Make] = "TestPhone"
    exif[Base.Artist] = AUTHOR
    exif[Base.Orientation] = orientation
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "N"
    gps[GPS.GPSLatitude] = GPS_LATITUDE
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (116.0, 23.0, 5.0)
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", AUTHOR)
    buf = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def pdf_with_author() -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [AUTHOR]
    pdf.docinfo["/Author"] = AUTHOR
    pdf.docinfo["/Creator"] = "WPS 文字 (" + AUTHOR + ")"
    pdf.Root["/OpenAction"] = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )
    jpeg = jpeg_with_gps()
    image = pikepdf.Stream(pdf, jpeg)
    image["/Type"] = pikepdf.Name.XObject
    image["/Subtype"] = pikepdf.Name.Image
    image["/Width"] = 40
    image["/Height"] = 20
    image["/ColorSpace"] = pikepdf.Name.DeviceRGB
    image["/BitsPerComponent"] = 8
    image["/Filter"] = pikepdf.Name.DCTDecode
    pdf.pages[0].add_resource(image, pikepdf.Name.XObject, prefix="Im")
    buf = io.BytesIO()
    pdf.save(buf, fix_metadata_version=False)
    return buf.getvalue()


def docx_with_author() -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph("现场照片与说明")
    document.add_comment(paragraph.runs, text="批注", author=AUTHOR, initials="ZJ")
    document.add_picture(io.BytesIO(jpeg_with_gps()))
    document.core_properties.author = AUTHOR
    document.core_properties.last_modified_by = AUTHOR
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx_with_author() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment

    wb = Workbook()
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.active["A1"] = "台账"
    wb.active["A1"].comment = Comment("批注", AUTHOR)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _box(box_type: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + box_type + payload


def _mvhd(duration_seconds: int) -> bytes:
    created = struct.pack(">II", 3_700_000_000, 3_700_000_001)
    return _box(
        b"mvhd", b"\x00\x00\x00\x00" + created + struct.pack(">II", 1000, duration_seconds * 1000) + bytes(80)
    )


def _hdlr(handler: bytes) -> bytes:
    return _box(b"hdlr", b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00" + handler + bytes(12) + b"\x00")


def mp4_with_location(duration_seconds: int = 10, handler: bytes = b"vide") -> bytes:
    """A minimal ISO BMFF file: ftyp, moov (mvhd, a track, udta with Android's ©xyz GPS atom and
    an iPhone-style meta box), mdat."""
    ftyp = _box(b"ftyp", b"isom" + b"\x00\x00\x02\x00" + b"isom" + b"mp41")
    xyz = _box(b"\xa9xyz", b"\x00\x12\x15\xc7+39.9075+116.3972/")
    udta = _box(b"udta", xyz + _box(b"\xa9mak", b"\x00\x08\x00\x00TestPhone"))
    meta = _box(
        b"meta",
        b"\x00\x00\x00\x00"
        + _box(b"keys", b"com.apple.quicktime.location.ISO6709")
        + _box(b"ilst", b"+39.9075+116.3972+044.000/"),
    )
    trak = _box(b"trak", _box(b"mdia", _hdlr(handler)))
    moov = _box(b"moov", _mvhd(duration_seconds) + trak + udta + meta)
    mdat = _box(b"mdat", b"\x00" * 64)
    return ftyp + moov + mdat


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 200
    + b"This program cannot be run"
)

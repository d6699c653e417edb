import io
import zipfile

import pikepdf
import pytest
from PIL import Image
from PIL.ExifTags import IFD

from apps.uploads.errors import UploadRejected
from apps.uploads.images import strip_jpeg_metadata
from apps.uploads.limits import UploadLimits
from apps.uploads.sanitize import check_upload_batch, sanitize_upload
from tests.uploads import builders as b

AUTHOR_BYTES = b.AUTHOR.encode("utf-8")


def test_jpeg_is_stored_without_exif_or_gps_and_stays_upright():
    original = b.jpeg_with_gps(width=40, height=20, orientation=6)
    assert b"TestPhone" in original
    cleaned = sanitize_upload(b.upload("IMG_0001.jpg", original))
    assert cleaned.content_type == "image/jpeg" and cleaned.extension == "jpg" and cleaned.kind == "image"
    im = Image.open(io.BytesIO(cleaned.content))
    exif = im.getexif()
    assert len(exif) == 0
    assert exif.get_ifd(IFD.GPSInfo) == {}
    assert b"Exif" not in cleaned.content and b"TestPhone" not in cleaned.content
    assert AUTHOR_BYTES not in cleaned.content
    # Orientation 6 means "rotate 90°": the pixels are turned, so the photo still shows upright.
    assert im.size == (20, 40)


def test_png_text_chunks_are_dropped():
    cleaned = sanitize_upload(b.upload("a.png", b.png_with_text()))
    assert cleaned.content_type == "image/png"
    assert AUTHOR_BYTES not in cleaned.content and b"tEXt" not in cleaned.content


def test_type_comes_from_content_not_name():
    cleaned = sanitize_upload(b.upload("现场.pdf", b.jpeg_with_gps(), "application/pdf"))
    assert cleaned.content_type == "image/jpeg"
    assert cleaned.original_name == "现场.jpg"


def test_executable_renamed_jpg_is_refused():
    with pytest.raises(UploadRejected) as exc:
        sanitize_upload(b.upload("photo.jpg", b.EXECUTABLE, "image/jpeg"))
    assert "可执行程序" in exc.value.message and "photo.jpg" in exc.value.message


@pytest.mark.parametrize(
    "data", [b"just some text", b"\x00" * 100, b"<html><script>alert(1)</script></html>"]
)
def test_unknown_content_is_refused(data):
    with pytest.raises(UploadRejected, match="不受支持"):
        sanitize_upload(b.upload("x.jpg", data))


def test_truncated_jpeg_is_refused():
    with pytest.raises(UploadRejected, match=r"损坏|无法识别"):
        sanitize_upload(b.upload("x.jpg", b.jpeg_with_gps()[:120]))


def test_oversized_file_is_refused_before_reading():
    limits = UploadLimits(max_image_bytes=1000, max_document_bytes=1000, max_video_bytes=1000)
    with pytest.raises(UploadRejected, match="过大"):
        sanitize_upload(b.upload("big.jpg", b"\xff\xd8\xff" + b"\x00" * 2000), limits=limits)


def test_each_kind_has_its_own_size_limit():
    limits = UploadLimits(max_image_bytes=500, max_document_bytes=100_000, max_video_bytes=100_000)
    with pytest.raises(UploadRejected, match="图片不能超过"):
        sanitize_upload(b.upload("a.jpg", b.jpeg_with_gps()), limits=limits)


def test_image_pixel_bomb_is_refused():
    im = Image.new("L", (3000, 3000))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    with pytest.raises(UploadRejected, match="像素过大"):
        sanitize_upload(b.upload("bomb.png", buf.getvalue()), limits=UploadLimits(max_image_pixels=1_000_000))


def test_batch_count_and_total_size():
    files = [b.upload(f"{i}.jpg", b"x" * 10) for i in range(4)]
    with pytest.raises(UploadRejected, match="最多 3 个"):
        check_upload_batch(files, limits=UploadLimits(max_files=3))
    with pytest.raises(UploadRejected, match="总大小"):
        check_upload_batch(files, limits=UploadLimits(max_total_bytes=30))
    check_upload_batch(files[:3], limits=UploadLimits(max_files=3, max_total_bytes=30))


def test_pdf_loses_info_xmp_scripts_and_image_exif():
    original = b.pdf_with_author()
    cleaned = sanitize_upload(b.upload("材料.pdf", original))
    assert cleaned.content_type == "application/pdf"
    with pikepdf.open(io.BytesIO(cleaned.content)) as pdf:
        assert "/Author" not in pdf.docinfo and "/Creator" not in pdf.docinfo
        assert "/Metadata" not in pdf.Root and "/OpenAction" not in pdf.Root
        assert len(pdf.pages) == 1
        images = [
            obj for obj in pdf.objects if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        ]
        assert images and b"Exif" not in images[0].read_raw_bytes()
        # The picture still decodes after its EXIF segment is cut out.
        Image.open(io.BytesIO(images[0].read_raw_bytes())).load()
    for needle in (AUTHOR_BYTES, b"TestPhone", b"app.alert"):
        assert needle not in cleaned.content


def test_encrypted_pdf_is_refused():
    pdf = pikepdf.new()
    pdf.add_blank_page()
    buf = io.BytesIO()
    pdf.save(buf, encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(UploadRejected, match="密码"):
        sanitize_upload(b.upload("x.pdf", buf.getvalue()))


def test_broken_pdf_is_refused():
    with pytest.raises(UploadRejected, match=r"损坏|结构异常"):
        sanitize_upload(b.upload("x.pdf", b"%PDF-1.7\n garbage"))


def _zip_text(content: bytes) -> bytes:
    out = b""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        for name in zf.namelist():
            out += zf.read(name)
    return out


def test_docx_loses_author_comment_names_and_picture_exif():
    original = b.docx_with_author()
    assert AUTHOR_BYTES in _zip_text(original)
    cleaned = sanitize_upload(b.upload("说明.docx", original))
    assert cleaned.extension == "docx"
    everything = _zip_text(cleaned.content)
    assert AUTHOR_BYTES not in everything and b"TestPhone" not in everything
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as zf:
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in zf.infolist())
    import docx

    document = docx.Document(io.BytesIO(cleaned.content))
    assert document.core_properties.author == "" or document.core_properties.author is None
    assert "现场照片与说明" in document.paragraphs[0].text


def test_xlsx_loses_creator_and_comment_author():
    cleaned = sanitize_upload(b.upload("台账.xlsx", b.xlsx_with_author()))
    assert cleaned.extension == "xlsx"
    assert AUTHOR_BYTES not in _zip_text(cleaned.content)
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(cleaned.content))
    assert wb.active["A1"].value == "台账"


def test_macro_enabled_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(b.upload("x", b.docx_with_author()).file) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("word/vbaProject.bin", b"macro")
    with pytest.raises(UploadRejected, match="宏"):
        sanitize_upload(b.upload("x.docx", buf.getvalue()))


def test_plain_zip_and_old_office_are_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("evil.exe", b.EXECUTABLE)
    with pytest.raises(UploadRejected, match="压缩包"):
        sanitize_upload(b.upload("x.docx", buf.getvalue()))
    with pytest.raises(UploadRejected, match="旧版"):
        sanitize_upload(b.upload("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100))


def test_mp4_location_and_device_boxes_are_blanked_in_place():
    original = b.mp4_with_location()
    assert b"+39.9075" in original
    cleaned = sanitize_upload(b.upload("VID.mp4", original))
    assert cleaned.content_type == "video/mp4"
    assert len(cleaned.content) == len(original)  # nothing moves: sample offsets stay valid
    assert b"+39.9075" not in cleaned.content and b"TestPhone" not in cleaned.content
    assert b"udta" not in cleaned.content and b"free" in cleaned.content
    assert cleaned.content.endswith(b"\x00" * 64) and cleaned.content[4:8] == b"ftyp"


def test_video_with_gps_track_or_too_long_or_broken_is_refused():
    with pytest.raises(UploadRejected, match="定位轨迹"):
        sanitize_upload(b.upload("gopro.mp4", b.mp4_with_location(handler=b"meta")))
    with pytest.raises(UploadRejected, match="时长"):
        sanitize_upload(b.upload("long.mp4", b.mp4_with_location(duration_seconds=600)))
    with pytest.raises(UploadRejected, match="结构损坏"):
        sanitize_upload(b.upload("cut.mp4", b.mp4_with_location()[:200]))


def test_heic_photo_gets_a_helpful_message():
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 50
    with pytest.raises(UploadRejected, match="HEIC"):
        sanitize_upload(b.upload("IMG.heic", heic))


def test_strip_jpeg_metadata_keeps_picture():
    original = b.jpeg_with_gps()
    stripped = strip_jpeg_metadata(original)
    assert b"Exif" not in stripped and len(stripped) < len(original)
    Image.open(io.BytesIO(stripped)).load()
    assert strip_jpeg_metadata(b"not a jpeg") == b"not a jpeg"

"""Short videos (MP4 / MOV, the ISO base media format phones record) without location or device.

Re-encoding video needs ffmpeg, which the servers do not have, so the container is edited in
place instead, see docs/decisions/0004:

- the box structure is walked and checked (a file that is not a well-formed MP4/MOV is refused);
- metadata boxes - ``udta`` (Android ``©xyz`` GPS, device make and model), ``meta``
  (iPhone ``com.apple.quicktime.location.ISO6709``, make, model, software) and ``uuid`` (XMP) - at
  any level are turned into ``free`` boxes of the same size with their content zeroed. Nothing
  moves, so the sample offsets in ``stco``/``co64`` stay right and the video plays as before;
- creation and modification times in ``mvhd``, ``tkhd`` and ``mdhd`` are zeroed;
- videos with a timed metadata track (handler ``meta``: GoPro GPMF or ``camm`` GPS tracks) are
  refused: those samples live in ``mdat`` among the picture data and cannot be removed in place.
"""

from apps.uploads.errors import UploadRejected

CONTAINERS = {
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex", b"moof", b"traf", b"tref",
}
METADATA_BOXES = {b"udta", b"meta", b"uuid", b"XMP_"}
TIMESTAMP_BOXES = {b"mvhd", b"tkhd", b"mdhd"}
TIMED_METADATA = (b"meta", b"camm")
MAX_BOXES = 100_000


class _Walker:
    def __init__(self, data: bytearray, label: str):
        self.data = data
        self.label = label
        self.boxes = 0
        self.duration_seconds: float | None = None
        self.top_level: list[bytes] = []

    def bad(self) -> UploadRejected:
        return UploadRejected(f"{self.label}不是完整的 MP4/MOV 视频（文件结构损坏），请重新上传。")

    def walk(self, start: int, end: int, depth: int) -> None:
        pos = start
        while pos < end:
            if end - pos < 8:
                raise self.bad()
            size = int.from_bytes(self.data[pos:pos + 4], "big")
            box_type = bytes(self.data[pos + 4:pos + 8])
            header = 8
            if size == 1:
                if end - pos < 16:
                    raise self.bad()
                size = int.from_bytes(self.data[pos + 8:pos + 16], "big")
                header = 16
            elif size == 0:
                size = end - pos
            if size < header or pos + size > end:
                raise self.bad()
            self.boxes += 1
            if self.boxes > MAX_BOXES:
                raise self.bad()
            if depth == 0:
                self.top_level.append(box_type)
            self.visit(box_type, pos, pos + header, pos + size, depth)
            pos += size

    def visit(self, box_type: bytes, box_start: int, body: int, box_end: int, depth: int) -> None:
        if box_type in METADATA_BOXES:
            self.data[box_start + 4:box_start + 8] = b"free"
            self.data[body:box_end] = bytes(box_end - body)
        elif box_type in CONTAINERS and depth < 12:
            self.walk(body, box_end, depth + 1)
        elif box_type in TIMESTAMP_BOXES:
            self.zero_times(box_type, body, box_end)
        elif box_type == b"hdlr" and box_end - body >= 12 and self.data[body + 8:body + 12] in TIMED_METADATA:
            raise UploadRejected(f"{self.label}包含定位轨迹等元数据轨道，无法安全去除。"
                                 "请用手机自带的编辑功能另存后再上传。")

    def zero_times(self, box_type: bytes, body: int, box_end: int) -> None:
        version = self.data[body] if body < box_end else 0
        width = 8 if version == 1 else 4
        if box_end - body < 4 + 2 * width:
            raise self.bad()
        if box_type == b"mvhd" and box_end - body >= 4 + 3 * width + 4:
            scale_at = body + 4 + 2 * width
            timescale = int.from_bytes(self.data[scale_at:scale_at + 4], "big")
            duration = int.from_bytes(self.data[scale_at + 4:scale_at + 4 + width], "big")
            if timescale:
                self.duration_seconds = duration / timescale
        self.data[body + 4:body + 4 + 2 * width] = bytes(2 * width)


def scrub_mp4(data: bytes, *, max_seconds: int, label: str) -> bytes:
    buf = bytearray(data)
    walker = _Walker(buf, label)
    walker.walk(0, len(buf), 0)
    if not walker.top_level or walker.top_level[0] != b"ftyp" or b"moov" not in walker.top_level:
        raise walker.bad()
    if b"mdat" not in walker.top_level and b"moof" not in walker.top_level:
        raise walker.bad()
    if walker.duration_seconds is not None and walker.duration_seconds > max_seconds:
        raise UploadRejected(f"{label}时长超过 {max_seconds // 60} 分钟，请剪辑后上传较短的视频。")
    return bytes(buf)

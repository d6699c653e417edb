"""Generalising outlines for one map (a parent region and its children).

All children of one map are simplified together with GEOS coverage simplification, so a border
shared by two neighbours is simplified once and stays shared: no slivers or gaps between
provinces, cities or counties. The tolerance starts at a fraction of the map's extent (about what
a 1,500-pixel-wide map can show) and grows until the map fits its byte budget. Coordinates are
then rounded to the precision that tolerance can show; a part that rounding collapses (a reef
at national scale) is dropped, but a region never loses its last part.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

EXTENT_DIVISOR = 1500
GROWTH = 1.4
MAX_ATTEMPTS = 25


def decimals_for(tolerance: float) -> int:
    # A third of the tolerance keeps rounding error well below what simplification removed.
    return max(2, min(6, math.ceil(-math.log10(tolerance / 3))))


def to_text(geom: BaseGeometry, decimals: int) -> str:
    """Rounded GeoJSON geometry text; "" when rounding leaves nothing even at 6 decimals."""
    for places in range(decimals, 7):
        rounded = shapely.set_precision(geom, 10.0**-places)
        if not rounded.is_empty:
            # set_precision snaps to the grid; np.round removes the binary float tails (…0000001).
            rounded = shapely.transform(rounded, lambda xy, p=places: np.round(xy, p))
            return shapely.to_geojson(shapely.orient_polygons(rounded))
    return ""


def _extent(geoms: Sequence[BaseGeometry]) -> float:
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    return max(maxx - minx, maxy - miny, 1e-6)


def simplify_lines(lines: Sequence[BaseGeometry], tolerance: float) -> list[str]:
    decimals = decimals_for(tolerance)
    return [to_text(shapely.simplify(line, tolerance, preserve_topology=False), decimals) for line in lines]


def simplify_map(
    polygons: Sequence[BaseGeometry],
    *,
    target_bytes: int,
    measure: Callable[[list[str], float], int],
    extra_extent: Sequence[BaseGeometry] = (),
) -> tuple[list[str], float]:
    """Geometry texts for `polygons` (same order) and the tolerance used.

    `measure(texts, tolerance)` returns the size of the whole map response for those texts, so
    overlays and properties count against the budget too. `extra_extent` widens the extent used
    for the starting tolerance (the nation's dashed line reaches far beyond the provinces).
    """
    tolerance = _extent([*polygons, *extra_extent]) / EXTENT_DIVISOR
    for _ in range(MAX_ATTEMPTS):
        simplified = shapely.coverage_simplify(list(polygons), tolerance)
        decimals = decimals_for(tolerance)
        texts = [to_text(geom, decimals) for geom in simplified]
        if measure(texts, tolerance) <= target_bytes:
            return texts, tolerance
        tolerance *= GROWTH
    raise ValueError("map does not fit its size budget")

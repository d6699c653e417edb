"""GeoJSON text for the maps. Geometry is stored as ready-made text, so a map is assembled by
string joining: no parsing and re-serialising of up to 200 KB per request. The loader uses the
same functions to measure a map's exact size before it stores the geometry."""

from __future__ import annotations

import json
from collections.abc import Iterable

# Every map response must stay under this (the nation, each province, each city).
MAP_SIZE_LIMIT = 200 * 1024


def region_properties(*, code: str, name: str, level: str, has_children: bool, is_served: bool) -> dict:
    return {"code": code, "name": name, "level": level, "has_children": has_children, "is_served": is_served}


def overlay_properties(name: str) -> dict:
    # Same keys as a region so a client can treat every feature alike; `level` tells them apart.
    return {"code": None, "name": name, "level": "overlay", "has_children": False, "is_served": False}


def feature(properties: dict, geometry: str) -> str:
    props = json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
    return f'{{"type":"Feature","properties":{props},"geometry":{geometry or "null"}}}'


def feature_collection(features: Iterable[str]) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def encoded_size(text: str) -> int:
    return len(text.encode("utf-8"))

"""The drill-down map of a region: its children's outlines as one GeoJSON FeatureCollection."""

from __future__ import annotations

from apps.regions import geojson
from apps.regions.codes import NATION_CODE
from apps.regions.models import MapOverlay, Region
from apps.regions.selectors import region_by_code, region_children

_FIELDS = ("code", "name", "level", "is_served", "geometry")


def _region_feature(region: Region, has_children: bool) -> str:
    props = geojson.region_properties(
        code=region.code, name=region.name, level=region.level,
        has_children=has_children, is_served=region.is_served,
    )
    return geojson.feature(props, region.geometry)


def map_geojson(code: str) -> str | None:
    """FeatureCollection text for the map of `code`, or None when the code is unknown.

    "100000" is the nation: the provinces plus the overlays (境界线, 南海诸岛). A region with
    children shows its children; a leaf shows its own outline, so a client can always draw the
    level it drilled into.
    """
    if code == NATION_CODE:
        children = region_children(None).only(*_FIELDS)
    else:
        region = region_by_code(code)
        if region is None:
            return None
        children = region_children(region).only(*_FIELDS)
    features = [_region_feature(child, child.has_children) for child in children]
    if not features and code != NATION_CODE:
        features = [_region_feature(region, False)]
    features += [
        geojson.feature(geojson.overlay_properties(o.name), o.geometry)
        for o in MapOverlay.objects.filter(map_code=code)
    ]
    return geojson.feature_collection(features)

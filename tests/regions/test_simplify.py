import json

import pytest
import shapely
from shapely.geometry import box, shape

from apps.regions.simplify import decimals_for, simplify_map, to_text


def test_decimals_follow_the_tolerance():
    assert decimals_for(0.05) == 2
    assert decimals_for(0.002) == 4
    assert decimals_for(1e-9) == 6


def test_rounding_never_loses_a_whole_region():
    reef = box(112.0001, 16.0001, 112.0004, 16.0004)  # ~30 m across
    text = to_text(reef, 2)
    geom = shape(json.loads(text))
    assert not geom.is_empty
    assert geom.bounds[0] == pytest.approx(112.0001, abs=1e-6)


def test_rounding_drops_collapsed_parts_but_keeps_the_rest():
    island = box(110, 20, 111, 21)
    reef = box(112.0001, 16.0001, 112.0004, 16.0004)
    geom = shape(json.loads(to_text(shapely.MultiPolygon([island, reef]), 2)))
    assert len(shapely.get_parts(geom)) == 1 and geom.area == pytest.approx(1)


def test_output_has_no_float_noise_and_rfc7946_winding():
    text = to_text(box(113.1, 34.3, 113.7, 34.9), 3)
    assert "0000000" not in text
    ring = json.loads(text)["coordinates"][0]
    assert shapely.LinearRing(ring).is_ccw


def test_neighbours_keep_one_shared_border_and_the_budget_grows_the_tolerance():
    wiggle = [(x / 100, 0.5 + 0.01 * ((x % 7) - 3)) for x in range(0, 101)]
    top = shapely.Polygon([(0, 1), *wiggle, (1, 1)])
    bottom = shapely.Polygon([(0, 0), (1, 0), *reversed(wiggle)])
    sizes = []

    def measure(texts, tolerance):
        sizes.append(sum(map(len, texts)))
        return sizes[-1]

    texts, _ = simplify_map([top, bottom], target_bytes=400, measure=measure)
    assert len(sizes) > 1 and sizes[-1] <= 400 < sizes[0]
    a, b = (shape(json.loads(t)) for t in texts)
    assert a.intersection(b).area == pytest.approx(0, abs=1e-9)
    assert a.union(b).area == pytest.approx(1, rel=0.02)  # no gap opened between them


def test_an_impossible_budget_is_an_error():
    with pytest.raises(ValueError):
        simplify_map([box(0, 0, 1, 1)], target_bytes=10, measure=lambda texts, tol: 10_000)

"""Point → county on the full-resolution outlines (no database needed)."""

import threading

import pytest

from apps.regions import locator
from apps.regions.locator import locate_code


@pytest.mark.parametrize(
    "lng,lat,code",
    [
        (113.66, 34.80, "410105"),  # 郑州 金水区
        (116.397, 39.909, "110101"),  # 天安门, 北京 东城区
        (121.47, 31.23, "310101"),  # 上海 黄浦区
        (113.75, 23.02, "441900"),  # 东莞: a city-level leaf
        (112.60, 35.07, "419001"),  # 济源
        (86.04, 44.30, "659001"),  # 石河子 (兵团)
        (112.335, 16.835, "460321"),  # 永兴岛, 三沙 西沙区
        (114.17, 22.28, "810107"),  # 香港 湾仔区 (unserved, still located)
    ],
)
def test_known_points(lng, lat, code):
    assert locate_code(lng, lat) == code


@pytest.mark.parametrize(
    "lng,lat",
    [(125.0, 30.0), (0.0, 0.0), (139.69, 35.69), (-74.0, 40.7), (150.0, -30.0)],
)
def test_points_outside_china(lng, lat):
    # East China Sea, the Gulf of Guinea, Tokyo, New York, Australia's coast.
    assert locate_code(lng, lat) is None


def test_a_point_just_off_the_coast_snaps_to_the_nearest_county():
    from shapely import Point

    from apps.regions.source import load_source

    # A few hundred metres out to sea off 青岛 市南区: no outline contains it.
    lng, lat = 120.3755, 36.0495
    assert not any(r.geometry.contains(Point(lng, lat)) for r in load_source().regions.values())
    assert locate_code(lng, lat) == "370202"
    # Farther out it is open sea.
    assert locate_code(120.34, 36.00) is None


def test_gcj02_and_bd09_input_are_converted():
    from fast_geocn.coord import wgs84_to_bd09, wgs84_to_gcj02

    lng, lat = 113.66, 34.80
    assert locate_code(*wgs84_to_gcj02(lng, lat), crs="gcj02") == "410105"
    assert locate_code(*wgs84_to_bd09(lng, lat), crs="bd09") == "410105"


def test_non_finite_input_is_refused():
    with pytest.raises(ValueError):
        locate_code(float("nan"), 30.0)


def test_concurrent_first_use_builds_one_index(monkeypatch):
    monkeypatch.setattr(locator, "_index", None)
    built = []
    original = locator._Index.__init__

    def counting_init(self):
        built.append(1)
        original(self)

    monkeypatch.setattr(locator._Index, "__init__", counting_init)
    results = []
    threads = [threading.Thread(target=lambda: results.append(locate_code(113.66, 34.80))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["410105"] * 4
    assert len(built) == 1


def test_does_not_touch_the_home_directory(monkeypatch, tmp_path):
    """fast_geocn's own reverse_geocode writes ~/.fast_geocn_cache; ours must not."""
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o500)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setattr(locator, "_index", None)
    assert locate_code(113.66, 34.80) == "410105"
    assert list(home.iterdir()) == []

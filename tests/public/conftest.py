"""A small country for the public-channel tests: 河南省 (郑州市 → 金水区, 中原区; 洛阳市 → 涧西区),
河北省 and an unserved 香港, each drawn as a rectangle, with their bureaus and a province mine
safety office. Built with factories, not the national data, so the tests stay fast."""

import json
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from apps.catalogs.models import Industry, ProblemType
from apps.orgs.models import Org
from apps.regions.models import MapOverlay
from tests.factories import OrgFactory, RegionFactory
from tests.public.flows import patch_server_clock
from tests.reference_data import ensure_reference_data

# code, name, level, parent, (lng0, lat0, lng1, lat1), served
REGIONS = [
    ("410000", "河南省", "province", None, (110, 31, 116, 36), True),
    ("410100", "郑州市", "city", "410000", (112, 34, 114, 35.5), True),
    ("410105", "金水区", "county", "410100", (113, 34.5, 114, 35.5), True),
    ("410102", "中原区", "county", "410100", (112, 34, 113, 35.5), True),
    ("410300", "洛阳市", "city", "410000", (110, 32, 112, 35), True),
    ("410305", "涧西区", "county", "410300", (110, 32, 112, 35), True),
    ("130000", "河北省", "province", None, (114, 36.5, 119, 42), True),
    ("130100", "石家庄市", "city", "130000", (114, 37, 116, 39), True),
    ("130102", "长安区", "county", "130100", (114, 37, 116, 39), True),
    ("810000", "香港特别行政区", "province", None, (113.8, 22.1, 114.4, 22.6), False),
]


def rectangle(lng0, lat0, lng1, lat1) -> str:
    ring = [[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def center(code: str) -> tuple[float, float]:
    box = next(r[4] for r in REGIONS if r[0] == code)
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Fresh cache (rate limits, captchas passed, SMS codes) and a private media folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PUBLIC_LOOKUP_FAILURE_DELAY = 0
    settings.CAPTCHA_TEST_MODE = True
    cache.clear()


@pytest.fixture
def server_clock(monkeypatch):
    return patch_server_clock(monkeypatch)


@pytest.fixture
def country(db):
    ensure_reference_data()
    regions = {}
    for code, name, level, parent, box, served in REGIONS:
        regions[code] = RegionFactory(
            code=code,
            name=name,
            level=level,
            parent=regions.get(parent),
            geometry=rectangle(*box),
            is_served=served,
            center_lng=(box[0] + box[2]) / 2,
            center_lat=(box[1] + box[3]) / 2,
        )
    MapOverlay.objects.create(map_code="100000", name="南海诸岛", geometry=rectangle(112, 12, 116, 16))
    MapOverlay.objects.create(
        map_code="100000",
        name="境界线",
        geometry=json.dumps({"type": "LineString", "coordinates": [[117, 20], [118, 25]]}),
    )
    ministry = OrgFactory(code="MEM", name="应急管理部", level=Org.Level.MINISTRY)

    def bureau(code, name, level, parent, kind=Org.Kind.EMERGENCY, region_code=None):
        return OrgFactory(
            code=code,
            name=name,
            level=level,
            parent=parent,
            kind=kind,
            region=regions[region_code or code[-6:]],
        )

    henan = bureau("EM410000", "河南省应急管理厅", Org.Level.PROVINCE, ministry)
    zhengzhou = bureau("EM410100", "郑州市应急管理局", Org.Level.CITY, henan)
    orgs = SimpleNamespace(
        ministry=ministry,
        henan=henan,
        zhengzhou=zhengzhou,
        jinshui=bureau("EM410105", "金水区应急管理局", Org.Level.COUNTY, zhengzhou),
        zhongyuan=bureau("EM410102", "中原区应急管理局", Org.Level.COUNTY, zhengzhou),
        jianxi=bureau(
            "EM410305",
            "涧西区应急管理局",
            Org.Level.COUNTY,
            bureau("EM410300", "洛阳市应急管理局", Org.Level.CITY, henan),
        ),
        hebei=bureau("EM130000", "河北省应急管理厅", Org.Level.PROVINCE, ministry),
        henan_mine=bureau(
            "MINE-410000",
            "国家矿山安全监察局河南局",
            Org.Level.PROVINCE,
            ministry,
            kind=Org.Kind.MINE_SAFETY,
            region_code="410000",
        ),
    )
    return SimpleNamespace(
        regions=regions,
        orgs=orgs,
        problem=ProblemType.objects.get(code="major_hazard"),
        chemical=Industry.objects.get(code="chemical"),
        coal=Industry.objects.get(code="coal_mine"),
        road=Industry.objects.get(code="road_traffic"),
    )


def token_from(html: str, name: str = "session") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no {name} in page"
    return match.group(1)


def receipt_code(html: str) -> str:
    match = re.search(r'data-code="(\d+)"', html)
    assert match, "no receipt code on the page"
    return match.group(1)


def stored_captcha_key() -> str:
    """A real, unexpired captcha: a wrong answer to it is "wrong", an unknown key is "expired"."""
    from apps.public.captcha import captcha_new

    return captcha_new().key


def valid_report(**overrides) -> dict:
    data = {
        "mode": "anonymous",
        "region_province": "410000",
        "region_city": "410100",
        "region_county": "410105",
        "address": "某某工业园",
        "problem_type": "major_hazard",
        "industry": "chemical",
        "reported_unit_name": "某某化工有限公司",
        "reported_unit_address": "金水区某路1号",
        "occurred_on": "",
        "description": "该公司储罐区的可燃气体报警器长期关闭，夜间违规装卸危险化学品，存在重大事故隐患。",
        "captcha_key": "any",
        "captcha_answer": "PASSED",
    }
    data.update(overrides)
    return data


@pytest.fixture
def form_session(client, server_clock):
    """A web session that has shown the notice and acknowledged it after 15 seconds."""

    def make(mode: str = "anonymous") -> dict:
        notice = client.get("/jubao/")
        server_clock.advance(16)
        form = client.post("/jubao/start", {"session": token_from(notice.content.decode()), "mode": mode})
        assert form.status_code == 200, form.content.decode()
        html = form.content.decode()
        return {
            "session": token_from(html),
            "idempotency_key": token_from(html, "idempotency_key"),
            "html": html,
        }

    return make


@pytest.fixture
def api_session(client, country, server_clock):
    """A client key whose notice was shown 16 seconds ago."""
    key = client.post("/api/v1/public/sessions").json()["client_key"]
    server_clock.advance(16)
    return {"HTTP_X_CLIENT_KEY": key}

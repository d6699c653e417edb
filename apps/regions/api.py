"""行政区划 API: children for cascading pickers, drill-down maps, and point → county."""

from __future__ import annotations

import json
import math

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from apps.regions.locator import CRS_CONVERTERS, locate_code
from apps.regions.maps import map_geojson
from apps.regions.selectors import region_ancestors, region_by_code, region_children_by_code

router = Router()

NOT_FOUND = "行政区划不存在，请检查区划代码"


class ErrorOut(Schema):
    detail: str


class RegionOut(Schema):
    code: str
    name: str
    level: str
    is_served: bool
    has_children: bool


class RegionRef(Schema):
    code: str
    name: str
    level: str


class LocateOut(Schema):
    code: str
    name: str
    level: str
    is_served: bool
    path: list[RegionRef]


@router.get(
    "",
    response={200: list[RegionOut], 404: ErrorOut},
    operation_id="regions_list",
    summary="下级行政区划列表",
    description="不带 parent 时返回省级行政区；parent=100000 同样表示全国。",
)
def regions_list(request: HttpRequest, parent: str | None = None):
    children = region_children_by_code(parent)
    if children is None:
        raise HttpError(404, NOT_FOUND)
    return list(children)


LOCATE_DESCRIPTION = (
    "lng/lat 为 WGS-84 经纬度（crs=gcj02 或 bd09 时按高德/腾讯或百度坐标换算）。坐标不会被记录。"
)
# A JSON body of a few numbers; anything longer is not a location.
LOCATE_BODY_LIMIT = 1024
BODY_HINT = '请求内容必须是 JSON 对象，例如 {"lng": 113.66, "lat": 34.8}'


class LocateIn(Schema):
    lng: float = Field(description="经度", examples=[113.66])
    lat: float = Field(description="纬度", examples=[34.8])
    crs: str = Field("wgs84", description="坐标系：wgs84（默认）、gcj02 或 bd09")


@router.get(
    "/locate",
    response={200: LocateOut, 400: ErrorOut, 404: ErrorOut},
    operation_id="regions_locate",
    summary="根据经纬度确定所在县区",
    description=LOCATE_DESCRIPTION + "经纬度在网址中会出现在代理和访问日志里，新的客户端请使用 POST。",
)
def regions_locate(
    request: HttpRequest, lng: str | None = None, lat: str | None = None, crs: str = "wgs84"
):
    # Parameters arrive as text so that every kind of bad input gets its own Chinese message.
    return _locate(lng, lat, crs)


@router.post(
    "/locate",
    response={200: LocateOut, 400: ErrorOut, 404: ErrorOut},
    operation_id="regions_locate_post",
    summary="根据经纬度确定所在县区（POST）",
    description=LOCATE_DESCRIPTION + "坐标放在 JSON 请求体中，不出现在网址里。只读，无需登录和 CSRF 令牌。",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": LocateIn.model_json_schema()}},
        }
    },
)
def regions_locate_post(request: HttpRequest):
    # The body is parsed here rather than by a schema parameter, so that malformed JSON, a wrong
    # type or a missing field each get the same Chinese message as the GET's query parameters.
    payload = _json_object(request)
    return _locate(payload.get("lng"), payload.get("lat"), payload.get("crs", "wgs84"))


def _json_object(request: HttpRequest) -> dict:
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > LOCATE_BODY_LIMIT:
        raise HttpError(400, "请求内容过长，只需提供经度 lng、纬度 lat 和坐标系 crs")
    raw = request.body[: LOCATE_BODY_LIMIT + 1]
    if len(raw) > LOCATE_BODY_LIMIT:
        raise HttpError(400, "请求内容过长，只需提供经度 lng、纬度 lat 和坐标系 crs")
    try:
        payload = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HttpError(400, BODY_HINT) from None
    if not isinstance(payload, dict):
        raise HttpError(400, BODY_HINT)
    return payload


def _locate(lng: object, lat: object, crs: object) -> dict:
    lng_value = _coordinate(lng, "经度", "lng", 180)
    lat_value = _coordinate(lat, "纬度", "lat", 90)
    if not isinstance(crs, str) or crs not in CRS_CONVERTERS:
        raise HttpError(400, "坐标系 crs 只能是 wgs84、gcj02 或 bd09")
    code = locate_code(lng_value, lat_value, crs)
    region = region_by_code(code) if code else None
    if region is None:
        raise HttpError(404, "该位置不在我国行政区划范围内，请在地图上选择所在地区")
    chain = region_ancestors(region, include_self=True)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "is_served": region.is_served,
        "path": [{"code": r.code, "name": r.name, "level": r.level} for r in chain],
    }


def _coordinate(raw: object, label: str, param: str, limit: int) -> float:
    """A coordinate from a query string (text) or a JSON body (a number or text)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        raise HttpError(400, f"缺少{label}参数 {param}")
    # bool is an int to Python; `true` is not a coordinate.
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise HttpError(400, f"{label} {param} 必须是数字")
    try:
        value = float(raw)
    except (ValueError, OverflowError):  # OverflowError: a JSON integer too big for a float
        raise HttpError(400, f"{label} {param} 必须是数字") from None
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise HttpError(400, f"{label} {param} 必须在 -{limit} 到 {limit} 之间")
    return value


@router.get(
    "/{code}/geojson",
    response={200: dict, 404: ErrorOut},
    operation_id="regions_geojson",
    summary="行政区划地图（下级区划边界 GeoJSON）",
    description="100000 为全国（含境界线、南海诸岛）；没有下级的区划返回其自身边界。每个响应不超过 200 KB。",
)
def regions_geojson(request: HttpRequest, code: str):
    text = map_geojson(code)
    if text is None:
        raise HttpError(404, NOT_FOUND)
    # The privacy middleware still marks this no-store; the data is public, so nothing is lost.
    return HttpResponse(text, content_type="application/geo+json; charset=utf-8")

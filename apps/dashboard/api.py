"""可视化分析 data: every panel of the screen for one map selection and period in one request."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from apps.dashboard import data
from apps.dashboard.params import BadParameter, parse_period
from apps.reports.api_auth import api_auth

router = Router(auth=api_auth, tags=["可视化分析"])

NOT_FOUND = "行政区划不存在或不在本单位管辖范围内"
NO_ACCESS = "当前账号无权查看举报统计数据"


class ErrorOut(Schema):
    detail: str


class PlaceOut(Schema):
    code: str
    name: str
    level: str
    has_children: bool
    is_served: bool
    in_scope: bool


class PathItemOut(Schema):
    code: str
    name: str


class CountOut(Schema):
    name: str
    value: int


class ChildOut(PlaceOut):
    value: int


class PeriodOut(Schema):
    total: int
    pending: int
    overdue: int
    closed: int


class KpiOut(Schema):
    key: str
    label: str
    value: str


class ScreenOut(Schema):
    region: PlaceOut
    path: list[PathItemOut]
    start: str
    end: str
    year: int
    year_total: int
    period: PeriodOut
    kpis: list[KpiOut]
    problem_types: list[CountOut]
    channels: list[CountOut]
    industries: list[CountOut]
    children_title: str
    children: list[ChildOut]


def _user(request: HttpRequest):
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user


@router.get(
    "/screen/{code}",
    response={200: ScreenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="dashboard_screen",
    url_name="dashboard_screen",
    summary="可视化分析数据（所选地区、起止日期）",
    description=(
        "code 为行政区划代码（100000 为全国）；start、end 为起止日期（YYYY-MM-DD，含当日），"
        "默认为本年1月1日至今天。只能查询本单位管辖范围内的地区。"
    ),
)
def screen(request: HttpRequest, code: str, start: str | None = None, end: str | None = None):
    user = _user(request)
    jurisdiction = data.jurisdiction_for(user)
    if jurisdiction is None:
        raise HttpError(403, NO_ACCESS)
    today = timezone.localdate()
    try:
        start_date, end_date = parse_period(start, end, today)
    except BadParameter as exc:
        raise HttpError(400, exc.message) from None
    selection = data.select(jurisdiction, code)
    if selection is None:
        raise HttpError(404, NOT_FOUND)
    try:
        return data.screen_panels(jurisdiction, selection, start_date, end_date, today)
    except data.StatsQueryError as exc:  # a period the statistics refuse (too long, out of range)
        raise HttpError(400, exc.message) from None

"""抽检管理 over the JSON API (/api/v1/spotchecks): the same actions and selectors as the pages,
the same permission checks, and 404 for anything outside the caller's jurisdiction.

Seeds are strings in JSON: a 63-bit integer does not survive a JavaScript number.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from apps.regions.models import Region
from apps.reports.api_auth import api_auth
from apps.reports.deadlines import Badge
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction, ReportActionError
from apps.spotchecks import selectors
from apps.spotchecks.actions import (
    UNCHANGED,
    spotcheck_create,
    spotcheck_rectify,
    spotcheck_review,
    spotcheck_verify,
)
from apps.spotchecks.models import SpotCheckBatch, SpotCheckItem

router = Router(auth=api_auth, tags=["抽检管理"])


class ErrorOut(Schema):
    detail: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user(request: HttpRequest):
    auth = getattr(request, "auth", None)
    return auth if getattr(auth, "is_authenticated", False) else request.user


def _error(exc: ReportActionError) -> HttpError:
    if isinstance(exc, PermissionDeniedForAction):
        return HttpError(403, exc.message)
    if isinstance(exc, InvalidTransition):
        return HttpError(409, exc.message)
    return HttpError(400, exc.message)


def _get(getter, user, pk):
    try:
        return getter(user, pk)
    except Http404 as exc:
        raise HttpError(404, str(exc)) from None


# ---- output -------------------------------------------------------------------------------------


class DeadlineOut(Schema):
    """The same deadline fields as the reports API (apps.reports.api.DeadlineOut)."""

    label: str
    due: dt.date
    state: Literal["normal", "soon", "overdue"]
    days: int
    text: str
    calendar_unconfirmed: bool = Field(description="期限跨越的年度节假日安排尚未确认（期限可能变动）")

    @staticmethod
    def of(badge: Badge | None) -> DeadlineOut | None:
        if badge is None:
            return None
        return DeadlineOut(label=badge.label, due=badge.due, state=badge.state, days=badge.days,
                           text=badge.text, calendar_unconfirmed=badge.unconfirmed)


class ItemOut(Schema):
    id: int
    batch_id: int
    position: int
    report_id: int
    report_number: str
    checked_org_id: int
    checked_org_name: str
    state: str
    state_label: str
    qualified: bool | None
    rectify_due: dt.date | None
    rectify_count: int
    latest_opinion: str
    reviewed_at: dt.datetime | None
    finished_at: dt.datetime | None
    deadline: DeadlineOut | None

    @staticmethod
    def of(item: SpotCheckItem) -> ItemOut:
        return ItemOut(
            id=item.pk, batch_id=item.batch_id, position=item.position, report_id=item.report_id,
            report_number=item.report.number, checked_org_id=item.checked_org_id,
            checked_org_name=item.checked_org.name, state=item.state, state_label=item.get_state_display(),
            qualified=item.qualified, rectify_due=item.rectify_due, rectify_count=item.rectify_count,
            latest_opinion=item.latest_opinion, reviewed_at=item.reviewed_at, finished_at=item.finished_at,
            deadline=DeadlineOut.of(selectors.item_badge(item)),
        )


class RoundOut(Schema):
    kind: str
    kind_label: str
    verdict: str
    verdict_label: str
    cycle: int
    opinion: str
    explanation: str
    changes: list[dict]
    due: dt.date | None
    org_name: str
    created_at: dt.datetime


class ItemDetailOut(ItemOut):
    batch_number: str
    checking_org_name: str
    rounds: list[RoundOut]


class PassRateOut(Schema):
    org_id: int | None
    org_name: str
    sampled: int
    reviewed: int
    qualified: int
    unqualified: int
    corrected: int
    open: int
    rate: Decimal | None = Field(description="合格率（%），无已审查事项时为空")


def _rate(rate: selectors.PassRate) -> PassRateOut:
    return PassRateOut(org_id=rate.org_id, org_name=rate.org_name, sampled=rate.sampled,
                       reviewed=rate.reviewed, qualified=rate.qualified, unqualified=rate.unqualified,
                       corrected=rate.corrected, open=rate.open, rate=rate.rate)


class BatchOut(Schema):
    id: int
    number: str
    checking_org_name: str
    created_by: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    scope: str
    scope_label: str
    scope_org_id: int | None
    scope_org_name: str | None
    scope_region_code: str | None
    closed_from: dt.date
    closed_to: dt.date
    requested_size: int | None
    requested_ratio: int | None
    candidate_count: int
    candidate_digest: str
    skipped_open_count: int
    seed: str
    draw_method: str
    sample_size: int
    pass_rates: list[PassRateOut]
    pass_rate_total: PassRateOut
    items: list[ItemOut]


def _batch(batch: SpotCheckBatch, items: list[SpotCheckItem]) -> BatchOut:
    rates, total = selectors.pass_rates_of(items)
    return BatchOut(
        id=batch.pk, number=batch.number, checking_org_name=batch.checking_org.name,
        created_by=batch.created_by.real_name, created_at=batch.created_at, finished_at=batch.finished_at,
        scope=batch.scope, scope_label=batch.get_scope_display(), scope_org_id=batch.scope_org_id,
        scope_org_name=batch.scope_org.name if batch.scope_org else None,
        scope_region_code=batch.scope_region.code if batch.scope_region else None,
        closed_from=batch.closed_from, closed_to=batch.closed_to, requested_size=batch.requested_size,
        requested_ratio=batch.requested_ratio, candidate_count=batch.candidate_count,
        candidate_digest=batch.candidate_digest, skipped_open_count=batch.skipped_open_count,
        seed=str(batch.seed), draw_method=batch.draw_method, sample_size=batch.sample_size,
        pass_rates=[_rate(r) for r in rates], pass_rate_total=_rate(total),
        items=[ItemOut.of(i) for i in items],
    )


def _batch_out(user, pk: int) -> BatchOut:
    batch = _get(selectors.batch_get_for_user_or_404, user, pk)
    return _batch(batch, list(selectors.batch_items(batch).select_related("report")))


def _item_detail(item: SpotCheckItem) -> ItemDetailOut:
    base = ItemOut.of(item).dict()
    rounds = [
        RoundOut(kind=r.kind, kind_label=r.get_kind_display(), verdict=r.verdict,
                 verdict_label=r.get_verdict_display(), cycle=r.cycle, opinion=r.opinion,
                 explanation=r.explanation, changes=r.changes, due=r.due,
                 org_name=r.org.name, created_at=r.created_at)
        for r in item.rounds.select_related("org")
    ]
    return ItemDetailOut(**base, batch_number=item.batch.number,
                         checking_org_name=item.batch.checking_org.name, rounds=rounds)


class BatchListOut(Schema):
    count: int
    items: list[BatchOut]


class ItemListOut(Schema):
    count: int
    items: list[ItemOut]


# ---- input --------------------------------------------------------------------------------------


class BatchIn(Schema):
    scope: Literal["org", "region"] = Field(description="org 按机构；region 按地区")
    org_id: int | None = Field(None, description="按机构：下级机构ID；为空表示全部下级单位")
    region_code: str | None = Field(None, max_length=6, description="按地区：区划代码")
    closed_from: dt.date
    closed_to: dt.date
    size: int | None = Field(None, description="抽检数量（与 ratio 二选一）")
    ratio: int | None = Field(None, description="抽检比例，百分数（与 size 二选一）")


class ReviewIn(Schema):
    qualified: bool
    opinion: str = Field("", max_length=2000)


class VerifyIn(Schema):
    passed: bool
    opinion: str = Field("", max_length=2000)


class RectifyIn(Schema):
    """Fields left out keep the report's value; null clears an optional one."""

    explanation: str = Field(max_length=2000)
    conclusion: Literal["true", "partly_true", "false"] | None = None
    verification_summary: str | None = Field(None, max_length=5000)
    decision: str | None = Field(None, max_length=2000)
    penalty_amount: Decimal | None = None
    rectification: str | None = Field(None, max_length=2000)
    reward_status: Literal["none", "pending", "paid"] | None = None
    reward_amount: Decimal | None = None
    reward_paid_on: dt.date | None = None


class BatchFilter(Schema):
    state: Literal["open", "finished", "all"] = "all"
    limit: int = Field(20, ge=1, le=100)
    # Bounded like the reports API: a huge offset overflows the database's integer (a 500).
    offset: int = Field(0, ge=0, le=1_000_000)


class ItemFilter(Schema):
    box: Literal["rectify", "verify", "due"] = Field(
        "rectify", description="rectify 抽检办理；verify 抽检核查；due 整改督办")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


# ---- endpoints ----------------------------------------------------------------------------------


@router.post("", operation_id="spotcheck_create", response={201: BatchOut, **ERRORS}, summary="随机抽检")
def api_create(request, payload: BatchIn):
    user = _user(request)
    org = region = None
    if payload.scope == "org" and payload.org_id is not None:
        org = selectors.sampleable_orgs(user).filter(pk=payload.org_id).first()
        if org is None:
            raise HttpError(404, "机构不存在")
    if payload.scope == "region":
        if not payload.region_code:
            raise HttpError(400, "请选择抽检地区。")
        region = Region.objects.filter(code=payload.region_code).first()
        if region is None:
            raise HttpError(404, "地区不存在")
    try:
        batch = spotcheck_create(actor=user, scope=payload.scope, org=org, region=region,
                                 closed_from=payload.closed_from, closed_to=payload.closed_to,
                                 size=payload.size, ratio=payload.ratio, request=request)
    except ReportActionError as exc:
        raise _error(exc) from None
    return Status(201, _batch_out(user, batch.pk))


@router.get("", operation_id="spotcheck_list", response={200: BatchListOut, 401: ErrorOut},
            summary="抽检批次列表")
def api_list(request, filters: Query[BatchFilter]):
    user = _user(request)
    qs = selectors.batches_for(user).select_related("checking_org")
    if filters.state == "open":
        qs = qs.filter(finished_at__isnull=True)
    elif filters.state == "finished":
        qs = qs.filter(finished_at__isnull=False)
    count = qs.count()
    batches = list(qs[filters.offset:filters.offset + filters.limit])
    items: dict[int, list[SpotCheckItem]] = {}
    for item in (SpotCheckItem.objects.filter(batch__in=batches)
                 .select_related("report", "checked_org").order_by("batch", "position")):
        items.setdefault(item.batch_id, []).append(item)
    return BatchListOut(count=count, items=[_batch(b, items.get(b.pk, [])) for b in batches])


@router.get("/items", operation_id="spotcheck_items", response={200: ItemListOut, 401: ErrorOut},
            summary="抽检办理、抽检核查、整改督办列表")
def api_items(request, filters: Query[ItemFilter]):
    user = _user(request)
    qs = {"rectify": selectors.items_to_rectify, "verify": selectors.items_to_verify,
          "due": selectors.spotcheck_items_due}[filters.box](user).select_related("report")
    count = qs.count()
    page = qs[filters.offset:filters.offset + filters.limit]
    return ItemListOut(count=count, items=[ItemOut.of(i) for i in page])


@router.get("/{int:batch_id}", operation_id="spotcheck_get", response={200: BatchOut, **ERRORS},
            summary="抽检批次详情")
def api_get(request, batch_id: int):
    return _batch_out(_user(request), batch_id)


@router.get("/items/{int:item_id}", operation_id="spotcheck_item_get",
            response={200: ItemDetailOut, **ERRORS}, summary="抽检事项详情（含各轮整改与核查）")
def api_item(request, item_id: int):
    return _item_detail(_get(selectors.item_read_for_user_or_404, _user(request), item_id))


@router.post("/items/{int:item_id}/review", operation_id="spotcheck_review",
             response={200: ItemDetailOut, **ERRORS}, summary="抽检审查（合格/不合格）")
def api_review(request, item_id: int, payload: ReviewIn):
    user = _user(request)
    item = _get(selectors.item_get_for_user_or_404, user, item_id)
    try:
        spotcheck_review(actor=user, item=item, qualified=payload.qualified, opinion=payload.opinion)
    except ReportActionError as exc:
        raise _error(exc) from None
    return _item_detail(selectors.item_get_for_user_or_404(user, item_id))


@router.post("/items/{int:item_id}/rectify", operation_id="spotcheck_rectify",
             response={200: ItemDetailOut, **ERRORS}, summary="抽检整改并重新提交")
def api_rectify(request, item_id: int, payload: RectifyIn):
    user = _user(request)
    item = _get(selectors.item_get_for_user_or_404, user, item_id)
    given = payload.model_fields_set
    corrections = {name: getattr(payload, name) if name in given else UNCHANGED
                   for name in RectifyIn.model_fields if name != "explanation"}
    try:
        spotcheck_rectify(actor=user, item=item, explanation=payload.explanation, **corrections)
    except ReportActionError as exc:
        raise _error(exc) from None
    return _item_detail(selectors.item_get_for_user_or_404(user, item_id))


@router.post("/items/{int:item_id}/verify", operation_id="spotcheck_verify",
             response={200: ItemDetailOut, **ERRORS}, summary="抽检核查（通过/不通过）")
def api_verify(request, item_id: int, payload: VerifyIn):
    user = _user(request)
    item = _get(selectors.item_get_for_user_or_404, user, item_id)
    try:
        spotcheck_verify(actor=user, item=item, passed=payload.passed, opinion=payload.opinion)
    except ReportActionError as exc:
        raise _error(exc) from None
    return _item_detail(selectors.item_get_for_user_or_404(user, item_id))

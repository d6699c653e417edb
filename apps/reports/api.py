"""举报管理 over the JSON API (/api/v1/reports): the same actions and selectors as the pages, the
same permission checks, and 404 for any report outside the caller's jurisdiction.

The reporter's identity is never part of an API response: it is shown only on the detail page,
behind the audited 查看举报人信息 button.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from apps.catalogs.models import Channel, Industry, ProblemType
from apps.regions.models import Region
from apps.reports import selectors
from apps.reports.actions.accept import report_accept, report_defer, report_hand_back, report_reject
from apps.reports.actions.close import report_close, report_reward_record
from apps.reports.actions.create import ReportContent, ReporterIdentity, report_enter
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback, report_return
from apps.reports.actions.identity import may_view_reporter
from apps.reports.api_auth import api_auth, api_user
from apps.reports.api_errors import ACTION_ERRORS, get_or_404, run_action
from apps.reports.deadlines import Badge, hop_badge, report_badge
from apps.reports.events import event_label
from apps.reports.filters import apply_report_filters, filter_date_error
from apps.reports.models import Report

router = Router(auth=api_auth, tags=["举报管理"])


def _report(request: HttpRequest, report_id: int) -> Report:
    return get_or_404(selectors.report_get_for_user_or_404, api_user(request), report_id)


# ---- output -------------------------------------------------------------------------------


class DeadlineOut(Schema):
    label: str
    due: dt.date
    state: Literal["normal", "soon", "overdue"]
    days: int
    text: str
    calendar_unconfirmed: bool

    @staticmethod
    def of(badge: Badge | None) -> DeadlineOut | None:
        if badge is None:
            return None
        return DeadlineOut(
            label=badge.label,
            due=badge.due,
            state=badge.state,
            days=badge.days,
            text=badge.text,
            calendar_unconfirmed=badge.unconfirmed,
        )


class ReportItemOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    channel: str
    region_code: str
    region_name: str
    reported_unit_name: str
    problem_type: str
    industry: str
    received_at: dt.datetime
    accept_due: dt.date | None
    result_due: dt.date | None
    closed_at: dt.datetime | None
    hop_state: str | None = None
    hop_state_label: str | None = None
    deadline: DeadlineOut | None


def _item(report: Report, badge: Badge | None, hop=None) -> ReportItemOut:
    return ReportItemOut(
        id=report.pk,
        number=report.number,
        status=report.status,
        status_label=report.get_status_display(),
        channel=report.channel.code,
        region_code=report.region.code,
        region_name=report.region.name,
        reported_unit_name=report.reported_unit_name,
        problem_type=report.problem_type.code,
        industry=report.industry.code,
        received_at=report.received_at,
        accept_due=report.accept_due,
        result_due=report.result_due,
        closed_at=report.closed_at,
        hop_state=hop.state if hop else None,
        hop_state_label=hop.get_state_display() if hop else None,
        deadline=DeadlineOut.of(badge),
    )


class ReportListOut(Schema):
    count: int
    items: list[ReportItemOut]


class HopOut(Schema):
    id: int
    org_id: int
    org_name: str
    parent_id: int | None
    state: str
    state_label: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    finished_at: dt.datetime | None
    deadline: DeadlineOut | None


class EventOut(Schema):
    action: str
    action_label: str
    org_name: str | None
    actor_name: str | None
    target_org_name: str | None
    from_status: str
    to_status: str
    comment: str
    created_at: dt.datetime


class VerificationOut(Schema):
    org_name: str
    conclusion: str
    conclusion_label: str
    summary: str
    decision: str
    penalty_amount: Decimal | None
    rectification: str
    returned_reason: str
    created_at: dt.datetime


class AttachmentOut(Schema):
    name: str
    stage: str
    content_type: str
    size: int
    url: str


class ReportDetailOut(ReportItemOut):
    is_anonymous: bool
    reporter_visible_to_you: bool
    address: str
    reported_unit_address: str
    occurred_on: dt.date | None
    description: str
    receiving_org: str
    accepting_org: str | None
    accepted_at: dt.datetime | None
    extension_days: int
    supplement_request: str
    reject_reason: str
    reject_detail: str
    duplicate_of_id: int | None
    referred_department: str
    conclusion: str
    verification_summary: str
    decision: str
    penalty_amount: Decimal | None
    rectification: str
    reward_status: str
    reward_amount: Decimal | None
    reward_paid_on: dt.date | None
    available_actions: list[str]
    hops: list[HopOut]
    events: list[EventOut]
    verifications: list[VerificationOut]
    attachments: list[AttachmentOut]


def _detail(request: HttpRequest, report: Report) -> ReportDetailOut:
    user = api_user(request)
    report = Report.objects.select_related(
        "channel", "region", "industry", "problem_type", "receiving_org", "accepting_org"
    ).get(pk=report.pk)
    today = timezone.localdate()
    hops = selectors.report_hops(report)
    actions = selectors.available_actions(user, report)
    base = _item(report, report_badge(report, today)).model_dump()
    return ReportDetailOut(
        **base,
        is_anonymous=report.is_anonymous,
        reporter_visible_to_you=may_view_reporter(user, report),
        address=report.address,
        reported_unit_address=report.reported_unit_address,
        occurred_on=report.occurred_on,
        description=report.description,
        receiving_org=report.receiving_org.name,
        accepting_org=report.accepting_org.name if report.accepting_org else None,
        accepted_at=report.accepted_at,
        extension_days=report.extension_days,
        supplement_request=report.supplement_request,
        reject_reason=report.reject_reason,
        reject_detail=report.reject_detail,
        duplicate_of_id=report.duplicate_of_id,
        referred_department=report.referred_department,
        conclusion=report.conclusion,
        verification_summary=report.verification_summary,
        decision=report.decision,
        penalty_amount=report.penalty_amount,
        rectification=report.rectification,
        reward_status=report.reward_status,
        reward_amount=report.reward_amount,
        reward_paid_on=report.reward_paid_on,
        available_actions=sorted(actions),
        hops=[
            HopOut(
                id=h.pk,
                org_id=h.org_id,
                org_name=h.org.name,
                parent_id=h.parent_id,
                state=h.state,
                state_label=h.get_state_display(),
                received_at=h.received_at,
                accepted_at=h.accepted_at,
                dispatched_at=h.dispatched_at,
                finished_at=h.finished_at,
                deadline=DeadlineOut.of(hop_badge(h, today)),
            )
            for h in hops
        ],
        events=[
            EventOut(
                action=e.action,
                action_label=event_label(e.action),
                org_name=e.org.name if e.org else None,
                actor_name=e.actor.real_name if e.actor else None,
                target_org_name=e.target_org.name if e.target_org else None,
                from_status=e.from_status,
                to_status=e.to_status,
                comment=e.comment,
                created_at=e.created_at,
            )
            for e in report.events.select_related("org", "actor", "target_org").order_by("created_at", "id")
        ],
        verifications=[
            VerificationOut(
                org_name=v.handling.org.name,
                conclusion=v.conclusion,
                conclusion_label=v.get_conclusion_display(),
                summary=v.summary,
                decision=v.decision,
                penalty_amount=v.penalty_amount,
                rectification=v.rectification,
                returned_reason=v.returned_reason,
                created_at=v.created_at,
            )
            for v in report.verifications.select_related("handling__org")
        ],
        attachments=[
            AttachmentOut(
                name=a.display_name,
                stage=a.stage,
                content_type=a.content_type,
                size=a.size,
                url=reverse("reports:attachment", args=[report.pk, a.token]),
            )
            for a in report.attachments.all()
        ],
    )


# ---- list and detail ----------------------------------------------------------------------


class ReportListQuery(Schema):
    scope: Literal["todo", "all", "closed", "unaccepted", "rewards"] = "all"
    q: str = ""
    unit: str = ""
    problem_type: str = ""
    industry: str = ""
    channel: str = ""
    region: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    deadline: Literal["", "normal", "soon", "overdue"] = ""
    status: str = Field("", max_length=16)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


def _catalog(model, code: str, label: str):
    if not code:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise HttpError(400, f"{label}代码不存在：{code}")
    return obj


def _check_dates(filters: ReportListQuery) -> None:
    """The same window as the list pages' form (apps.reports.filters)."""
    for name in ("date_from", "date_to"):
        problem = filter_date_error(getattr(filters, name))
        if problem:
            raise HttpError(400, f"{name}：{problem}")


@router.get(
    "", operation_id="report_list", response={200: ReportListOut, **ACTION_ERRORS}, summary="举报单列表"
)
def api_report_list(request, filters: Query[ReportListQuery]):
    user = api_user(request)
    if filters.status and filters.status not in Report.Status.values:
        raise HttpError(400, "状态取值不正确。")
    _check_dates(filters)
    data = {
        "q": filters.q[:40],
        "unit": filters.unit[:100],
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "deadline": filters.deadline,
        "status": filters.status,
        "problem_type": _catalog(ProblemType, filters.problem_type, "问题类型"),
        "industry": _catalog(Industry, filters.industry, "行业"),
        "channel": _catalog(Channel, filters.channel, "举报形式"),
        "region": _catalog(Region, filters.region, "行政区划"),
    }
    today = timezone.localdate()
    if filters.scope == "todo":
        qs = apply_report_filters(selectors.worklist_for(user), data, prefix="report__")
        rows = list(qs[filters.offset : filters.offset + filters.limit])
        return {"count": qs.count(), "items": [_item(h.report, hop_badge(h, today), hop=h) for h in rows]}
    if filters.scope == "all":
        qs = selectors.all_reports_for(user, data)
    else:
        source = {
            "closed": selectors.closed_reports_for,
            "unaccepted": selectors.unaccepted_reports_for,
            "rewards": selectors.pending_rewards_for,
        }[filters.scope]
        qs = apply_report_filters(source(user), data)
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return {"count": qs.count(), "items": [_item(r, report_badge(r, today)) for r in rows]}


@router.get(
    "/{int:report_id}",
    operation_id="report_detail",
    response={200: ReportDetailOut, **ACTION_ERRORS},
    summary="举报单详情",
)
def api_report_detail(request, report_id: int):
    return _detail(request, _report(request, report_id))


# ---- create -------------------------------------------------------------------------------


class ReporterIn(Schema):
    name: str = Field(max_length=50)
    phone: str = Field(max_length=20)
    id_number: str = Field("", max_length=18)


class ReportCreateIn(Schema):
    channel: str = Field(description="举报形式代码，如 letter、visit、fax、phone、hotline_12350")
    region: str = Field(description="举报事项所在地的行政区划代码")
    problem_type: str
    industry: str
    reported_unit_name: str = Field(max_length=200)
    reported_unit_address: str = Field("", max_length=200)
    address: str = Field("", max_length=200)
    occurred_on: dt.date | None = None
    description: str = Field(max_length=5000)
    received_on: dt.date | None = None
    reporter: ReporterIn | None = Field(None, description="实名举报的举报人；匿名举报不填")
    idempotency_key: str | None = Field(
        None, max_length=40, description="重试同一请求时使用同一值，不会重复录入"
    )


class ReportCreatedOut(Schema):
    id: int
    number: str
    receipt_code: str | None = Field(description="举报编码，只返回这一次；重复请求时为空")


@router.post(
    "",
    operation_id="report_create",
    response={201: ReportCreatedOut, 200: ReportCreatedOut, **ACTION_ERRORS},
    summary="新建举报（工作人员录入）",
)
def api_report_create(request, payload: ReportCreateIn):
    user = api_user(request)
    region = Region.objects.filter(code=payload.region).first()
    if region is None:
        raise HttpError(400, f"行政区划代码不存在：{payload.region}")
    content = ReportContent(
        channel=_catalog(Channel, payload.channel, "举报形式"),
        region=region,
        problem_type=_catalog(ProblemType, payload.problem_type, "问题类型"),
        industry=_catalog(Industry, payload.industry, "行业"),
        reported_unit_name=payload.reported_unit_name,
        description=payload.description,
        reported_unit_address=payload.reported_unit_address,
        address=payload.address,
        occurred_on=payload.occurred_on,
    )
    reporter = None
    if payload.reporter is not None:
        reporter = ReporterIdentity(
            name=payload.reporter.name, phone=payload.reporter.phone, id_number=payload.reporter.id_number
        )
    key = f"api-{user.pk}-{payload.idempotency_key}" if payload.idempotency_key else None
    report, code = run_action(
        report_enter,
        actor=user,
        content=content,
        reporter=reporter,
        received_on=payload.received_on,
        idempotency_key=key,
    )
    return Status(201 if code else 200, {"id": report.pk, "number": report.number, "receipt_code": code})


# ---- workflow actions ----------------------------------------------------------------------


def _act(request, report_id: int, action, payload: Schema) -> ReportDetailOut:
    """Run a workflow action on the report. Each payload's fields are the action's keyword
    arguments, by name, so the API takes exactly what the action takes."""
    report = run_action(
        action, actor=api_user(request), report=_report(request, report_id), **payload.model_dump()
    )
    return _detail(request, report)


class AcceptIn(Schema):
    comment: str = Field("", max_length=1000)
    notify_reporter: bool = False


class DeferIn(Schema):
    missing: str = Field(max_length=500, description="需举报人补正的全部内容")
    notify_reporter: bool = True


class RejectIn(Schema):
    reason: Literal["no_evidence", "duplicate", "not_our_duty"]
    detail: str = Field("", max_length=1000)
    duplicate_of: int | None = Field(
        None, description="重复举报时，原举报单的 id（须已受理、核查中或已办结）"
    )
    referred_department: str = Field("", max_length=100)
    notify_reporter: bool = True


class ReasonIn(Schema):
    reason: str = Field(max_length=1000)


class DispatchIn(Schema):
    target_org: int = Field(description="内设机构或直属下级机构的 id")
    comment: str = Field("", max_length=1000)


class FeedbackIn(Schema):
    conclusion: Literal["", "true", "partly_true", "false"] = ""
    summary: str = Field("", max_length=5000)
    decision: str = Field("", max_length=2000)
    penalty_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    rectification: str = Field("", max_length=2000)
    comment: str = Field("", max_length=1000)


class CloseIn(Schema):
    conclusion: Literal["true", "partly_true", "false"]
    summary: str = Field(max_length=5000)
    decision: str = Field("", max_length=2000)
    penalty_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    rectification: str = Field("", max_length=2000)
    reward_status: Literal["none", "pending", "paid"] = "none"
    reward_amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    reward_paid_on: dt.date | None = None
    notify_reporter: bool = False
    comment: str = Field("", max_length=1000)


class RewardIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    paid_on: dt.date | None = None
    comment: str = Field("", max_length=1000)


DETAIL = {200: ReportDetailOut, **ACTION_ERRORS}


@router.post("/{int:report_id}/accept", operation_id="report_accept", response=DETAIL, summary="受理")
def api_report_accept(request, report_id: int, payload: AcceptIn):
    return _act(request, report_id, report_accept, payload)


@router.post(
    "/{int:report_id}/defer", operation_id="report_defer", response=DETAIL, summary="暂不受理（待补正）"
)
def api_report_defer(request, report_id: int, payload: DeferIn):
    return _act(request, report_id, report_defer, payload)


@router.post("/{int:report_id}/reject", operation_id="report_reject", response=DETAIL, summary="不予受理")
def api_report_reject(request, report_id: int, payload: RejectIn):
    return _act(request, report_id, report_reject, payload)


@router.post(
    "/{int:report_id}/hand-back",
    operation_id="report_hand_back",
    response=DETAIL,
    summary="退回上级（下级机构）",
)
def api_report_hand_back(request, report_id: int, payload: ReasonIn):
    return _act(request, report_id, report_hand_back, payload)


@router.post(
    "/{int:report_id}/dispatch", operation_id="report_dispatch", response=DETAIL, summary="转办本系统"
)
def api_report_dispatch(request, report_id: int, payload: DispatchIn):
    return _act(request, report_id, report_dispatch, payload)


@router.post("/{int:report_id}/feedback", operation_id="report_feedback", response=DETAIL, summary="核查反馈")
def api_report_feedback(request, report_id: int, payload: FeedbackIn):
    return _act(request, report_id, report_feedback, payload)


@router.post("/{int:report_id}/return", operation_id="report_return", response=DETAIL, summary="退回重新核查")
def api_report_return(request, report_id: int, payload: ReasonIn):
    return _act(request, report_id, report_return, payload)


@router.post("/{int:report_id}/close", operation_id="report_close", response=DETAIL, summary="办结")
def api_report_close(request, report_id: int, payload: CloseIn):
    return _act(request, report_id, report_close, payload)


@router.post(
    "/{int:report_id}/reward",
    operation_id="report_reward_record",
    response=DETAIL,
    summary="录入奖励兑现情况",
)
def api_report_reward_record(request, report_id: int, payload: RewardIn):
    return _act(request, report_id, report_reward_record, payload)

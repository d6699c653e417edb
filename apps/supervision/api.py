"""延期申请, 延期审批 and 督办 over the JSON API, calling the same actions as the pages."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status

from apps.reports.api_auth import api_auth, api_user
from apps.reports.api_errors import ACTION_ERRORS, get_or_404, run_action
from apps.reports.selectors import report_get_for_user_or_404
from apps.supervision import selectors
from apps.supervision.actions import report_extension_decide, report_extension_request, report_supervise
from apps.supervision.models import ExtensionRequest, Supervision

router = Router(auth=api_auth, tags=["督办与延期"])


class ExtensionRequestIn(Schema):
    days: int
    reason: str


class ExtensionDecisionIn(Schema):
    approve: bool
    comment: str = ""


class SuperviseIn(Schema):
    comment: str
    due_date: dt.date


class ExtensionOut(Schema):
    id: int
    report_id: int
    requesting_org: str
    approver_org: str
    days: int
    reason: str
    state: str
    state_label: str
    due_before: dt.date
    due_after: dt.date | None
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_comment: str

    @staticmethod
    def from_model(ext: ExtensionRequest) -> ExtensionOut:
        return ExtensionOut(
            id=ext.pk,
            report_id=ext.report_id,
            requesting_org=ext.requesting_org.name,
            approver_org=ext.approver_org.name,
            days=ext.days,
            reason=ext.reason,
            state=ext.state,
            state_label=ext.get_state_display(),
            due_before=ext.due_before,
            due_after=ext.due_after,
            created_at=ext.created_at,
            decided_at=ext.decided_at,
            decision_comment=ext.decision_comment,
        )


class SupervisionOut(Schema):
    id: int
    report_id: int
    stage: str
    stage_label: str
    deadline: dt.date
    supervising_org: str
    supervised_org: str
    comment: str
    due_date: dt.date
    created_at: dt.datetime

    @staticmethod
    def from_model(sup: Supervision) -> SupervisionOut:
        return SupervisionOut(
            id=sup.pk,
            report_id=sup.report_id,
            stage=sup.stage,
            stage_label=selectors.supervision_stage_label(sup),
            deadline=sup.deadline,
            supervising_org=sup.supervising_org.name,
            supervised_org=sup.supervised_org.name,
            comment=sup.comment,
            due_date=sup.due_date,
            created_at=sup.created_at,
        )


@router.post(
    "/reports/{int:report_id}/extension-requests",
    operation_id="report_extension_request",
    response={201: ExtensionOut, **ACTION_ERRORS},
    summary="申请延期",
)
def api_extension_request(request, report_id: int, payload: ExtensionRequestIn):
    user = api_user(request)
    report = get_or_404(report_get_for_user_or_404, user, report_id)
    ext = run_action(
        report_extension_request, actor=user, report=report, reason=payload.reason, days=payload.days
    )
    return Status(201, ExtensionOut.from_model(ext))


@router.post(
    "/extension-requests/{int:extension_id}/decision",
    operation_id="report_extension_decide",
    response={200: ExtensionOut, **ACTION_ERRORS},
    summary="审批延期申请",
)
def api_extension_decide(request, extension_id: int, payload: ExtensionDecisionIn):
    user = api_user(request)
    extension = get_or_404(selectors.extension_get_for_user_or_404, user, extension_id)
    ext = run_action(
        report_extension_decide,
        actor=user,
        extension=extension,
        approve=payload.approve,
        comment=payload.comment,
    )
    return ExtensionOut.from_model(ext)


@router.post(
    "/reports/{int:report_id}/supervisions",
    operation_id="report_supervise",
    response={201: SupervisionOut, **ACTION_ERRORS},
    summary="督办",
)
def api_supervise(request, report_id: int, payload: SuperviseIn):
    user = api_user(request)
    report = get_or_404(report_get_for_user_or_404, user, report_id)
    sup = run_action(
        report_supervise, actor=user, report=report, comment=payload.comment, due_date=payload.due_date
    )
    return Status(201, SupervisionOut.from_model(sup))

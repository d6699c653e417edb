"""Every staff action refused to everyone it is not for: a neighbouring org, the superior org where
the step is not its own, another province, the 审计管理员, and a 内设机构 that may not act for its
parent. A refusal names the reason in Chinese, writes no 流转记录 row, leaves no message and
queues no SMS, through the action and through the API alike."""

from dataclasses import dataclass

import pytest
from django.test import Client

from apps.inbox.models import Message
from apps.reports.actions.accept import report_accept, report_defer, report_hand_back, report_reject
from apps.reports.actions.close import report_close, report_reward_record
from apps.reports.actions.dispatch import report_dispatch
from apps.reports.actions.feedback import report_feedback, report_return
from apps.reports.errors import InvalidTransition, PermissionDeniedForAction
from apps.reports.models import Report, ReportEvent
from apps.reports.tokens import issue_api_token
from apps.sms.models import SmsOutbox
from tests.reports.helpers import chain_to_jinshui, new_report, run_to_verifying, verify

pytestmark = pytest.mark.django_db


# ---- the state each action starts from (the real actions get the report there) ----------


def pending_here(world):
    """金水区 received it: its first hop, 待受理."""
    return new_report(world)


def handed_down(world):
    """河南省 → 郑州市 → 金水区, 待受理 at 金水区; 郑州市's hop 已转办待反馈."""
    return chain_to_jinshui(world)


def accepted_below(world):
    report = chain_to_jinshui(world)
    return report_accept(actor=world.users.jinshui, report=report)


def verifying_below(world):
    report = accepted_below(world)
    return report_dispatch(actor=world.users.jinshui, report=report, target_org=world.orgs.jinshui_dept)


def reviewing_below(world):
    return verify(world, verifying_below(world))


def reviewing_here(world):
    """金水区 first accepted it; its 内设机构 fed the result back (待审核反馈 at 金水区)."""
    return verify(world, run_to_verifying(world))


def closed_reward_pending(world):
    report = reviewing_here(world)
    return report_close(
        actor=world.users.jinshui,
        report=report,
        conclusion="true",
        summary="核查属实",
        reward_status="pending",
    )


@dataclass(frozen=True)
class Action:
    function: object
    path: str  # under /api/v1/reports/{id}/
    label: str  # the verb in the refusal: "不能{label}"
    setup: object
    owner: str  # who may do it (checked, so a refusal is never an artefact of the setup)
    kwargs: object  # world -> the action's keyword arguments, also the API's JSON body


ACTIONS = {
    "defer": Action(
        report_defer, "defer", "暂不受理", pending_here, "jinshui",
        lambda w: {"missing": "现场照片", "notify_reporter": True},
    ),
    "reject": Action(
        report_reject, "reject", "不予受理", pending_here, "jinshui",
        lambda w: {"reason": "no_evidence", "detail": "现场照片", "notify_reporter": True},
    ),
    "hand_back": Action(
        report_hand_back, "hand-back", "退回上级", handed_down, "jinshui",
        lambda w: {"reason": "不在本区辖区"},
    ),
    "accept": Action(
        report_accept, "accept", "受理", handed_down, "jinshui",
        lambda w: {"notify_reporter": True},
    ),
    "dispatch": Action(
        report_dispatch, "dispatch", "转办", accepted_below, "jinshui",
        lambda w: {"target_org": w.orgs.jinshui_dept.pk},
    ),
    "feedback": Action(
        report_feedback, "feedback", "反馈", verifying_below, "jinshui_dept",
        lambda w: {"conclusion": "true", "summary": "现场检查属实"},
    ),
    "return": Action(
        report_return, "return", "退回重新核查", reviewing_below, "jinshui",
        lambda w: {"reason": "未附处罚决定书"},
    ),
    "close": Action(
        report_close, "close", "办结", reviewing_here, "jinshui",
        lambda w: {"conclusion": "true", "summary": "核查属实", "notify_reporter": True},
    ),
    "reward_record": Action(
        report_reward_record, "reward", "录入奖励兑现情况", closed_reward_pending, "jinshui",
        lambda w: {"amount": "5000"},
    ),
}  # fmt: skip

NOT_HANDLER = "not_handler"  # PermissionDeniedForAction: no hop of the actor's org
WRONG_STATE = "wrong_state"  # InvalidTransition: the actor's hop is not at this step
AUDITOR = "auditor"  # PermissionDeniedForAction: 三员分立


# (action, actor, refusal, API status). The API answers 404 where the report is outside the
# actor's jurisdiction ("not yours" is "does not exist"), else the action's 403 or 409.
OUTSIDERS = [("zhongyuan", NOT_HANDLER, 404), ("hebei", NOT_HANDLER, 404), ("auditor", AUDITOR, 404)]
SUPERIOR = {
    # 郑州市 sees 金水区's reports but has no hop in one 金水区 received itself...
    "defer": ("zhengzhou", NOT_HANDLER, 403),
    "reject": ("zhengzhou", NOT_HANDLER, 403),
    "close": ("zhengzhou", NOT_HANDLER, 403),
    "reward_record": ("zhengzhou", NOT_HANDLER, 403),
    # ...and in one it passed down, its own hop is waiting for 金水区's answer.
    "hand_back": ("zhengzhou", WRONG_STATE, 409),
    "accept": ("zhengzhou", WRONG_STATE, 409),
    "dispatch": ("zhengzhou", WRONG_STATE, 409),
    "feedback": ("zhengzhou", WRONG_STATE, 409),
    "return": ("zhengzhou", WRONG_STATE, 409),
}
DEPARTMENT = {
    # A 内设机构 never acts for its parent org (the reverse is allowed).
    "defer": ("jinshui_dept", NOT_HANDLER, 404),
    "reject": ("jinshui_dept", NOT_HANDLER, 404),
    "hand_back": ("jinshui_dept", NOT_HANDLER, 404),
    "accept": ("jinshui_dept", NOT_HANDLER, 404),
    "dispatch": ("jinshui_dept", NOT_HANDLER, 404),
    # The verifying department is 金水区's; 郑州市's own department has nothing to feed back.
    "feedback": ("zhengzhou_dept", NOT_HANDLER, 404),
    # The department that verified has fed back: reviewing and closing are its org's.
    "return": ("jinshui_dept", WRONG_STATE, 409),
    "close": ("jinshui_dept", WRONG_STATE, 409),
    "reward_record": ("jinshui_dept", WRONG_STATE, 409),
}
CASES = [
    pytest.param(action, *case, id=f"{action}-{case[0]}")
    for action in ACTIONS
    for case in [*OUTSIDERS, SUPERIOR[action], DEPARTMENT[action]]
]


def expected_error(refusal: str, action: Action) -> tuple[type, str]:
    return {
        NOT_HANDLER: (PermissionDeniedForAction, f"您所在单位不是该举报单的办理单位，不能{action.label}。"),
        WRONG_STATE: (InvalidTransition, f"不能{action.label}"),
        AUDITOR: (PermissionDeniedForAction, "审计管理员不能办理举报。"),
    }[refusal]


def snapshot(report: Report):
    """Everything a refused action must leave as it was."""
    report = Report.objects.get(pk=report.pk)
    return (
        report.status,
        report.reward_status,
        sorted(report.handlings.values_list("pk", "state")),
        ReportEvent.objects.count(),
        Message.objects.count(),
        SmsOutbox.objects.count(),
    )


@pytest.mark.parametrize("name", ACTIONS)
def test_the_rightful_user_may(world, name):
    action = ACTIONS[name]
    report = action.setup(world)
    events_before = ReportEvent.objects.count()
    action.function(actor=getattr(world.users, action.owner), report=report, **action.kwargs(world))
    assert ReportEvent.objects.count() == events_before + 1


@pytest.mark.parametrize("name, actor, refusal, api_status", CASES)
def test_refused_with_the_reason_and_nothing_written(world, name, actor, refusal, api_status):
    action = ACTIONS[name]
    report = action.setup(world)
    before = snapshot(report)
    error, message = expected_error(refusal, action)
    with pytest.raises(error) as refused:
        action.function(actor=getattr(world.users, actor), report=report, **action.kwargs(world))
    assert type(refused.value) is error and message in refused.value.message
    assert snapshot(report) == before


@pytest.mark.parametrize("name, actor, refusal, api_status", CASES)
def test_refused_through_the_api(world, name, actor, refusal, api_status):
    action = ACTIONS[name]
    report = action.setup(world)
    token = issue_api_token(user=getattr(world.users, actor))
    before = snapshot(report)
    response = Client().post(
        f"/api/v1/reports/{report.pk}/{action.path}",
        data=action.kwargs(world),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == api_status
    detail = response.json()["detail"]
    if api_status == 404:
        assert detail == "举报单不存在"
    else:
        assert expected_error(refusal, action)[1] in detail
    assert snapshot(report) == before

"""Allowed state changes, as data (house style 2).

Each workflow action names the hop states it may start from and the state it leaves the hop in,
plus the same for the report as a whole. Actions look their row up here and raise
InvalidTransition with a Chinese sentence when the current state is not listed; pages and the
API use the same table to decide which buttons to offer.

How a report moves between organisations (one Handling row per org it passes through):

* The receiving org's hop starts PENDING. 受理 → ACCEPTED. Only the first hop (the org that
  received the report from the public or entered it) may 暂不受理 / 不予受理: those decisions
  end the report and tell the reporter, and only that org holds the reporter's phone number.
* 转办 from ACCEPTED: to an 内设机构 of the same org the child hop starts VERIFYING; to a direct
  subordinate org it starts PENDING, and the subordinate decides within 3 working days to 受理
  (ACCEPTED, then it dispatches in turn) or to 退回上级 with a reason (HANDED_BACK; the parent
  hop returns to ACCEPTED with a fresh 3-day dispatch clock and may handle the report at its own
  level or send it elsewhere). A subordinate never rejects a report its superior accepted.
* 反馈 goes up one hop at a time: the verifying hop (VERIFYING, with a verification result) or a
  middle hop (REVIEWING, passing the result on) → FED_BACK, and its parent DISPATCHED → REVIEWING.
* 退回重新核查: a REVIEWING parent sends the result back: parent → DISPATCHED, the child FED_BACK
  → VERIFYING (it verified) or REVIEWING (it only passed the result on, and may return it further
  down in turn).
* 办结 only by the first hop (the org that first accepted the report), from REVIEWING.
"""

from dataclasses import dataclass
from enum import StrEnum

from apps.reports.errors import InvalidTransition
from apps.reports.models import Handling, Report

S = Handling.State
R = Report.Status


class HopScope(StrEnum):
    ANY = "any"
    ROOT = "root"  # only the report's first hop (receiving / first accepting org)
    CHILD = "child"  # only a hop that was dispatched from a parent hop


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the verb in messages: "不能{label}"
    hop_from: frozenset[str]
    hop_to: str
    report_from: frozenset[str]
    report_to: str | None  # None: the report's status is left as it is
    scope: HopScope = HopScope.ANY
    scope_message: str = ""


def _t(action, label, hop_from, hop_to, report_from, report_to, scope=HopScope.ANY, scope_message=""):
    return Transition(
        action, label, frozenset(hop_from), hop_to, frozenset(report_from), report_to, scope, scope_message
    )


_ROOT_ONLY_DECISION = "该举报单由上级单位转办，本单位只能受理或退回上级，不能作出暂不受理或不予受理决定。"

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        # The report's status changes only at its first acceptance (the root hop); a subordinate
        # accepting a dispatched report leaves it as it is (see ROOT_ONLY_REPORT_CHANGE).
        _t("accept", "受理", {S.PENDING, S.DEFERRED}, S.ACCEPTED, {R.RECEIVED, R.DEFERRED}, R.ACCEPTED),
        _t(
            "defer",
            "暂不受理",
            {S.PENDING},
            S.DEFERRED,
            {R.RECEIVED},
            R.DEFERRED,
            HopScope.ROOT,
            _ROOT_ONLY_DECISION,
        ),
        _t(
            "reject",
            "不予受理",
            {S.PENDING, S.DEFERRED},
            S.REJECTED,
            {R.RECEIVED, R.DEFERRED},
            R.REJECTED,
            HopScope.ROOT,
            _ROOT_ONLY_DECISION,
        ),
        _t("supplement", "补正", {S.DEFERRED}, S.PENDING, {R.DEFERRED}, R.RECEIVED, HopScope.ROOT),
        _t(
            "hand_back",
            "退回上级",
            {S.PENDING},
            S.HANDED_BACK,
            {R.ACCEPTED, R.VERIFYING},
            None,
            HopScope.CHILD,
            "本单位是该举报单的接收单位，没有可退回的上级单位；不属于本单位办理的请作不予受理处理。",
        ),
        _t("dispatch", "转办", {S.ACCEPTED}, S.DISPATCHED, {R.ACCEPTED, R.VERIFYING}, R.VERIFYING),
        _t(
            "feedback",
            "反馈",
            {S.VERIFYING, S.REVIEWING},
            S.FED_BACK,
            {R.VERIFYING},
            None,
            HopScope.CHILD,
            "本单位是最先受理该举报的单位，核查结果无需再向上反馈，请直接办结。",
        ),
        _t("return", "退回重新核查", {S.REVIEWING}, S.DISPATCHED, {R.VERIFYING}, None),
        _t(
            "close",
            "办结",
            {S.REVIEWING},
            S.CLOSED,
            {R.VERIFYING},
            R.CLOSED,
            HopScope.ROOT,
            "只有最先受理该举报的单位可以办结，请将核查结果反馈给上级单位。",
        ),
        # Recording a reward paid after closing (工作要求 六) changes no state; listed so that the
        # same table answers who may do it and when.
        _t(
            "reward_record",
            "录入奖励兑现情况",
            {S.CLOSED},
            S.CLOSED,
            {R.CLOSED},
            R.CLOSED,
            HopScope.ROOT,
            "只有办结该举报的单位可以录入奖励兑现情况。",
        ),
    ]
}

ROOT_ONLY_REPORT_CHANGE = frozenset({"accept"})

# The hop on the other end of an action moves too; listed here so the whole table is in one place.
PARENT_ON_FEEDBACK = ({S.DISPATCHED}, S.REVIEWING)
PARENT_ON_HAND_BACK = ({S.DISPATCHED}, S.ACCEPTED)
CHILD_ON_RETURN = ({S.FED_BACK}, (S.VERIFYING, S.REVIEWING))

# States in which a hop is waiting for its own org to act (待办), and the ones that only wait
# for someone else. DEFERRED waits for the reporter and is listed under 未受理举报单.
ACTIONABLE_STATES = (S.PENDING, S.ACCEPTED, S.VERIFYING, S.REVIEWING)
WORKLIST_STATES = (S.PENDING, S.ACCEPTED, S.DISPATCHED, S.VERIFYING, S.REVIEWING)


def transition_for(action: str) -> Transition:
    return TRANSITIONS[action]


def hop_allows(action: str, hop: Handling) -> bool:
    t = TRANSITIONS[action]
    if hop.state not in t.hop_from:
        return False
    if t.scope == HopScope.ROOT and hop.parent_id is not None:
        return False
    return not (t.scope == HopScope.CHILD and hop.parent_id is None)


def check_hop(action: str, hop: Handling) -> Transition:
    """Raise InvalidTransition unless `action` may start from this hop."""
    t = TRANSITIONS[action]
    if hop.state not in t.hop_from:
        raise InvalidTransition(f"该举报单在本单位的办理状态为“{hop.get_state_display()}”，不能{t.label}。")
    if t.scope == HopScope.ROOT and hop.parent_id is not None:
        raise InvalidTransition(t.scope_message or f"只有接收该举报的单位可以{t.label}。")
    if t.scope == HopScope.CHILD and hop.parent_id is None:
        raise InvalidTransition(t.scope_message or f"该环节不能{t.label}。")
    return t


def check_report(action: str, report: Report) -> Transition:
    t = TRANSITIONS[action]
    if report.status not in t.report_from:
        raise InvalidTransition(f"该举报单当前状态为“{report.get_status_display()}”，不能{t.label}。")
    return t

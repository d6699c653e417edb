"""Allowed spot-check steps, as data (house style 2).

    审查 (review)   by the checking org:  待审查 → 合格 (finished) | 待整改
    整改 (rectify)  by the checked org:   待整改 → 待核查
    核查 (verify)   by the checking org:  待核查 → 整改通过 (finished) | 待整改 (again, new opinion)

Actions look their step up here and raise InvalidTransition with a Chinese sentence when the item
is not in a state the step starts from; pages and the API use the same table to offer buttons.
"""

from dataclasses import dataclass
from enum import StrEnum

from apps.reports.errors import InvalidTransition
from apps.spotchecks.models import SpotCheckItem

S = SpotCheckItem.State


class Side(StrEnum):
    CHECKING = "checking"  # the org that ran the draw (上级)
    CHECKED = "checked"  # the org that closed the report (下级)


@dataclass(frozen=True)
class Step:
    action: str
    label: str
    side: Side
    item_from: frozenset[str]
    outcomes: dict[str, str]  # outcome → the item's new state


STEPS: dict[str, Step] = {
    step.action: step
    for step in [
        Step("review", "抽检审查", Side.CHECKING, frozenset({S.REVIEWING}),
             {"qualified": S.PASSED, "unqualified": S.RECTIFYING}),
        Step("rectify", "整改", Side.CHECKED, frozenset({S.RECTIFYING}), {"submitted": S.VERIFYING}),
        Step("verify", "核查", Side.CHECKING, frozenset({S.VERIFYING}),
             {"passed": S.CORRECTED, "failed": S.RECTIFYING}),
    ]
}


def step_for(action: str) -> Step:
    return STEPS[action]


def check_step(action: str, item: SpotCheckItem, outcome: str) -> str:
    """The item's next state; InvalidTransition when the step cannot start from its state."""
    step = STEPS[action]
    if item.state not in step.item_from:
        raise InvalidTransition(f"该抽检事项当前状态为“{item.get_state_display()}”，不能{step.label}。")
    return step.outcomes[outcome]


def item_allows(action: str, item: SpotCheckItem) -> bool:
    return item.state in STEPS[action].item_from

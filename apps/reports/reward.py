"""举报奖励 hint following 《安全生产领域举报奖励办法》 (安监总财〔2018〕19号).

* 重大事故隐患 and 安全生产违法行为: 15% of the fine (行政处罚金额), at least ¥3,000 and at most
  ¥300,000.
* 瞒报、谎报生产安全事故: per concealed death, ¥30,000 (一般事故), ¥40,000 (较大), ¥50,000 (重大),
  ¥60,000 (特别重大), at most ¥300,000.

This is a hint for the person closing the report; the amount recorded is theirs to decide.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from apps.catalogs.models import ProblemType

FINE_RATE = Decimal("0.15")
FINE_MIN = Decimal("3000")
REWARD_MAX = Decimal("300000")

ACCIDENT_GRADES = {
    "ordinary": ("一般事故", Decimal("30000")),
    "larger": ("较大事故", Decimal("40000")),
    "major": ("重大事故", Decimal("50000")),
    "extraordinary": ("特别重大事故", Decimal("60000")),
}


@dataclass(frozen=True)
class RewardHint:
    amount: Decimal | None
    explanation: str


def reward_hint(
    *,
    basis: str,
    penalty_amount: Decimal | None = None,
    concealed_deaths: int | None = None,
    accident_grade: str = "",
) -> RewardHint:
    if basis == ProblemType.RewardBasis.FINE:
        if penalty_amount is None or penalty_amount <= 0:
            return RewardHint(None, "按行政处罚金额的15%计算，最低3000元，最高30万元；请先填写处罚金额。")
        raw = (penalty_amount * FINE_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        amount = min(max(raw, FINE_MIN), REWARD_MAX)
        note = ""
        if raw < FINE_MIN:
            note = "，低于最低奖励按3000元计"
        elif raw > REWARD_MAX:
            note = "，超过最高奖励按30万元计"
        return RewardHint(amount, f"处罚金额 {penalty_amount:,.2f} 元 × 15% = {raw:,.2f} 元{note}。")
    if basis == ProblemType.RewardBasis.CONCEALED_DEATHS:
        grade = ACCIDENT_GRADES.get(accident_grade)
        if grade is None or not concealed_deaths or concealed_deaths <= 0:
            return RewardHint(
                None,
                "按瞒报死亡人数计算：一般、较大、重大、特别重大事故每瞒报1人分别奖励3万、"
                "4万、5万、6万元，最高30万元；请选择事故等级并填写瞒报死亡人数。",
            )
        label, per_death = grade
        raw = per_death * concealed_deaths
        amount = min(raw, REWARD_MAX)
        note = "，超过最高奖励按30万元计" if raw > REWARD_MAX else ""
        return RewardHint(
            amount, f"{label}瞒报死亡 {concealed_deaths} 人 × {per_death:,.0f} 元 = {raw:,.0f} 元{note}。"
        )
    return RewardHint(None, "该问题类型不适用奖励计算标准，请根据实际情况确定。")

"""What a report counts for, in one vocabulary shared by the three ways of counting it.

A *measure* is a (dim, key) pair; every report contributes an integer to a handful of them:

    n   ""                  1 (the report itself)
    ch  channel id          1            pt  problem type id   1
    in  industry id         1            st  status            1
    cc  conclusion          1 when closed with a conclusion (true / partly_true / false)
    rw  reward status       1 when pending or paid
    due YYYY-MM-DD          1 while the report runs on a clock (待受理: accept_due; 已受理/核查中:
                            result_due); "overdue" is then `due < today`, exact at any moment
    k   acc                 1 when accepted
        acc3                1 when accepted no later than accept_due (3 working days)
        cwn                 1 when closed after acceptance
        cot                 1 when closed no later than result_due (60 working days + extension)
        cwd                 working days from acceptance to closing
        rwf                 reward paid, in fen        pnf   penalty, in fen
        dsp / dsp3          per handling hop: 1 when dispatched / dispatched by dispatch_due

The contribution lands on the report's received day (Beijing time) and on every region of its
chain: 全国 ("100000"), province, city, county; and on 全国 and its province for its industry
(`industry_chain`). The three ways of counting:

* `report_items` / `hop_items`: in Python, for one row; apps.stats.maintain applies the
  difference before and after each change to the cells, in the same transaction.
* `families`: the same as ORM GROUP BYs on the reports table; used for the raw figures
  (edges of a period the day cells do not cover, industry-restricted scopes, checks, bench) and,
  wrapped in INSERT … SELECT, by apps.stats.rebuild.
* apps.stats.queries sums the cells.

tests/stats/test_consistency.py checks that all three agree on random data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.regions.codes import NATION_CODE
from apps.reports.models import Handling, Report
from apps.stats.models import Workday
from apps.workcalendar.calendar import working_days_between

S = Report.Status

N, CH, PT, IN, ST, CC, RW, DUE, K = "n", "ch", "pt", "in", "st", "cc", "rw", "due", "k"
CATEGORICAL = {
    CH: "channel_id",
    PT: "problem_type_id",
    IN: "industry_id",
    ST: "status",
    CC: "conclusion",
    RW: "reward_status",
}
K_REPORT = ("acc", "acc3", "cwn", "cot", "cwd", "rwf", "pnf")
K_HOP = ("dsp", "dsp3")
ALL_DIMS = (N, CH, PT, IN, ST, CC, RW, DUE, K)

# Statuses whose deadline clock runs, and the field holding it (as apps.reports.deadlines).
DUE_FIELD = {S.RECEIVED: "accept_due", S.ACCEPTED: "result_due", S.VERIFYING: "result_due"}

# The report fields a contribution depends on: saves that touch none of them change nothing.
REPORT_FIELDS = (
    "region_id",
    "received_at",
    "channel_id",
    "problem_type_id",
    "industry_id",
    "status",
    "accepted_at",
    "accept_due",
    "closed_at",
    "result_due",
    "conclusion",
    "reward_status",
    "reward_amount",
    "penalty_amount",
)
HOP_FIELDS = ("report_id", "dispatched_at", "dispatch_due")

# Day cells are kept for 全国 and provinces (every measure, all time) and cities (the total, all
# time): enough for the screen's panels and the national/provincial tables at day precision. Below
# that, day cells exist only for the recent past (RECENT_DAYS): ranges usually end today, so the
# partial month at the end of a range is read from cells at every level, and an older partial
# month is counted on the reports table (a few hundred rows). Maintenance and rebuild keep them a
# week longer than queries use them, so a cell is never read while it may be incomplete.
DAY_LEVEL_ALL = 1
DAY_LEVEL_TOTAL = 2
RECENT_DAYS = 100
RECENT_KEEP_DAYS = RECENT_DAYS + 7


def always_has_day_cells(level: int, dim: str) -> bool:
    return level <= DAY_LEVEL_ALL or (level == DAY_LEVEL_TOTAL and dim == N)


def recent_since(today: dt.date | None = None, *, keep: bool = False) -> dt.date:
    """The first day with day cells at every level: for reading (keep=False) or writing."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=RECENT_KEEP_DAYS if keep else RECENT_DAYS)


def fen(amount) -> int:
    if amount in (None, ""):
        return 0
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return None if value is None else timezone.localdate(value)


@dataclass(frozen=True)
class Node:
    code: str
    parent: str
    level: int  # 0 全国, 1 province, 2 city (or a county-level unit directly under a province), 3 county


# Cells of (place, industry), for the scopes limited to industries (部机关司局, 矿山安监): 全国 and
# every province once per industry, with every measure. Month cells all time; day cells only in
# the recent window, like the levels below province (a partial month further back is counted on
# the reports table). Their levels sit apart from the region levels, so no region roll-up or
# breakdown ever reads them. Node "41i003": the place code's first two digits ("10" for 全国,
# whose code is 100000; a province's code is XX0000), "i", the industry id on three digits.
INDUSTRY_LEVEL = 10  # 全国 × industry; a province × industry is INDUSTRY_LEVEL + 1
MAX_INDUSTRY_ID = 999


INDUSTRY_OWNER_PREFIX = 2  # an industry node's code starts with its place's first two digits


def industry_node(place_code: str, industry_id: int) -> str:
    return f"{place_code[:INDUSTRY_OWNER_PREFIX]}i{int(industry_id):03d}"


def has_industry_cells(industry_id) -> bool:
    return industry_id is not None and 0 < int(industry_id) <= MAX_INDUSTRY_ID


def industry_chain(path: str, industry_id) -> list[Node]:
    """The industry nodes a report of `industry_id` located at Region.path `path` counts in."""
    if not has_industry_cells(industry_id):
        return []
    nation = Node(industry_node(NATION_CODE, industry_id), "", INDUSTRY_LEVEL)
    province = next((c for c in path.split("/") if c), None)
    if province is None:
        return [nation]
    return [nation, Node(industry_node(province, industry_id), nation.code, INDUSTRY_LEVEL + 1)]


def chain_for_path(path: str) -> list[Node]:
    """全国 and every region on a Region.path, top down."""
    codes = [c for c in path.split("/") if c]
    nodes = [Node(NATION_CODE, "", 0)]
    parent = NATION_CODE
    for depth, code in enumerate(codes, start=1):
        nodes.append(Node(code, parent, depth))
        parent = code
    return nodes


def report_items(row) -> Counter:
    """The measures one report contributes to. `row` has the REPORT_FIELDS as attributes."""
    items: Counter = Counter()
    items[(N, "")] += 1
    items[(CH, str(row.channel_id))] += 1
    items[(PT, str(row.problem_type_id))] += 1
    items[(IN, str(row.industry_id))] += 1
    items[(ST, row.status)] += 1
    accepted_day = _local_day(row.accepted_at)
    if accepted_day is not None:
        items[(K, "acc")] += 1
        if row.accept_due is not None and accepted_day <= row.accept_due:
            items[(K, "acc3")] += 1
    if row.status == S.CLOSED:
        closed_day = _local_day(row.closed_at)
        if accepted_day is not None and closed_day is not None:
            items[(K, "cwn")] += 1
            items[(K, "cwd")] += working_days_between(accepted_day, closed_day)
            if row.result_due is not None and closed_day <= row.result_due:
                items[(K, "cot")] += 1
        if row.conclusion:
            items[(CC, row.conclusion)] += 1
        if row.penalty_amount:
            items[(K, "pnf")] += fen(row.penalty_amount)
    if row.reward_status and row.reward_status != Report.RewardStatus.NONE:
        items[(RW, row.reward_status)] += 1
        if row.reward_status == Report.RewardStatus.PAID:
            items[(K, "rwf")] += fen(row.reward_amount)
    due_field = DUE_FIELD.get(row.status)
    due = getattr(row, due_field) if due_field else None
    if due is not None:
        items[(DUE, due.isoformat())] += 1
    return Counter({item: v for item, v in items.items() if v})


def hop_items(row) -> Counter:
    items: Counter = Counter()
    dispatched = _local_day(row.dispatched_at)
    if dispatched is not None:
        items[(K, "dsp")] += 1
        if row.dispatch_due is not None and dispatched <= row.dispatch_due:
            items[(K, "dsp3")] += 1
    return items


# --- The same measures as GROUP BYs on the reports table -------------------------------------


def _rank(day_alias: str):
    return Subquery(
        Workday.objects.filter(day=OuterRef(day_alias)).values("rank")[:1], output_field=IntegerField()
    )


@dataclass(frozen=True)
class Family:
    """One GROUP BY: `qs` yields rows of the group columns, `key` (when `dim_key` is None) and `v`."""

    dim: str
    dim_key: str | None  # the fixed key of a `k` measure, else None: the query has a `key` column
    qs: QuerySet
    decimal_fen: bool = False  # v is an amount in yuan, to convert to fen


def _k_report_specs() -> dict[str, tuple]:
    closed = Q(status=S.CLOSED)
    accepted = Q(accepted_at__isnull=False)
    return {
        "acc": (accepted, Count("id")),
        "acc3": (accepted & Q(accept_due__isnull=False) & Q(_acc_day__lte=F("accept_due")), Count("id")),
        "cwn": (closed & accepted & Q(closed_at__isnull=False), Count("id")),
        "cot": (
            closed
            & accepted
            & Q(closed_at__isnull=False)
            & Q(result_due__isnull=False)
            & Q(_closed_day__lte=F("result_due")),
            Count("id"),
        ),
        "cwd": (closed & accepted & Q(closed_at__isnull=False), Sum(F("_closed_rank") - F("_acc_rank"))),
        "rwf": (Q(reward_status=Report.RewardStatus.PAID), Sum("reward_amount")),
        "pnf": (closed & Q(penalty_amount__isnull=False), Sum("penalty_amount")),
    }


def due_date() -> Case:
    """The date a report's running clock is due (DUE_FIELD), NULL when no clock runs, in SQL."""
    return Case(
        *[When(status=status, then=F(field)) for status, field in DUE_FIELD.items()],
        default=Value(None),
        output_field=DateField(),
    )


def families(
    base: QuerySet, groups: dict[str, object], dims, hop_base: QuerySet | None = None
) -> list[Family]:
    """GROUP BY queries computing `dims` for the reports in `base`, grouped by `groups`
    (alias → expression on Report, e.g. {"node": F("province_code"), "period": TruncMonth(...)})."""
    dims = set(dims)
    names = list(groups)
    grouped = base.order_by().annotate(**groups)
    out: list[Family] = []
    if N in dims:
        out.append(Family(N, "", grouped.values(*names).annotate(v=Count("id"))))
    for dim, field in CATEGORICAL.items():
        if dim not in dims:
            continue
        qs = grouped
        if dim == CC:
            qs = qs.filter(status=S.CLOSED).exclude(conclusion="")
        elif dim == RW:
            qs = qs.exclude(reward_status=Report.RewardStatus.NONE)
        out.append(Family(dim, None, qs.annotate(key=F(field)).values(*names, "key").annotate(v=Count("id"))))
    if DUE in dims:
        qs = grouped.annotate(key=due_date()).exclude(key=None).values(*names, "key").annotate(v=Count("id"))
        out.append(Family(DUE, None, qs))
    if K in dims:
        with_days = grouped.alias(
            _acc_day=TruncDate("accepted_at"),
            _closed_day=TruncDate("closed_at"),
        )
        for key, (condition, aggregate) in _k_report_specs().items():
            qs = with_days
            if key == "cwd":
                qs = qs.alias(_acc_rank=_rank("_acc_day"), _closed_rank=_rank("_closed_day"))
            qs = qs.filter(condition).values(*names).annotate(v=aggregate)
            out.append(Family(K, key, qs, decimal_fen=key in ("rwf", "pnf")))
        # The hops of the reports in `base`: filtered on the joined report when the caller can say
        # how (a subquery over millions of hops is slow), else through the reports' ids.
        hops = (
            hop_base
            if hop_base is not None
            else Handling.objects.filter(report__in=base.order_by().values("pk"))
        )
        hops = hops.filter(dispatched_at__isnull=False)
        hop_groups = {name: _prefixed(expr) for name, expr in groups.items()}
        hops = hops.order_by().annotate(**hop_groups).alias(_dsp_day=TruncDate("dispatched_at"))
        out.append(Family(K, "dsp", hops.values(*names).annotate(v=Count("id"))))
        out.append(
            Family(
                K,
                "dsp3",
                hops.filter(dispatch_due__isnull=False, _dsp_day__lte=F("dispatch_due"))
                .values(*names)
                .annotate(v=Count("id")),
            )
        )
    return out


def _prefixed(expr):
    """An expression on Report re-rooted on Handling.report."""
    if isinstance(expr, F):
        return F(f"report__{expr.name}")
    if hasattr(expr, "get_source_expressions") and expr.get_source_expressions():
        clone = expr.copy()
        clone.set_source_expressions([_prefixed(e) for e in expr.get_source_expressions()])
        return clone
    return expr


def family_value(family: Family, value) -> int:
    if value is None:
        return 0
    if family.decimal_fen:
        return fen(value)
    return int(value)


def key_text(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def run_families(fams: list[Family], group_names: list[str]) -> Counter:
    """{(group values..., dim, key): n} for every family, evaluated in Python."""
    out: Counter = Counter()
    for family in fams:
        for row in family.qs:
            groups = tuple(row[name] for name in group_names)
            key = family.dim_key if family.dim_key is not None else key_text(row["key"])
            v = family_value(family, row["v"])
            if v:
                out[(*groups, family.dim, key)] += v
    return out

"""The statistics query API: every number on 首页, 综合统计 and 可视化分析 comes from here.

API (issue 6; stable — apps.dashboard builds on it)
---------------------------------------------------
    scope = stats_scope(user)            # Scope, or None: the user sees no statistics (审计管理员, no org)
    scope.region                         # the Region the jurisdiction is rooted at; None = 全国
    report_counts(scope=, start=, end=, region_code=None, by=)   -> dict[str, int]
        by: "problem_type" | "channel" | "industry"  → {catalog name: n}
            "status"                                 → {Report.Status value: n}
            "child_region"                           → {child region code: n} (children of region_code)
            "province" | "city" | "county"           → {region code: n} (regions of that level inside)
            "month"                                  → {"YYYY-MM": n}
        Only non-zero counts; keys in catalog / code / month order.
    report_totals(scope=, start=, end=, region_code=None, today=None) -> dict[str, int]
        total received deferred rejected accepted verifying closed pending overdue concluded
        verified_true rewards_paid rewards_pending        (counts; amounts are in kpis())
    open_backlog(scope=, region_code=None, today=None) -> {"pending": n, "overdue": n}, all time
    kpis(scope=, start=, end=, region_code=None, by_org=False, org=None, today=None)
        -> Kpis (rates as properties), or with by_org=True a list of (Org, Kpis) for the
           local departments directly below `org` (default: the scope's own org)
    hot_words(scope=, start=None, end=None, region_code=None, limit=30) -> list[(word, n)]
    report_table(...) -> StatsTable    (举报单统计: rows of child regions or orgs × one dimension)

Common rules: `start`/`end` are inclusive `datetime.date`s on the day a report was received
(Beijing time); None means "from the first report" / "up to today". `region_code` None or
"100000" means the whole jurisdiction; any other region must be inside it. Bad input raises
StatsQueryError whose `.message` is a Chinese sentence for the user (never a 500).

Jurisdiction (stats_scope): aggregates are by place, the same rule reports_visible_to applies to
normally routed reports: 应急管理部 (and its 内设机构) see 全国; a 部机关司局 and a 矿山安全监察
机构 see their industries (in their region, 全国 for the national ones); every other org sees the
regions it covers — Org.region's subtree plus its extra_regions (功能区, 兵团). A 内设机构 user
sees what the org it belongs to sees. Where routing differs (a report handled by an org outside
the place's chain) the lists follow the handling path and the statistics follow the place.

Speed: the numbers are sums of apps.stats.models.Cell, maintained in the same transaction as
every change (apps.stats.maintain). Scopes restricted to industries read the industry cells of
全国 and provinces. Old partial months below province level (or of industry cells), and cities
and counties of an industry scope, are counted on the reports table (see
docs/decisions/0013-statistics-aggregates.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import reduce
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import Count, DateField, F, Q, Sum, Value
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from apps.accounts.selectors import industry_scope_for
from apps.catalogs.models import Channel, Industry, ProblemType
from apps.core.dates import EARLIEST_DATA_DATE
from apps.orgs.models import Org
from apps.orgs.scoping import user_root_org
from apps.regions.codes import NATION_CODE, NATION_NAME, is_region_code
from apps.regions.models import Region
from apps.reports.models import Handling, Report
from apps.stats import measures as m
from apps.stats.models import Cell

EARLIEST = EARLIEST_DATA_DATE
LATEST = dt.date(2099, 12, 31)
MAX_SPAN_YEARS = 20

BY_CHOICES = (
    "problem_type",
    "channel",
    "industry",
    "status",
    "child_region",
    "province",
    "city",
    "county",
    "month",
)
CATALOG_DIMS = {"problem_type": (m.PT, ProblemType), "channel": (m.CH, Channel), "industry": (m.IN, Industry)}
REGION_LEVELS = {"province": Region.Level.PROVINCE, "city": Region.Level.CITY, "county": Region.Level.COUNTY}
OPEN_STATUSES = (Report.Status.RECEIVED, Report.Status.ACCEPTED, Report.Status.VERIFYING)


class StatsQueryError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Jurisdiction ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A region subtree (or 全国) counted as one node."""

    code: str
    path: str  # Region.path; "" for 全国
    level: int  # 0 全国, 1 province, 2 city level, 3 county
    region_id: int | None = None

    def contains(self, other: Place) -> bool:
        return other.path.startswith(self.path)


NATION = Place(NATION_CODE, "", 0)


def _place(region: Region) -> Place:
    return Place(region.code, region.path, region.depth + 1, region.pk)


def _disjoint(places: list[Place]) -> tuple[Place, ...]:
    """Drop places inside another one (a zone listing a county its city already covers)."""
    kept = []
    for place in sorted(set(places), key=lambda p: (len(p.path), p.path)):
        if not any(other.contains(place) for other in kept):
            kept.append(place)
    return tuple(sorted(kept, key=lambda p: p.code))


@dataclass(frozen=True)
class Scope:
    """Which reports' aggregates a user may see: the reports located in `places` (None = 全国)
    and, when `industry_ids` is not None, only of those industries."""

    places: tuple[Place, ...] | None
    industry_ids: frozenset[int] | None = None
    region: Region | None = None  # the root shown first; None = 全国
    org: Org | None = field(default=None, compare=False)
    label: str = ""

    @property
    def is_nationwide(self) -> bool:
        return self.places is None

    @property
    def is_empty(self) -> bool:
        return (self.places is not None and not self.places) or (
            self.industry_ids is not None and not self.industry_ids
        )

    @property
    def root_code(self) -> str:
        return self.region.code if self.region else NATION_CODE

    @property
    def cache_key(self) -> str:
        places = "-" if self.places is None else ",".join(p.code for p in self.places)
        industries = "-" if self.industry_ids is None else ",".join(map(str, sorted(self.industry_ids)))
        return hashlib.sha256(f"{places}|{industries}".encode()).hexdigest()[:20]

    def intersect(self, other: Scope) -> Scope:
        if self.places is None:
            places = other.places
        elif other.places is None:
            places = self.places
        else:
            places = _disjoint(
                [
                    a if b.contains(a) else b
                    for a in self.places
                    for b in other.places
                    if a.contains(b) or b.contains(a)
                ]
            )
        if self.industry_ids is None:
            industries = other.industry_ids
        elif other.industry_ids is None:
            industries = self.industry_ids
        else:
            industries = self.industry_ids & other.industry_ids
        return Scope(
            places=places,
            industry_ids=industries,
            region=_root_region(places),
            org=other.org,
            label=other.label,
        )


def _root_region(places: tuple[Place, ...] | None) -> Region | None:
    """The lowest region containing every place (a zone's counties → their city)."""
    if not places:
        return None
    common = [c for c in places[0].path.split("/") if c]
    for place in places[1:]:
        parts = [c for c in place.path.split("/") if c]
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return Region.objects.filter(code=common[-1]).first() if common else None


def org_scope(org: Org) -> Scope | None:
    """The statistics an org's staff see (None: none at all)."""
    org = org.owning_org()
    industries = None
    if org.kind in (Org.Kind.BUREAU, Org.Kind.MINE_SAFETY):
        industries = frozenset(org.industry_scope.values_list("pk", flat=True))
    regions = ([org.region] if org.region_id else []) + list(org.extra_regions.all())
    if regions:
        places = _disjoint([_place(r) for r in regions])
    elif org.level == Org.Level.MINISTRY:
        places = None
    else:
        return None
    if industries is not None and not industries:
        return None
    return Scope(places=places, industry_ids=industries, region=_root_region(places), org=org, label=org.name)


def stats_scope(user) -> Scope | None:
    """The user's statistics scope, or None when they see no statistics (审计管理员 see no
    report data under 三员分立; an account without an org sees nothing)."""
    root = user_root_org(user)
    if root is None or getattr(user, "is_auditor", False):
        return None
    scope = org_scope(root)
    own = industry_scope_for(user)  # an account limited to part of its 司局's industries
    if scope is None or own is None:
        return scope
    industries = frozenset(own.values_list("pk", flat=True))
    if scope.industry_ids is not None:
        industries &= scope.industry_ids
    return None if not industries else replace(scope, industry_ids=industries)


# --- Validation --------------------------------------------------------------------------------


def _check_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> tuple[dt.date, dt.date]:
    for value, label in ((start, "开始日期"), (end, "结束日期")):
        if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
            raise StatsQueryError(f"{label}格式不正确。")
        if value is not None and not EARLIEST <= value <= LATEST:
            raise StatsQueryError(f"{label}须在 {EARLIEST.isoformat()} 至 {LATEST.isoformat()} 之间。")
    bounded = start is not None and end is not None
    start = start or EARLIEST
    end = end or today
    if start > end:
        raise StatsQueryError("开始日期不能晚于结束日期。")
    if bounded and (end - start).days > MAX_SPAN_YEARS * 366:
        raise StatsQueryError(f"统计时间跨度不能超过{MAX_SPAN_YEARS}年，请缩小时间范围。")
    return start, end


def _check_scope(scope) -> Scope:
    if not isinstance(scope, Scope) or scope.is_empty:
        raise StatsQueryError("您没有查看统计数据的权限。")
    return scope


def _region_or_error(code: str | None) -> Region | None:
    if code in (None, "", NATION_CODE):
        return None
    region = Region.objects.filter(code=code).first() if is_region_code(code) else None
    if region is None:
        raise StatsQueryError("所选地区不存在。")
    return region


def places_within(scope: Scope, region: Region | None) -> list[Place]:
    """The disjoint places whose union is `region` ∩ scope (empty: nothing of it is visible)."""
    if region is None:
        return [NATION] if scope.places is None else list(scope.places)
    target = _place(region)
    if scope.places is None or any(p.contains(target) for p in scope.places):
        return [target]
    return [p for p in scope.places if target.contains(p)]


def _target(scope: Scope, region_code: str | None) -> tuple[Region | None, list[Place]]:
    # 全国 (or nothing) means the whole jurisdiction; the root itself needs no lookup.
    if region_code in (None, "", NATION_CODE) or (
        scope.region is not None and region_code == scope.region.code
    ):
        region = scope.region
    else:
        region = _region_or_error(region_code)
    places = places_within(scope, region)
    if not places:
        raise StatsQueryError("所选地区不在您的管辖范围内。")
    return region, places


# --- Counting ----------------------------------------------------------------------------------


def split_period(
    start: dt.date, end: dt.date
) -> tuple[tuple[dt.date, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """(first and last whole month, [edge day ranges]) covering start..end exactly."""
    first = start if start.day == 1 else _next_month(start)
    after_last = _next_month(end) if _next_month(end) - dt.timedelta(days=1) == end else end.replace(day=1)
    if first >= after_last:
        return None, [(start, end)]
    months = (first, _prev_month(after_last))
    edges = []
    if start < first:
        edges.append((start, first - dt.timedelta(days=1)))
    if after_last <= end:
        edges.append((after_last, end))
    return months, edges


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _prev_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _any(qs: list[Q]) -> Q:
    return reduce(operator.or_, qs)


def _ranges_q(ranges: list[tuple[dt.date, dt.date]], prefix: str = "") -> Q:
    return _any(
        [
            Q(
                **{
                    f"{prefix}received_at__gte": _day_start(a),
                    f"{prefix}received_at__lt": _day_start(b + dt.timedelta(days=1)),
                }
            )
            for a, b in ranges
        ]
    )


_LEVEL_COLUMN = {1: "province_code", 2: "city_code"}


def _raw(places: list[Place], ranges, dims, industry_ids, by_month: bool) -> Counter:
    """{(node code, month|None, dim, key): n} counted on the reports table."""
    out: Counter = Counter()
    if not ranges or not places or not dims:
        return out
    if m.K in dims:
        from apps.stats.workdays import ensure_workdays

        ensure_workdays()
    by_level: dict[int, list[Place]] = defaultdict(list)
    for place in places:
        by_level[place.level].append(place)
    for level, group in by_level.items():
        base = Report.objects.filter(_ranges_q(ranges))
        if industry_ids is not None:
            base = base.filter(industry_id__in=industry_ids)
        if level == 0:
            node = Value(NATION_CODE)
        elif level in _LEVEL_COLUMN:
            column = _LEVEL_COLUMN[level]
            base = base.filter(**{f"{column}__in": [p.code for p in group]})
            node = F(column)
        else:
            base = base.filter(region_id__in=[p.region_id for p in group])
            node = F("region__code")
        groups = {"g_node": node}
        if by_month:
            groups["g_month"] = TruncMonth("received_at", output_field=DateField())
        hop_where, _column = _level_filter(level, group, prefix="report__")
        hops = Handling.objects.filter(_ranges_q(ranges, prefix="report__"), hop_where)
        if industry_ids is not None:
            hops = hops.filter(report__industry_id__in=industry_ids)
        counted = m.run_families(m.families(base, groups, dims, hop_base=hops), list(groups))
        for key, v in counted.items():
            if by_month:
                out[key] += v
            else:
                out[(key[0], None, *key[1:])] += v
    return out


def _level_filter(level: int, group: list[Place], prefix: str = "") -> tuple[Q, str]:
    """(filter, column naming the node) for places of one level, on Report or via `prefix`."""
    if level == 0:
        return Q(), ""
    if level in _LEVEL_COLUMN:
        column = _LEVEL_COLUMN[level]
        return Q(**{f"{prefix}{column}__in": [p.code for p in group]}), f"{prefix}{column}"
    return Q(**{f"{prefix}region_id__in": [p.region_id for p in group]}), f"{prefix}region__code"


def _split_edges(edges) -> tuple[list, list]:
    """(the parts of the edge ranges with day cells at every level, the older parts)."""
    since = m.recent_since()
    recent = [(max(a, since), b) for a, b in edges if b >= since]
    older = [(a, min(b, since - dt.timedelta(days=1))) for a, b in edges if a < since]
    return recent, older


def _cells(places: list[Place], months, edges, dims, by_month: bool, node_prefix: int = 0) -> Counter:
    """{(node code, month|None, dim, key): n} summed from the cells. Partial months are read from
    day cells where they exist (see measures.RECENT_DAYS), else counted on the reports table.
    With `node_prefix` the nodes are summed in SQL by the first that many characters of their
    code (the owner of an industry node), not returned one by one."""
    out: Counter = Counter()
    codes = [p.code for p in places]
    parts = []  # summed in one round trip (UNION ALL), each part on its own index range
    if months:
        parts.append(
            Cell.objects.filter(
                node__in=codes,
                dim__in=dims,
                grain=Cell.Grain.MONTH,
                period__gte=months[0],
                period__lte=months[1],
            )
        )
    if not edges:
        _sum_into(out, parts, by_month, node_prefix)
        return out
    recent, older = _split_edges(edges)
    # Places grouped by the measures they have day cells for, so the query is a couple of
    # `node IN (…)` branches (one OR branch per node made PostgreSQL scan the whole table).
    always_by: dict[tuple[str, ...], list[str]] = defaultdict(list)
    windowed_by: dict[tuple[str, ...], list[str]] = defaultdict(list)
    raw_needed: dict[tuple[str, ...], list[Place]] = defaultdict(list)
    for place in places:
        always = tuple(d for d in dims if m.always_has_day_cells(place.level, d))
        windowed = tuple(d for d in dims if d not in always)
        if always:
            always_by[always].append(place.code)
        if windowed and recent:
            windowed_by[windowed].append(place.code)
        if windowed and older:
            raw_needed[windowed].append(place)
    day_q: list[Q] = []
    for ranges, groups in ((edges, always_by), (recent, windowed_by)):
        for group_dims, codes in groups.items():
            # A list of days, not OR-ed ranges: PostgreSQL turns `= ANY(days)` into index
            # probes, while an OR of ranges became a filter over every day cell of the node.
            days = [a + dt.timedelta(days=i) for a, b in ranges for i in range((b - a).days + 1)]
            day_q.append(Q(node__in=codes, dim__in=group_dims, period__in=days))
    if day_q:
        parts.append(Cell.objects.filter(_any(day_q), grain=Cell.Grain.DAY))
    _sum_into(out, parts, by_month, node_prefix)
    for missing, group in raw_needed.items():
        out.update(_edge_rows(group, older, missing, by_month))
    return out


def _edge_rows(places: list[Place], ranges, dims, by_month: bool) -> Counter:
    """An old partial month below province level, counted from the reports' rows with the very
    function the maintenance uses (measures.report_items): one query for the reports (one more for
    the hops when KPIs are asked), where a GROUP BY per measure would be a dozen round trips. Such
    a month is a few hundred rows of a city."""
    out: Counter = Counter()
    wanted = set(dims)
    by_level: dict[int, list[Place]] = defaultdict(list)
    for place in places:
        by_level[place.level].append(place)
    fields = m.REPORT_FIELDS
    for level, group in by_level.items():
        where, column = _level_filter(level, group)
        rows = Report.objects.filter(_ranges_q(ranges), where).values_list(column or "province_code", *fields)
        for node, *values in rows:
            row = SimpleNamespace(**dict(zip(fields, values, strict=True)))
            month = timezone.localdate(row.received_at).replace(day=1) if by_month else None
            for (dim, key), v in m.report_items(row).items():
                if dim in wanted:
                    out[(node if column else NATION_CODE, month, dim, key)] += v
        if m.K in wanted:
            hop_where, hop_column = _level_filter(level, group, prefix="report__")
            hops = Handling.objects.filter(
                _ranges_q(ranges, prefix="report__"), hop_where, dispatched_at__isnull=False
            )
            for node, received_at, dispatched_at, due in hops.values_list(
                hop_column or "report__province_code", "report__received_at", "dispatched_at", "dispatch_due"
            ):
                month = timezone.localdate(received_at).replace(day=1) if by_month else None
                hop = SimpleNamespace(dispatched_at=dispatched_at, dispatch_due=due)
                for (dim, key), v in m.hop_items(hop).items():
                    out[(node if hop_column else NATION_CODE, month, dim, key)] += v
    return out


def _sum_into(out: Counter, parts: list, by_month: bool, node_prefix: int = 0) -> None:
    if not parts:
        return
    node = "owner" if node_prefix else "node"
    names = (node, "dim", "key", "period") if by_month else (node, "dim", "key")
    if node_prefix:
        parts = [qs.annotate(owner=Substr("node", 1, node_prefix)) for qs in parts]
    grouped = [qs.values(*names).annotate(v=Sum("n")).values_list(*names, "v") for qs in parts]
    rows = grouped[0].union(*grouped[1:], all=True) if len(grouped) > 1 else grouped[0]
    for *group, v in rows:
        if not v:
            continue
        if by_month:
            node, dim, key, period = group
            out[(node, period.replace(day=1), dim, key)] += v
        else:
            node, dim, key = group
            out[(node, None, dim, key)] += v


def measure(
    *,
    scope: Scope,
    start: dt.date,
    end: dt.date,
    groups: dict[str, list[Place]],
    dims,
    by_month: bool = False,
    engine: str = "auto",
) -> Counter:
    """{(group, month|None, dim, key): n}: each group is the sum of its places. `engine` "raw"
    counts on the reports table (checks and the bench compare the two)."""
    dims = tuple(dict.fromkeys(dims))
    places = list({p for group in groups.values() for p in group})
    if engine == "raw":
        per_node = _raw(places, [(start, end)], dims, scope.industry_ids, by_month)
    elif scope.industry_ids is not None:
        per_node = _industry_cells(places, start, end, dims, scope.industry_ids, by_month)
    else:
        months, edges = split_period(start, end)
        per_node = _cells(places, months, edges, dims, by_month)
    members: dict[str, list[str]] = defaultdict(list)
    for name, group in groups.items():
        for place in group:
            members[place.code].append(name)
    out: Counter = Counter()
    for (node, month, dim, key), v in per_node.items():
        for name in members.get(node, ()):
            out[(name, month, dim, key)] += v
    return out


def _industry_cells(places: list[Place], start, end, dims, industry_ids, by_month: bool) -> Counter:
    """A scope limited to industries: 全国 and provinces are the sums of their industry cells
    (measures.industry_chain), with a partial month older than the recent day cells counted on the
    reports table; a city or a county (a few thousand rows a year) is counted there entirely."""
    with_cells = all(m.has_industry_cells(i) for i in industry_ids)
    covered = [p for p in places if p.level <= 1] if with_cells else []
    out = _raw([p for p in places if p not in covered], [(start, end)], dims, industry_ids, by_month)
    if not covered:
        return out
    months, edges = split_period(start, end)
    recent, older = _split_edges(edges)
    nodes = [
        Place(m.industry_node(p.code, i), p.path, m.INDUSTRY_LEVEL + p.level)
        for p in covered
        for i in industry_ids
    ]
    # An industry node's code starts with its owner's two-digit prefix (measures.industry_node):
    # the database sums the industries of each place: one row per place and key, not per node.
    owner = {p.code[:m.INDUSTRY_OWNER_PREFIX]: p for p in covered}
    for (prefix, month, dim, key), v in _cells(
        nodes, months, recent, dims, by_month, node_prefix=m.INDUSTRY_OWNER_PREFIX
    ).items():
        out[(owner[prefix].code, month, dim, key)] += v
    out.update(_raw(covered, older, dims, industry_ids, by_month))
    return out


def _totals_of(counted: Counter, group: str = "") -> Counter:
    return Counter({(dim, key): v for (name, _month, dim, key), v in counted.items() if name == group})


# --- Public functions ----------------------------------------------------------------------------


_catalog_cache: dict[type, tuple[float, dict[str, str]]] = {}
CATALOG_TTL = 60.0


def _catalog_names(model) -> dict[str, str]:
    """{id: name} in display order. Every panel names its keys: cached for a minute in the
    process, and dropped at once when an entry is saved (apps.stats.apps connects the signals)."""
    now = time.monotonic()
    hit = _catalog_cache.get(model)
    if hit is not None and now - hit[0] < CATALOG_TTL:
        return hit[1]
    names = {
        str(pk): name for pk, name in model.objects.order_by("sort_order", "code").values_list("pk", "name")
    }
    _catalog_cache[model] = (now, names)
    return names


def forget_catalog_names(**_kwargs) -> None:
    _catalog_cache.clear()


def report_counts(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    region_code: str | None = None,
    by: str,
    engine: str = "auto",
) -> dict[str, int]:
    if by not in BY_CHOICES:
        raise StatsQueryError("不支持的统计维度。")
    scope = _check_scope(scope)
    start, end = _check_period(start, end, timezone.localdate())
    region, places = _target(scope, region_code)
    if by in ("child_region", "province", "city", "county"):
        groups = sub_places(scope, region, by)
        counted = measure(scope=scope, start=start, end=end, groups=groups, dims=[m.N], engine=engine)
        totals = Counter()
        for (name, _month, _dim, _key), v in counted.items():
            totals[name] += v
        return {code: totals[code] for code in groups if totals[code]}
    if by == "month":
        counted = measure(
            scope=scope, start=start, end=end, groups={"": places}, dims=[m.N], by_month=True, engine=engine
        )
        months = sorted({month for (_n, month, _d, _k) in counted})
        return {
            month.strftime("%Y-%m"): counted[("", month, m.N, "")]
            for month in months
            if counted[("", month, m.N, "")]
        }
    dim = m.ST if by == "status" else CATALOG_DIMS[by][0]
    counted = _totals_of(
        measure(scope=scope, start=start, end=end, groups={"": places}, dims=[dim], engine=engine)
    )
    return _breakdown(counted, by)


def _breakdown(counted: Counter, by: str) -> dict[str, int]:
    """{status or catalog name: n} for one of BREAKDOWNS, from totals of its dimension."""
    if by == "status":
        return {status: counted[(m.ST, status)] for status in Report.Status.values if counted[(m.ST, status)]}
    dim, model = CATALOG_DIMS[by]
    return {name: counted[(dim, pk)] for pk, name in _catalog_names(model).items() if counted[(dim, pk)]}


def report_total(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    region_code: str | None = None,
    engine: str = "auto",
) -> int:
    """The number of reports received in the period (the one figure of the screen's 本年累计)."""
    counted = _selection_totals(scope, start, end, region_code, timezone.localdate(), [m.N], engine)
    return counted[(m.N, "")]


def sub_places(scope: Scope, region: Region | None, by: str) -> dict[str, list[Place]]:
    """{region code: places}: the children of `region` (by="child_region") or its regions of one
    level, each reduced to the part inside the scope; regions with no visible part are left out."""
    if by == "child_region":
        regions = (
            Region.objects.filter(parent=region) if region else Region.objects.filter(parent__isnull=True)
        )
    else:
        regions = Region.objects.filter(level=REGION_LEVELS[by])
        if region is not None:
            regions = regions.filter(path__startswith=region.path)
    out = {}
    for child in regions.order_by("code"):
        places = places_within(scope, child)
        if places:
            out[child.code] = places
    return out


def _status_totals(counted: Counter, today: dt.date) -> dict:
    status = {s: counted[(m.ST, s)] for s in Report.Status.values}
    today_key = today.isoformat()
    overdue = sum(v for (dim, key), v in counted.items() if dim == m.DUE and key < today_key)
    return {
        "total": counted[(m.N, "")],
        **status,
        "pending": sum(status[s] for s in OPEN_STATUSES),
        "overdue": overdue,
        "concluded": sum(v for (dim, _k), v in counted.items() if dim == m.CC),
        "verified_true": counted[(m.CC, "true")] + counted[(m.CC, "partly_true")],
        "rewards_paid": counted[(m.RW, "paid")],
        "rewards_pending": counted[(m.RW, "pending")],
    }


TOTAL_DIMS = (m.N, m.ST, m.DUE, m.CC, m.RW)
KPI_DIMS = (*TOTAL_DIMS, m.K)


def report_totals(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    region_code: str | None = None,
    today: dt.date | None = None,
    engine: str = "auto",
) -> dict:
    today = today or timezone.localdate()
    counted = _selection_totals(scope, start, end, region_code, today, TOTAL_DIMS, engine)
    return _status_totals(counted, today)


def _selection_totals(scope, start, end, region_code, today: dt.date, dims, engine: str) -> Counter:
    """{(dim, key): n} for one selection and period, validated (StatsQueryError otherwise)."""
    scope = _check_scope(scope)
    start, end = _check_period(start, end, today)
    _region, places = _target(scope, region_code)
    return _totals_of(
        measure(scope=scope, start=start, end=end, groups={"": places}, dims=dims, engine=engine)
    )


def open_backlog(*, scope: Scope, region_code: str | None = None, today: dt.date | None = None) -> dict:
    """{"pending": n, "overdue": n} now, whenever the reports arrived (首页's 待处理 and 超期).

    A place scope sums its all-time cells. An industry scope counts its open reports, a few per
    cent of all, through the (status, received_at) index, with the same deadline rule as the
    `due` measure: its industry cells cover 全国 and provinces only, and ten years of a city's
    reports of those industries would otherwise be grouped on every visit to the home page."""
    today = today or timezone.localdate()
    scope = _check_scope(scope)
    if scope.industry_ids is None:
        totals = report_totals(scope=scope, start=None, end=None, region_code=region_code, today=today)
        return {"pending": totals["pending"], "overdue": totals["overdue"]}
    return (
        Report.objects.filter(report_filter_q(scope, region_code), status__in=OPEN_STATUSES)
        .alias(due=m.due_date())
        .aggregate(pending=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    )


@dataclass(frozen=True)
class Kpis:
    """考核指标. Rates are None when nothing was counted (shown as "—", never as 0%)."""

    total: int = 0
    accepted: int = 0
    accepted_on_time: int = 0  # decided no later than the 3-working-day accept_due
    dispatched: int = 0  # handling hops dispatched (转办/交办)
    dispatched_on_time: int = 0  # within 3 working days of acceptance (dispatch_due)
    closed: int = 0  # closed after acceptance
    closed_on_time: int = 0  # no later than result_due: 60 working days + an approved extension
    close_working_days: int = 0  # sum over `closed`
    overdue: int = 0  # still open and past its deadline, today
    concluded: int = 0
    verified_true: int = 0  # 属实 + 部分属实
    rewards_paid: int = 0
    reward_paid_amount: Decimal = Decimal(0)
    penalty_amount: Decimal = Decimal(0)

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return None if not whole else round(100.0 * part / whole, 1)

    @property
    def accept_rate(self) -> float | None:
        return self._rate(self.accepted_on_time, self.accepted)

    @property
    def dispatch_rate(self) -> float | None:
        return self._rate(self.dispatched_on_time, self.dispatched)

    @property
    def close_rate(self) -> float | None:
        return self._rate(self.closed_on_time, self.closed)

    @property
    def avg_close_days(self) -> float | None:
        return None if not self.closed else round(self.close_working_days / self.closed, 1)

    @property
    def verified_rate(self) -> float | None:
        return self._rate(self.verified_true, self.concluded)


def _kpis_of(counted: Counter, today: dt.date) -> Kpis:
    totals = _status_totals(counted, today)
    return Kpis(
        total=totals["total"],
        accepted=counted[(m.K, "acc")],
        accepted_on_time=counted[(m.K, "acc3")],
        dispatched=counted[(m.K, "dsp")],
        dispatched_on_time=counted[(m.K, "dsp3")],
        closed=counted[(m.K, "cwn")],
        closed_on_time=counted[(m.K, "cot")],
        close_working_days=counted[(m.K, "cwd")],
        overdue=totals["overdue"],
        concluded=totals["concluded"],
        verified_true=totals["verified_true"],
        rewards_paid=totals["rewards_paid"],
        reward_paid_amount=Decimal(counted[(m.K, "rwf")]) / 100,
        penalty_amount=Decimal(counted[(m.K, "pnf")]) / 100,
    )


BREAKDOWNS = ("status", *CATALOG_DIMS)
OVERVIEW_DIMS = (*KPI_DIMS, *(dim for dim, _model in CATALOG_DIMS.values()))


@dataclass(frozen=True)
class Overview:
    """Everything about one selection and period that the home page and the screen show."""

    totals: dict  # as report_totals
    kpis: Kpis
    by: dict[str, dict[str, int]]  # BREAKDOWNS -> as report_counts


def report_overview(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    region_code: str | None = None,
    today: dt.date | None = None,
    engine: str = "auto",
) -> Overview:
    """report_totals, kpis and report_counts by status, 问题类型, 举报形式 and 行业 at once: one
    pass over the cells instead of one per figure."""
    today = today or timezone.localdate()
    counted = _selection_totals(scope, start, end, region_code, today, OVERVIEW_DIMS, engine)
    return Overview(
        totals=_status_totals(counted, today),
        kpis=_kpis_of(counted, today),
        by={name: _breakdown(counted, name) for name in BREAKDOWNS},
    )


def child_orgs(org: Org) -> list[Org]:
    """The local departments directly below `org` that have a jurisdiction of their own (the rows
    of 按机构 tables): 应急管理部门 and 功能区; 司局 and 矿山安监 are chosen one at a time."""
    return list(
        Org.objects.filter(
            parent=org.owning_org(), is_active=True, kind__in=(Org.Kind.EMERGENCY, Org.Kind.ZONE)
        )
        .select_related("region")
        .prefetch_related("extra_regions", "industry_scope")
        .order_by("code")
    )


def org_groups(scope: Scope, orgs: list[Org]) -> dict[str, tuple[Org, list[Place]]]:
    out = {}
    for org in orgs:
        own = org_scope(org)
        if own is None:
            continue
        both = scope.intersect(own)
        places = places_within(both, None) if not both.is_empty else []
        if places:
            out[str(org.pk)] = (org, places)
    return out


def kpis(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    region_code: str | None = None,
    by_org: bool = False,
    org: Org | None = None,
    today: dt.date | None = None,
    engine: str = "auto",
):
    today = today or timezone.localdate()
    if not by_org:
        return _kpis_of(_selection_totals(scope, start, end, region_code, today, KPI_DIMS, engine), today)
    scope = _check_scope(scope)
    start, end = _check_period(start, end, today)
    _target(scope, region_code)  # validates the region against the scope
    parent = org or scope.org
    if parent is None:
        return []
    rows = org_groups(scope, child_orgs(parent))
    counted = measure(
        scope=scope,
        start=start,
        end=end,
        groups={k: p for k, (_o, p) in rows.items()},
        dims=KPI_DIMS,
        engine=engine,
    )
    return [(row_org, _kpis_of(_totals_of(counted, key), today)) for key, (row_org, _p) in rows.items()]


# --- 举报单统计 tables ---------------------------------------------------------------------------

TABLE_COLUMNS = {"channel": "举报形式", "industry": "行业", "problem_type": "问题类型", "status": "办理状态"}


@dataclass
class TableRow:
    code: str
    label: str
    values: list[int]
    total: int
    kpis: Kpis | None = None


@dataclass
class StatsTable:
    title: str
    column_dim: str
    columns: list[str]  # labels
    rows: list[TableRow]
    total: TableRow
    row_header: str


def column_labels(dim: str) -> list[tuple[str, str]]:
    """[(key, label)] of a table dimension, in display order (inactive catalog entries too:
    old reports still count under them)."""
    if dim == "status":
        return [(value, label) for value, label in Report.Status.choices]
    return list(_catalog_names(CATALOG_DIMS[dim][1]).items())


def report_table(
    *,
    scope: Scope,
    start: dt.date | None,
    end: dt.date | None,
    column: str,
    region_code: str | None = None,
    org: Org | None = None,
    with_kpis: bool = True,
    rows: str = "child",
    today: dt.date | None = None,
    engine: str = "auto",
) -> StatsTable:
    """举报单统计: one row per child region of `region_code` (按地区) or per local department
    below `org` (按机构), one column per value of `column`, a 合计 row. rows="county" lists every
    county-level region inside instead (the full export)."""
    if column not in TABLE_COLUMNS:
        raise StatsQueryError("不支持的统计维度。")
    scope = _check_scope(scope)
    today = today or timezone.localdate()
    start, end = _check_period(start, end, today)
    dim = m.ST if column == "status" else CATALOG_DIMS[column][0]
    labels: dict[str, str] = {}
    if org is not None:
        own = org_scope(org)
        if own is None:
            raise StatsQueryError("所选机构没有可统计的管辖范围。")
        scope = scope.intersect(own)
        if scope.is_empty:
            raise StatsQueryError("所选机构不在您的管辖范围内。")
        rows = org_groups(scope, child_orgs(org))
        groups = {key: places for key, (_o, places) in rows.items()}
        labels = {key: row_org.name for key, (row_org, _p) in rows.items()}
        total_places = places_within(scope, None)
        row_header = "机构"
        if not groups:  # a county bureau or a 司局: its child regions instead
            groups = sub_places(scope, scope.region, "child_region")
            labels = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
            row_header = "地区"
        subject = org.name
    else:
        region, total_places = _target(scope, region_code)
        groups = sub_places(scope, region, "child_region")
        labels = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
        row_header = "地区"
        subject = region.name if region else (scope.region.name if scope.region else NATION_NAME)
    if rows == "county":
        root = _region_or_error(region_code) if org is None else None
        groups = sub_places(scope, root or scope.region, "county")
        labels = _full_names(list(groups))
        row_header = "县（市、区）"
    groups = {**groups, "": total_places}
    dims = (dim, *KPI_DIMS) if with_kpis else (m.N, dim)
    counted = measure(scope=scope, start=start, end=end, groups=groups, dims=dims, engine=engine)
    per_group: dict[str, Counter] = defaultdict(Counter)
    for (name, _month, d, key), v in counted.items():
        per_group[name][(d, key)] += v
    columns = column_labels(column)

    def row(code: str, label: str) -> TableRow:
        c = per_group[code]
        return TableRow(
            code=code,
            label=label,
            values=[c[(dim, key)] for key, _ in columns],
            total=c[(m.N, "")],
            kpis=_kpis_of(c, today) if with_kpis else None,
        )

    body = [row(code, labels.get(code, code)) for code in groups if code]
    title = f"{subject}举报单统计表（按{TABLE_COLUMNS[column]}，{start.isoformat()}至{end.isoformat()}）"
    return StatsTable(
        title=title,
        column_dim=column,
        columns=[label for _, label in columns],
        rows=body,
        total=row("", "合计"),
        row_header=row_header,
    )


def _full_names(codes: list[str]) -> dict[str, str]:
    """{code: "河南省郑州市金水区"} in two queries, whatever the number of codes."""
    paths = dict(Region.objects.filter(code__in=codes).values_list("code", "path"))
    ancestors = {c for path in paths.values() for c in path.split("/") if c}
    names = dict(Region.objects.filter(code__in=ancestors).values_list("code", "name"))
    return {code: "".join(names.get(c, "") for c in path.split("/") if c) for code, path in paths.items()}


# --- 热词 -----------------------------------------------------------------------------------------

HOT_WORD_SAMPLE = 400
HOT_WORD_TTL = 3600


def hot_words(
    *,
    scope: Scope,
    start: dt.date | None = None,
    end: dt.date | None = None,
    region_code: str | None = None,
    limit: int = 30,
    since: dt.date | None = None,
) -> list[tuple[str, int]]:
    """Top words of the most recent report descriptions (in how many of them each word occurs).

    Tokenising millions of descriptions per request is out of the question, so this reads the
    latest HOT_WORD_SAMPLE reports of the period in the scope (one indexed query), tokenises them
    with jieba, drops stop words, and caches the answer for an hour per scope, region and period.
    """
    scope = _check_scope(scope)
    start = start or since
    today = timezone.localdate()
    start, end = _check_period(start, end, today)
    _region, places = _target(scope, region_code)
    limit = max(1, min(int(limit), 100))
    key = f"stats:hotwords:{scope.cache_key}:{region_code or ''}:{start}:{end}:{limit}"
    found = cache.get(key)
    if found is not None:
        return found
    from apps.stats.hotwords import top_words

    qs = Report.objects.filter(_ranges_q([(start, end)]))
    if scope.industry_ids is not None:
        qs = qs.filter(industry_id__in=scope.industry_ids)
    if places != [NATION]:
        qs = qs.filter(_places_q(places))
    texts = list(qs.order_by("-received_at").values_list("description", flat=True)[:HOT_WORD_SAMPLE])
    words = top_words(texts, limit)
    cache.set(key, words, HOT_WORD_TTL)
    return words


def _places_q(places: list[Place]) -> Q:
    if any(place.level == 0 for place in places):
        return Q()
    return _any(
        [
            Q(**{_LEVEL_COLUMN[p.level]: p.code}) if p.level in _LEVEL_COLUMN else Q(region_id=p.region_id)
            for p in places
        ]
    )


def report_filter_q(scope: Scope, region_code: str | None = None) -> Q:
    """The reports a scope (and region) covers, as a filter on Report (for raw SQL comparisons)."""
    _region, places = _target(scope, region_code)
    q = _places_q(places)
    if scope.industry_ids is not None:
        q &= Q(industry_id__in=scope.industry_ids)
    return q

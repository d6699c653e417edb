"""What the 首页 and the 可视化分析 screen read, shaped for their panels.

A thin adapter over the statistics layer (apps.stats.queries: the jurisdiction scope and the
maintained aggregates). Nothing here counts reports itself: it resolves the map selection against
the user's jurisdiction, asks the statistics layer, and arranges the answers for the templates and
the screen's JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass

from django.utils import timezone

from apps.regions.codes import NATION_CODE, NATION_NAME
from apps.regions.models import Region
from apps.regions.selectors import region_ancestors, region_by_code, region_children
from apps.reports.models import Report
from apps.stats import queries as stats
from apps.stats.queries import StatsQueryError

__all__ = ["Jurisdiction", "Place", "Selection", "StatsQueryError", "home_summary", "jurisdiction_for",
           "kpi_items", "screen_panels", "select", "year_start"]

HOT_WORD_DAYS = 90
HOT_WORD_LIMIT = 30
CLOUD_SIZES = 5


@dataclass(frozen=True)
class Place:
    """A map selection: the nation or one region."""

    code: str
    name: str
    level: str  # nation / province / city / county
    has_children: bool = True
    is_served: bool = True
    # Inside the user's jurisdiction: a zone (功能区) rooted at a city covers only some of its
    # counties; the others are drawn but cannot be entered.
    in_scope: bool = True

    @classmethod
    def nation(cls) -> Place:
        return cls(code=NATION_CODE, name=NATION_NAME, level="nation")

    @classmethod
    def of(cls, region: Region, has_children: bool, in_scope: bool = True) -> Place:
        return cls(code=region.code, name=region.name, level=region.level, has_children=has_children,
                   is_served=region.is_served, in_scope=in_scope)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Jurisdiction:
    """The user's statistics scope (apps.stats.queries.Scope) and the region it is rooted at."""

    scope: stats.Scope

    @property
    def root(self) -> Region | None:  # None = the nation
        return self.scope.region

    @property
    def root_code(self) -> str:
        return self.root.code if self.root else NATION_CODE

    @property
    def root_name(self) -> str:
        return self.root.name if self.root else NATION_NAME

    def contains(self, region: Region) -> bool:
        """Selectable: under the root and with some part inside the scope (no query)."""
        if self.root is not None and not region.path.startswith(self.root.path):
            return False
        return bool(stats.places_within(self.scope, region))


def jurisdiction_for(user) -> Jurisdiction | None:
    """None when the user may see no report statistics (审计管理员, accounts without an org)."""
    scope = stats.stats_scope(user)
    if scope is None or scope.is_empty:
        return None
    return Jurisdiction(scope=scope)


@dataclass(frozen=True)
class Selection:
    place: Place
    path: list[Place]  # from the jurisdiction's root down to the place
    children: list[Place]


def select(jurisdiction: Jurisdiction, code: str) -> Selection | None:
    """The map selection `code` with its breadcrumb and children, or None when the code is
    unknown or outside the jurisdiction (callers answer both with the same 404)."""
    if code == NATION_CODE:
        if jurisdiction.root is not None:
            return None
        children = [Place.of(r, r.has_children, jurisdiction.contains(r)) for r in region_children(None)]
        nation = Place.nation()
        return Selection(place=nation, path=[nation], children=children)
    region = region_by_code(code)
    if region is None or not jurisdiction.contains(region):
        return None
    children = [Place.of(r, r.has_children, jurisdiction.contains(r)) for r in region_children(region)]
    place = Place.of(region, bool(children))
    chain = [Place.of(r, True) for r in region_ancestors(region) if jurisdiction.contains(r)] + [place]
    if jurisdiction.root is None:
        chain.insert(0, Place.nation())
    return Selection(place=place, path=chain, children=children)


def year_start(today: dt.date) -> dt.date:
    return today.replace(month=1, day=1)


def _ranked(counts: dict[str, int]) -> list[dict]:
    return [{"name": name, "value": n} for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _status_figures(by_status: dict[str, int]) -> dict[str, int]:
    return {
        "total": sum(by_status.values()),
        "pending": sum(by_status.get(status, 0) for status in stats.OPEN_STATUSES),
        "closed": by_status.get(Report.Status.CLOSED, 0),
    }


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:g}%"


def kpi_items(k: stats.Kpis) -> list[dict]:
    """考核指标 for display: rates with nothing to rate show "—", never 0%."""
    return [
        {"key": "accept_rate", "label": "按时受理率", "value": _rate(k.accept_rate)},
        {"key": "dispatch_rate", "label": "按时转办率", "value": _rate(k.dispatch_rate)},
        {"key": "close_rate", "label": "按时办结率", "value": _rate(k.close_rate)},
        {"key": "avg_close_days", "label": "平均办结工作日",
         "value": "—" if k.avg_close_days is None else f"{k.avg_close_days:g}"},
        {"key": "verified_rate", "label": "举报属实率", "value": _rate(k.verified_rate)},
        {"key": "rewards_paid", "label": "已兑现奖励", "value": f"{k.rewards_paid}件"},
    ]


def screen_panels(jurisdiction: Jurisdiction, selection: Selection, start: dt.date, end: dt.date,
                  today: dt.date | None = None, engine: str = "auto") -> dict:
    """Every panel of the screen for one map selection and period, in one dict (one request):
    three passes over the statistics (the period's figures, the children, this year's total).
    `engine="raw"` counts on the reports table instead (the bench compares the two)."""
    today = today or timezone.localdate()
    scope, code = jurisdiction.scope, selection.place.code
    overview = stats.report_overview(scope=scope, start=start, end=end, region_code=code, today=today,
                                     engine=engine)
    period = _status_figures(overview.by["status"])
    k = overview.kpis
    year_total = stats.report_total(scope=scope, start=year_start(today), end=today, region_code=code,
                                    engine=engine)
    if selection.children:
        by_child = stats.report_counts(scope=scope, start=start, end=end, region_code=code, by="child_region",
                                       engine=engine)
        children = [{**child.as_dict(), "value": by_child.get(child.code, 0)} for child in selection.children]
        children_title = "各省份举报数量" if code == NATION_CODE else "下级地区举报数量"
    else:
        children = [{**selection.place.as_dict(), "value": period["total"]}]
        children_title = "本地区举报数量"
    return {
        "region": selection.place.as_dict(),
        "path": [{"code": p.code, "name": p.name} for p in selection.path],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "year": today.year,
        "year_total": year_total,
        "period": {**period, "overdue": k.overdue},
        "kpis": kpi_items(k),
        "problem_types": _ranked(overview.by["problem_type"]),
        "channels": _ranked(overview.by["channel"]),
        "industries": _ranked(overview.by["industry"]),
        "children_title": children_title,
        "children": sorted(children, key=lambda c: (-c["value"], c["code"])),
    }


def _cloud(words: list[tuple[str, int]]) -> list[dict]:
    """Words with a size class 1..CLOUD_SIZES on a log scale (CSS classes: no inline styles)."""
    if not words:
        return []
    top = max(n for _, n in words)
    low = min(n for _, n in words)
    span = math.log(top) - math.log(low) if top > low else 0
    cloud = []
    for word, n in words:
        size = 1 + round((math.log(n) - math.log(low)) / span * (CLOUD_SIZES - 1)) if span else 3
        cloud.append({"word": word, "count": n, "size": size})
    # Alphabetical order reads like a cloud; the size carries the ranking.
    return sorted(cloud, key=lambda w: w["word"])


def home_summary(jurisdiction: Jurisdiction, today: dt.date | None = None) -> dict:
    """The 首页's figures for the user's whole jurisdiction."""
    today = today or timezone.localdate()
    scope, code = jurisdiction.scope, jurisdiction.root_code
    start = year_start(today)
    overview = stats.report_overview(scope=scope, start=start, end=today, region_code=code, today=today)
    year = _status_figures(overview.by["status"])
    backlog = stats.open_backlog(scope=scope, region_code=code, today=today)
    by_type = overview.by["problem_type"]
    words = stats.hot_words(scope=scope, start=today - dt.timedelta(days=HOT_WORD_DAYS), end=today,
                            region_code=code, limit=HOT_WORD_LIMIT)
    return {
        "year": today.year,
        "region_name": jurisdiction.root_name,
        "year_total": year["total"],
        "year_closed": year["closed"],
        "pending": backlog["pending"],
        "overdue": backlog["overdue"],
        "problem_types": _ranked(by_type),
        "hot_words": _cloud(words),
        "hot_word_days": HOT_WORD_DAYS,
    }

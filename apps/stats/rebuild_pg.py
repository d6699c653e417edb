# ruff: noqa: E501, S608 - SQL built from our own constants only, never from user input
"""The recomputation on PostgreSQL in one pass over the reports table (and one over the hops).

The portable recomputation (apps.stats.rebuild.fill on SQLite) runs one GROUP BY per measure
family: at ten million reports that is dozens of full scans. Here one scan feeds every grouping
set at once (GROUP BY GROUPING SETS), into a scratch table that is then unpivoted into cells.
The measures are exactly those of apps.stats.measures (tests/stats/test_consistency.py runs the
same checks on PostgreSQL, where this path is the one checked).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from apps.regions.codes import NATION_CODE
from apps.regions.models import Region
from apps.reports.models import Handling, Report
from apps.stats.measures import INDUSTRY_LEVEL, MAX_INDUSTRY_ID
from apps.stats.models import Cell, Workday

# GROUPING() arguments, most significant bit first.
GROUP_COLUMNS = (
    "region_id",
    "month",
    "province_code",
    "city_code",
    "county_id",
    "day",
    "recent_day",
    "ind_node",
    "ch",
    "pt",
    "ind",
    "st",
    "cc",
    "rw",
    "due",
)
CATEGORIES = {"ch": "ch", "pt": "pt", "in": "ind", "st": "st", "cc": "cc", "rw": "rw", "due": "due"}
K_COLUMNS = ("acc", "acc3", "cwn", "cot", "cwd", "rwf", "pnf")


@dataclass(frozen=True)
class Pass:
    node: str  # grouping column naming the node
    period: str  # grouping column naming the period
    grain: int
    attrs: tuple[str, ...] = ()  # more grouping columns the node's parent needs
    total: bool = True  # the n measure
    detail: bool = True  # k and the categorical measures
    region_join: bool = False  # node is a region id: code, parent and level from the region table


# Mirrors apps.stats.maintain._rows_for: month cells at the report's own region (rolled up the
# chain afterwards), day cells of provinces (all) and cities (total; the rest recently), and
# recent day cells of counties.
PASSES = {
    "leaf_month": Pass("region_id", "month", int(Cell.Grain.MONTH), region_join=True),
    "province_day": Pass("province_code", "day", int(Cell.Grain.DAY)),
    "city_day": Pass("city_code", "day", int(Cell.Grain.DAY), ("province_code",), detail=False),
    "city_recent": Pass("city_code", "recent_day", int(Cell.Grain.DAY), ("province_code",), total=False),
    "county_recent": Pass("county_id", "recent_day", int(Cell.Grain.DAY), region_join=True),
    # provinces × industry (rolled up to 全国 × industry afterwards), like measures.industry_chain
    "industry_month": Pass("ind_node", "month", int(Cell.Grain.MONTH)),
    "industry_recent": Pass("ind_node", "recent_day", int(Cell.Grain.DAY)),
}


def _mask(grouped: tuple[str, ...]) -> int:
    """GROUPING() of a set: a 1 bit for every column *not* grouped."""
    value = 0
    for column in GROUP_COLUMNS:
        value = (value << 1) | (0 if column in grouped else 1)
    return value


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _base_sql(since, *, only_recent: bool = False) -> str:
    tz = settings.TIME_ZONE.replace("'", "")
    wd = _q(Workday._meta.db_table)
    local = f"AT TIME ZONE '{tz}'"
    regions = _q(Region._meta.db_table)
    where = f"WHERE r.received_at >= ('{since.isoformat()}'::date::timestamp {local})" if only_recent else ""
    cwn = "r.status = 'closed' AND r.accepted_at IS NOT NULL AND r.closed_at IS NOT NULL"
    return f"""
SELECT r.region_id, r.province_code, NULLIF(r.city_code, '') AS city_code,
  CASE WHEN rg.depth = 2 THEN r.region_id END AS county_id,
  date_trunc('month', r.received_at {local})::date AS month, (r.received_at {local})::date AS day,
  CASE WHEN (r.received_at {local})::date >= '{since.isoformat()}'::date
       THEN (r.received_at {local})::date END AS recent_day,
  {_industry_node_sql()} AS ind_node,
  r.channel_id::text AS ch, r.problem_type_id::text AS pt, r.industry_id::text AS ind, r.status::text AS st,
  CASE WHEN r.status = 'closed' AND r.conclusion <> '' THEN r.conclusion END AS cc,
  NULLIF(r.reward_status, 'none') AS rw,
  to_char(CASE WHEN r.status = 'received' THEN r.accept_due
               WHEN r.status IN ('accepted', 'verifying') THEN r.result_due END, 'YYYY-MM-DD') AS due,
  (r.accepted_at IS NOT NULL)::int AS acc,
  (r.accepted_at IS NOT NULL AND r.accept_due IS NOT NULL
     AND (r.accepted_at {local})::date <= r.accept_due)::int AS acc3,
  ({cwn})::int AS cwn,
  ({cwn} AND r.result_due IS NOT NULL AND (r.closed_at {local})::date <= r.result_due)::int AS cot,
  CASE WHEN {cwn} THEN wc.rank - wa.rank ELSE 0 END AS cwd,
  CASE WHEN r.reward_status = 'paid' THEN r.reward_amount ELSE 0 END AS rwy,
  CASE WHEN r.status = 'closed' THEN coalesce(r.penalty_amount, 0) ELSE 0 END AS pny
FROM {_q(Report._meta.db_table)} r
JOIN {regions} rg ON rg.id = r.region_id
LEFT JOIN {wd} wa ON wa.day = (r.accepted_at {local})::date
LEFT JOIN {wd} wc ON wc.day = (r.closed_at {local})::date
{where}
"""


def _industry_node_sql() -> str:
    """measures.industry_node of the report's province and industry, over `r` (NULL: none)."""
    return (
        f"CASE WHEN r.industry_id BETWEEN 1 AND {MAX_INDUSTRY_ID} "
        f"THEN left(r.province_code, 2) || 'i' || lpad(r.industry_id::text, 3, '0') END"
    )


def _industry_parent_sql(node: str) -> str:
    """全国 × the same industry, for a province × industry node column."""
    return f"'{NATION_CODE[:2]}i' || right({node}, 3)"


def _grouped(p: Pass, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    return (p.node, p.period, *p.attrs, *extra)


def _sets(recent: bool) -> list[tuple[str, ...]]:
    """The grouping sets of the passes over all reports, or (recent) over the last days only."""
    sets = []
    for p in PASSES.values():
        if (p.period == "recent_day") != recent:
            continue
        if p.total or p.detail:
            sets.append(_grouped(p))
        if p.detail:
            sets += [_grouped(p, (column,)) for column in CATEGORIES.values()]
    return sets


def _node_attrs(p: Pass) -> tuple[str, str, str, str]:
    """(join, node, parent, level) SQL for a pass, over the scratch table `a`."""
    regions = _q(Region._meta.db_table)
    if p.region_join:
        return (
            f"JOIN {regions} rg ON rg.id = a.{p.node} LEFT JOIN {regions} rp ON rp.id = rg.parent_id",
            "rg.code",
            f"coalesce(rp.code, '{NATION_CODE}')",
            "rg.depth + 1",
        )
    if p.node == "province_code":
        return "", "a.province_code", f"'{NATION_CODE}'", "1"
    if p.node == "ind_node":
        return "", "a.ind_node", _industry_parent_sql("a.ind_node"), str(INDUSTRY_LEVEL + 1)
    return "", "a.city_code", "a.province_code", "2"


COLUMN_TYPES = {
    "region_id": "bigint",
    "county_id": "bigint",
    "month": "date",
    "day": "date",
    "recent_day": "date",
    "province_code": "varchar(6)",
    "city_code": "varchar(6)",
    "ind_node": "varchar(6)",
    "cc": "varchar(16)",
    "rw": "varchar(8)",
}
K_SUMS = (
    "count(*) AS n, sum(acc) AS acc, sum(acc3) AS acc3, sum(cwn) AS cwn, sum(cot) AS cot, "
    "sum(cwd) AS cwd, round(sum(rwy) * 100)::bigint AS rwf, round(sum(pny) * 100)::bigint AS pnf"
)


def _grouping_sql(sets: list[tuple[str, ...]]) -> str:
    """The select list of one grouping query: g as GROUPING() of every GROUP_COLUMNS column (so the
    masks mean the same in both queries), the columns, the sums. A column no set of this query
    groups by is a constant: NULL, and a 1 bit in g."""
    used = {column for cols in sets for column in cols}
    width = len(GROUP_COLUMNS)
    bits, columns = [], []
    for i, column in enumerate(GROUP_COLUMNS):
        shift = width - 1 - i
        if column in used:
            bits.append(f"(GROUPING({column}) << {shift})")
            columns.append(column)
        else:
            bits.append(str(1 << shift))
            columns.append(f"NULL::{COLUMN_TYPES.get(column, 'text')} AS {column}")
    return f"({' + '.join(bits)}) AS g, {', '.join(columns)}, {K_SUMS}"


def fill_pg(table: str, say: Callable[[str], None], upsert_tail: str) -> None:
    from apps.stats.measures import recent_since

    since = recent_since(keep=True)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '512MB'")
        cursor.execute("DROP TABLE IF EXISTS stats_rebuild_agg")
        started = time.monotonic()
        # Two scans: every report for the all-time passes; the recent ones only for the recent
        # passes (grouping all ten million rows to throw away the old ones doubled the time).
        for recent in (False, True):
            sets = _sets(recent)
            set_sql = ", ".join("(" + ", ".join(cols) + ")" for cols in sets)
            select = (
                f"SELECT {_grouping_sql(sets)} "
                f"FROM ({_base_sql(since, only_recent=recent)}) b "
                f"GROUP BY GROUPING SETS ({set_sql})"
            )
            if recent:
                cursor.execute(f"INSERT INTO stats_rebuild_agg {select}")
            else:
                cursor.execute(f"CREATE TEMPORARY TABLE stats_rebuild_agg ON COMMIT DROP AS {select}")
        say(f"分组汇总 {time.monotonic() - started:.1f}s")
        cursor.execute("ANALYZE stats_rebuild_agg")
        columns = "node, dim, grain, period, key, parent, level, n"
        for label, p in PASSES.items():
            started = time.monotonic()
            join, node, parent, level = _node_attrs(p)
            head = f"SELECT {node} AS node, %s AS dim, {p.grain} AS grain, a.{p.period} AS period"
            tail = f", {parent} AS parent, {level} AS level"
            parts, params = [], []
            total_mask = _mask(_grouped(p))
            if p.total:
                parts.append(
                    f"{head}, '' AS key{tail}, a.n AS n FROM stats_rebuild_agg a {join} "
                    f"WHERE a.g = {total_mask}"
                )
                params.append("n")
            if p.detail:
                values = ", ".join(f"('{k}', a.{k})" for k in K_COLUMNS)
                parts.append(
                    f"{head}, x.key{tail}, x.v AS n FROM stats_rebuild_agg a {join} "
                    f"CROSS JOIN LATERAL (VALUES {values}) x(key, v) WHERE a.g = {total_mask}"
                )
                params.append("k")
                for dim, column in CATEGORIES.items():
                    parts.append(
                        f"{head}, a.{column} AS key{tail}, a.n AS n FROM stats_rebuild_agg a {join} "
                        f"WHERE a.g = {_mask(_grouped(p, (column,)))} AND a.{column} IS NOT NULL"
                    )
                    params.append(dim)
            cursor.execute(
                f"INSERT INTO {_q(table)} ({columns}) SELECT * FROM ("
                + " UNION ALL ".join(parts)
                + ") u WHERE u.n IS NOT NULL AND u.n <> 0 AND u.node IS NOT NULL AND u.period IS NOT NULL "
                + upsert_tail,
                params,
            )
            say(f"写入 {label} {time.monotonic() - started:.1f}s")
        started = time.monotonic()
        _hops(cursor, table, upsert_tail, since)
        say(f"办理环节指标 {time.monotonic() - started:.1f}s")


def _hops(cursor, table: str, upsert_tail: str, since) -> None:
    """dsp / dsp3 per hop: grouped first, region attributes joined on the groups (joining them
    on millions of hop rows first tripled the time); the recent sets read the recent hops only."""
    tz = settings.TIME_ZONE.replace("'", "")
    local = f"AT TIME ZONE '{tz}'"
    regions = _q(Region._meta.db_table)
    month, day = int(Cell.Grain.MONTH), int(Cell.Grain.DAY)
    hops = f"""
    SELECT r.region_id, r.province_code, NULLIF(r.city_code, '') AS city_code,
      CASE WHEN rg.depth = 2 THEN r.region_id END AS county_id,
      date_trunc('month', r.received_at {local})::date AS month, (r.received_at {local})::date AS day,
      (x.dispatch_due IS NOT NULL AND (x.dispatched_at {local})::date <= x.dispatch_due)::int AS on_time,
      {_industry_node_sql()} AS ind_node
    FROM {_q(Handling._meta.db_table)} x JOIN {_q(Report._meta.db_table)} r ON r.id = x.report_id
    JOIN {regions} rg ON rg.id = r.region_id
    WHERE x.dispatched_at IS NOT NULL"""
    recent = f" AND r.received_at >= ('{since.isoformat()}'::date::timestamp {local})"
    statements = [
        # leaf month (node = the report's region) and province day, over every hop
        (
            hops,
            "(region_id, month), (province_code, day)",
            f"""CASE WHEN GROUPING(region_id) = 0 THEN lf.code ELSE g_province END AS node,
             CASE WHEN GROUPING(region_id) = 0 THEN {month} ELSE {day} END AS grain,
             CASE WHEN GROUPING(region_id) = 0 THEN g_month ELSE g_day END AS period,
             CASE WHEN GROUPING(region_id) = 0 THEN coalesce(lp.code, '{NATION_CODE}') ELSE '{NATION_CODE}' END
               AS parent,
             CASE WHEN GROUPING(region_id) = 0 THEN lf.depth + 1 ELSE 1 END AS level""",
            f"LEFT JOIN {regions} lf ON lf.id = g.g_region LEFT JOIN {regions} lp ON lp.id = lf.parent_id",
        ),
        # city and county days, recent hops only
        (
            hops + recent,
            "(city_code, day), (county_id, day)",
            f"""CASE WHEN GROUPING(county_id) = 0 THEN ct.code ELSE g_city END AS node, {day} AS grain,
             g_day AS period,
             CASE WHEN GROUPING(county_id) = 0 THEN ctp.code ELSE coalesce(cyp.code, '{NATION_CODE}') END AS parent,
             CASE WHEN GROUPING(county_id) = 0 THEN 3 ELSE 2 END AS level""",
            f"LEFT JOIN {regions} ct ON ct.id = g.g_county LEFT JOIN {regions} ctp ON ctp.id = ct.parent_id "
            f"LEFT JOIN {regions} cy ON cy.code = g.g_city LEFT JOIN {regions} cyp ON cyp.id = cy.parent_id",
        ),
    ]
    inner = [
        "GROUPING(region_id) AS gr_region, 1 AS gr_county, region_id AS g_region, NULL::bigint AS g_county, "
        "province_code AS g_province, NULL::varchar AS g_city, month AS g_month, day AS g_day",
        "1 AS gr_region, GROUPING(county_id) AS gr_county, NULL::bigint AS g_region, county_id AS g_county, "
        "NULL::varchar AS g_province, city_code AS g_city, NULL::date AS g_month, day AS g_day",
    ]
    for (source, sets, select, joins), columns in zip(statements, inner, strict=True):
        # GROUPING() is evaluated in the grouping query and carried out as a column.
        select = select.replace("GROUPING(region_id) = 0", "g.gr_region = 0").replace(
            "GROUPING(county_id) = 0", "g.gr_county = 0"
        )
        cursor.execute(
            f"""
INSERT INTO {_q(table)} (node, dim, grain, period, key, parent, level, n)
SELECT node, 'k', grain, period, x.key, parent, level, x.v FROM (
  SELECT {select}, g.dsp, g.dsp3
  FROM (
    SELECT {columns}, count(*) AS dsp, sum(on_time) AS dsp3
    FROM ({source}) h
    GROUP BY GROUPING SETS ({sets})
  ) g {joins}
) s CROSS JOIN LATERAL (VALUES ('dsp', s.dsp), ('dsp3', s.dsp3)) x(key, v)
WHERE x.v <> 0 AND s.node IS NOT NULL AND s.period IS NOT NULL {upsert_tail}
"""
        )
    # provinces × industry: months over every hop, days over the recent ones (rolled up to 全国
    # × industry with the report measures afterwards)
    cursor.execute(
        f"""
INSERT INTO {_q(table)} (node, dim, grain, period, key, parent, level, n)
SELECT s.node, 'k', s.grain, s.period, x.key, {_industry_parent_sql("s.node")}, {INDUSTRY_LEVEL + 1}, x.v
FROM (
  SELECT ind_node AS node, {month} AS grain, month AS period, count(*) AS dsp, sum(on_time) AS dsp3
  FROM ({hops}) h WHERE ind_node IS NOT NULL GROUP BY ind_node, month
  UNION ALL
  SELECT ind_node, {day}, day, count(*), sum(on_time)
  FROM ({hops + recent}) h WHERE ind_node IS NOT NULL GROUP BY ind_node, day
) s CROSS JOIN LATERAL (VALUES ('dsp', s.dsp), ('dsp3', s.dsp3)) x(key, v)
WHERE x.v <> 0 {upsert_tail}
"""
    )

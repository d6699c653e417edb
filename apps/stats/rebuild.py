"""Recompute every cell from the reports table, and compare the maintained cells with that.

The recomputation is the GROUP BYs of apps.stats.measures.families wrapped in INSERT … SELECT, so
it runs inside the database (minutes for ten million reports, see docs/performance.md):

1. month cells of each report's own region (its leaf): one GROUP BY per measure family;
2. rolled up level by level (county → city → province → 全国) from the cells themselves;
3. day cells of provinces (every measure) and cities (total only), then 全国's from provinces;
4. the industry cells (measures.industry_chain) of provinces, then 全国's from provinces.

`check()` rebuilds into a scratch table and returns the cells that differ: none, unless something
changed reports behind the signals' back (QuerySet.update, raw SQL) or the calendar of a year
with closed reports changed.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import CharField, DateField, F, IntegerField, Value
from django.db.models.functions import Cast, Coalesce, Concat, LPad, Substr, TruncDate, TruncMonth
from django.utils import timezone

from apps.regions.codes import NATION_CODE
from apps.regions.models import Region
from apps.reports.models import Report
from apps.stats import measures as m
from apps.stats.models import Cell
from apps.stats.workdays import refresh_workdays

CELL_TABLE = Cell._meta.db_table
COLUMNS = "node, dim, grain, period, key, parent, level, n"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _upsert_tail(table: str) -> str:
    return f"ON CONFLICT (node, dim, grain, period, key) DO UPDATE SET n = {_q(table)}.n + excluded.n"


def _insert_family(cursor, table: str, family: m.Family, grain: int) -> None:
    sql, params = family.qs.query.sql_with_params()
    key = "q.key" if family.dim_key is None else "%s"
    key_params = [] if family.dim_key is None else [family.dim_key]
    value = "CAST(ROUND(q.v * 100) AS BIGINT)" if family.decimal_fen else "q.v"
    cursor.execute(
        f"INSERT INTO {_q(table)} ({COLUMNS}) "  # noqa: S608
        f"SELECT q.c_node, %s, %s, q.c_period, CAST({key} AS VARCHAR(16)), q.c_parent, q.c_level, {value} "
        f"FROM ({sql}) q WHERE q.v IS NOT NULL AND q.v <> 0 {_upsert_tail(table)}",
        [family.dim, grain, *key_params, *params],
    )


def _rollup(cursor, table: str, level: int, grain: int) -> None:
    regions = _q(Region._meta.db_table)
    cursor.execute(
        f"INSERT INTO {_q(table)} ({COLUMNS}) "  # noqa: S608
        f"SELECT c.parent, c.dim, c.grain, c.period, c.key, "
        f"COALESCE(gp.code, CASE WHEN c.level = 1 THEN '' ELSE %s END), c.level - 1, SUM(c.n) "
        f"FROM {_q(table)} c LEFT JOIN {regions} r ON r.code = c.parent "
        f"LEFT JOIN {regions} gp ON gp.id = r.parent_id "
        f"WHERE c.level = %s AND c.grain = %s "
        f"GROUP BY c.parent, c.dim, c.grain, c.period, c.key, gp.code, c.level {_upsert_tail(table)}",
        [NATION_CODE, level, grain],
    )


def _rollup_industry(cursor, table: str, grain: int) -> None:
    """全国 × industry from the provinces × industry (their `parent`)."""
    cursor.execute(
        f"INSERT INTO {_q(table)} ({COLUMNS}) "  # noqa: S608
        f"SELECT c.parent, c.dim, c.grain, c.period, c.key, '', %s, SUM(c.n) FROM {_q(table)} c "
        f"WHERE c.level = %s AND c.grain = %s GROUP BY c.parent, c.dim, c.grain, c.period, c.key "
        f"{_upsert_tail(table)}",
        [m.INDUSTRY_LEVEL, m.INDUSTRY_LEVEL + 1, grain],
    )


def _industry_code(place_prefix):
    """SQL for measures.industry_node: place prefix, "i", the industry id on three digits."""
    padded = LPad(Cast("industry_id", CharField()), 3, Value("0"))
    return Concat(place_prefix, Value("i"), padded, output_field=CharField())


def _industry_groups(period) -> dict:
    return {
        "c_node": _industry_code(Substr("province_code", 1, 2)),
        "c_parent": _industry_code(Value(NATION_CODE[:2])),
        "c_level": Value(m.INDUSTRY_LEVEL + 1),
        "c_period": period,
    }


def fill(table: str = CELL_TABLE, *, base=None, progress: Callable[[str], None] | None = None) -> None:
    """Insert the cells of the reports in `base` (default: all) into `table`, adding to what is there."""
    say = progress or (lambda _msg: None)
    if base is None and connection.vendor == "postgresql":
        from apps.stats.rebuild_pg import fill_pg

        fill_pg(table, say, _upsert_tail(table))
        _rollups(table, say)
        return
    base = Report.objects.all() if base is None else base
    month = TruncMonth("received_at", output_field=DateField())
    day = TruncDate("received_at")
    recent = timezone.make_aware(dt.datetime.combine(m.recent_since(keep=True), dt.time.min))
    passes = [
        (
            "月·所在地区",
            Cell.Grain.MONTH,
            base,
            {
                "c_node": F("region__code"),
                "c_parent": Coalesce(F("region__parent__code"), Value(NATION_CODE)),
                "c_level": F("region__depth") + Value(1, output_field=IntegerField()),
                "c_period": month,
            },
            m.ALL_DIMS,
        ),
        (
            "日·省",
            Cell.Grain.DAY,
            base,
            {
                "c_node": F("province_code"),
                "c_parent": Value(NATION_CODE),
                "c_level": Value(1),
                "c_period": day,
            },
            m.ALL_DIMS,
        ),
        (
            "日·市",
            Cell.Grain.DAY,
            base.exclude(city_code=""),
            {
                "c_node": F("city_code"),
                "c_parent": F("province_code"),
                "c_level": Value(2),
                "c_period": day,
            },
            (m.N,),
        ),
        (
            "近期日·市",
            Cell.Grain.DAY,
            base.exclude(city_code="").filter(received_at__gte=recent),
            {
                "c_node": F("city_code"),
                "c_parent": F("province_code"),
                "c_level": Value(2),
                "c_period": day,
            },
            tuple(d for d in m.ALL_DIMS if d != m.N),
        ),
        (
            "近期日·县",
            Cell.Grain.DAY,
            base.filter(region__depth=2, received_at__gte=recent),
            {
                "c_node": F("region__code"),
                "c_parent": F("region__parent__code"),
                "c_level": Value(3),
                "c_period": day,
            },
            m.ALL_DIMS,
        ),
    ]
    with_industry_cells = base.filter(industry_id__gte=1, industry_id__lte=m.MAX_INDUSTRY_ID)
    passes += [
        ("月·省·行业", Cell.Grain.MONTH, with_industry_cells, _industry_groups(month), m.ALL_DIMS),
        (
            "近期日·省·行业",
            Cell.Grain.DAY,
            with_industry_cells.filter(received_at__gte=recent),
            _industry_groups(day),
            m.ALL_DIMS,
        ),
    ]
    with connection.cursor() as cursor:
        for label, grain, qs, groups, dims in passes:
            for family in m.families(qs, groups, dims):
                started = time.monotonic()
                _insert_family(cursor, table, family, int(grain))
                say(
                    f"{label} {family.dim}{':' + family.dim_key if family.dim_key else ''} "
                    f"{time.monotonic() - started:.1f}s"
                )
    _rollups(table, say)


def _rollups(table: str, say) -> None:
    """Month cells up the chain county → city → province → 全国; day cells province → 全国; the
    industry cells province → 全国."""
    with connection.cursor() as cursor:
        for level in (3, 2, 1):
            started = time.monotonic()
            _rollup(cursor, table, level, int(Cell.Grain.MONTH))
            say(f"月 汇总 {level}→{level - 1} {time.monotonic() - started:.1f}s")
        _rollup(cursor, table, 1, int(Cell.Grain.DAY))
        say("日 汇总 1→0")
        for grain in (Cell.Grain.MONTH, Cell.Grain.DAY):
            _rollup_industry(cursor, table, int(grain))
        say("行业 汇总 省→全国")


def stale_q(since=None):
    """Day cells below province level that are past the recent window (measures.RECENT_DAYS):
    no query reads them, and they stop being maintained; prune_stale() deletes them."""
    from django.db.models import Q

    since = since or m.recent_since(keep=True)
    return Q(grain=Cell.Grain.DAY, level__gte=2, period__lt=since) & ~Q(level=2, dim=m.N)


def prune_stale() -> int:
    return Cell.objects.filter(stale_q())._raw_delete(Cell.objects.db)


def rebuild(progress: Callable[[str], None] | None = None) -> int:
    """Replace every cell with the recomputation. Returns the number of cells."""
    refresh_workdays()
    with transaction.atomic():
        # The reports must not change underneath; writers wait for the rebuild (minutes at most).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {_q(Report._meta.db_table)} IN SHARE MODE")
                cursor.execute(f"TRUNCATE {_q(CELL_TABLE)}")
        else:
            Cell.objects.all().delete()
        fill(CELL_TABLE, progress=progress)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Fresh rows are not yet all-visible: without this, sums read the heap, not just the index.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {_q(CELL_TABLE)}")
    return Cell.objects.count()


def check(progress: Callable[[str], None] | None = None, limit: int = 50) -> list[tuple]:
    """Cells whose maintained value differs from a recomputation:
    [(node, dim, grain, period, key, maintained, recomputed)], at most `limit` of them."""
    from apps.stats.workdays import ensure_workdays

    ensure_workdays()
    scratch = "stats_cell_check"
    with transaction.atomic(), connection.cursor() as cursor:
        prune_stale()
        cursor.execute(f"DROP TABLE IF EXISTS {_q(scratch)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_q(scratch)} AS SELECT {COLUMNS} FROM {_q(CELL_TABLE)} WHERE 1 = 0"  # noqa: S608
        )
        cursor.execute(
            f"CREATE UNIQUE INDEX {_q(scratch + '_key')} ON {_q(scratch)} (node, dim, grain, period, key)"
        )
        fill(scratch, progress=progress)
        diff_sql = (
            "SELECT a.node, a.dim, a.grain, a.period, a.key, a.n, COALESCE(b.n, 0) "
            "FROM {a} a LEFT JOIN {b} b ON b.node = a.node AND b.dim = a.dim AND b.grain = a.grain "
            "AND b.period = a.period AND b.key = a.key WHERE a.n <> COALESCE(b.n, 0)"
        )
        cursor.execute(diff_sql.format(a=_q(CELL_TABLE), b=_q(scratch)) + f" LIMIT {int(limit)}")
        rows = [tuple(r) for r in cursor.fetchall()]
        # Cells the recomputation has and the maintained table lacks.
        cursor.execute(
            diff_sql.format(a=_q(scratch), b=_q(CELL_TABLE)).replace(
                "a.n, COALESCE(b.n, 0)", "COALESCE(b.n, 0), a.n"
            )
            + f" LIMIT {int(limit)}"
        )
        seen = {r[:5] for r in rows}
        rows += [tuple(r) for r in cursor.fetchall() if tuple(r)[:5] not in seen]
        cursor.execute(f"DROP TABLE {_q(scratch)}")
    return [(node, dim, grain, str(period)[:10], key, a, b) for node, dim, grain, period, key, a, b in rows][
        :limit
    ]

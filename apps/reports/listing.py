# ruff: noqa: S608 - SQL composed from Django-compiled querysets and our own constants only
"""所有举报 for a local org: its subtree's reports, newest first, paged from the hops' index.

A local user sees the reports that have a hop in their org's subtree (selectors.reports_visible_to).
Asking the reports table for them newest first makes the database walk the nation's reports and
probe each one's hops (a busy county: 150 ms for a page and as much again for its count, most of a
second with a date filter). Every hop carries its report's received_at, so each org of the subtree
reads its own newest hops from handling_org_report_received; the union of those short runs, with
duplicates removed (a report passes through several orgs of a subtree), gives the page exactly, and
the date filters become ranges on the same index. Filters on other report fields join the report
of each hop read. docs/performance.md has the figures.

The union has one branch per org, so a subtree larger than MAX_BRANCHES orgs (a province with its
内设机构) goes through the reports table instead, where its large share of the nation makes the walk
short.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from apps.core.paging import PagedRows
from apps.reports.deadlines import annotate_report_due
from apps.reports.filters import apply_report_filters
from apps.reports.models import Handling, Report

# SQLite refuses a compound SELECT of more than 500 parts; PostgreSQL plans 200 short branches in
# a few milliseconds.
MAX_BRANCHES = 200
ORDER = "report_received_at DESC, report_id DESC"
SAMPLE = 3  # see SubtreeReports.capped_count
ORG_PARAM = -1  # no org, catalog or date filter value is ever -1


class SubtreeReports(PagedRows):
    """A list of Report rows for django.core.paginator: slicing runs the union for the page's
    ids and then reads those reports; `capped_count` counts at most `cap` + 1 of them."""

    def __init__(self, org_ids: list[int], data: dict, rows: QuerySet[Report]):
        self.org_ids = org_ids
        self.data = data
        self.rows_qs = rows  # select_related and `due` for the page's reports

    def _branch(self, limit: int | None) -> tuple[str, tuple]:
        """The SQL of one org's hops that pass the filters, as (report_id, report_received_at): its
        newest `limit` reports, or all of them when limit is None. The org id is the parameter
        ORG_PARAM, replaced per org by _union (compiling 150 querysets costs 45 ms)."""
        hops = Handling.objects.filter(org_id=ORG_PARAM)
        if self.data.get("deadline"):
            hops = annotate_report_due(hops, prefix="report__")
        hops = apply_report_filters(hops, self.data, prefix="report__", received_field="report_received_at")
        hops = hops.values_list("report_id", "report_received_at").distinct()
        if limit is None:
            hops = hops.order_by()
        else:
            hops = hops.order_by("-report_received_at", "-report_id")[:limit]
        sql, params = hops.query.sql_with_params()
        if list(params).count(ORG_PARAM) != 1:
            raise ValueError("ORG_PARAM must be the branch's only parameter of that value")
        return sql, params

    def _union(self, limit: int | None, *, keep_duplicates: bool = False) -> tuple[str, tuple]:
        sql, branch_params = self._branch(limit)
        at = list(branch_params).index(ORG_PARAM)
        parts, params = [], []
        for n, org_id in enumerate(self.org_ids):
            # Wrapped so that each branch keeps its ORDER BY and LIMIT inside the compound SELECT.
            parts.append(f"SELECT * FROM ({sql}) AS b{n}")
            params.extend((*branch_params[:at], org_id, *branch_params[at + 1 :]))
        # UNION: one row per report, whichever orgs of the subtree it went through.
        return (" UNION ALL " if keep_duplicates else " UNION ").join(parts), tuple(params)

    def _fetch(self, sql: str, params: tuple) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def page_ids(self, offset: int, limit: int) -> list[int]:
        if not self.org_ids or limit <= 0:
            return []
        union, params = self._union(offset + limit)
        rows = self._fetch(
            f"SELECT report_id FROM ({union}) AS u ORDER BY {ORDER} LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return [row[0] for row in rows]

    def capped_count(self, cap: int) -> int:
        """Exact up to `cap`, else cap + 1.

        Removing duplicates (UNION) reads every branch to its end: a province's 450,000 hops.
        So first the branches are read one after another, duplicates kept, until SAMPLE × (cap + 1)
        rows: when those hold more than `cap` distinct reports, or are all there is, that settles
        it. Only a subtree whose first rows repeat the same reports more than SAMPLE times over
        needs the full UNION."""
        if not self.org_ids:
            return 0
        limit = cap + 1
        union, params = self._union(limit, keep_duplicates=True)
        first_rows = f"SELECT report_id FROM ({union}) AS u LIMIT %s"
        distinct, read = self._fetch(
            f"SELECT COUNT(DISTINCT report_id), COUNT(*) FROM ({first_rows}) AS s", (*params, SAMPLE * limit)
        )[0]
        if distinct >= limit or read < SAMPLE * limit:
            return min(distinct, limit)
        return min(self._count(limit), limit)

    def count(self) -> int:
        """Exact (the API's count)."""
        return self._count(None)

    def _count(self, limit: int | None) -> int:
        if not self.org_ids:
            return 0
        union, params = self._union(limit)
        return self._fetch(f"SELECT COUNT(*) FROM ({union}) AS u", params)[0][0]

    def rows(self, start: int, size: int) -> list[Report]:
        ids = self.page_ids(start, size)
        found = self.rows_qs.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def __len__(self) -> int:
        return self.count()

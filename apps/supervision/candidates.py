# ruff: noqa: S608 - SQL composed from model table names and our own constants only
"""The 督办举报 page, read from the running clocks instead of from every open report.

selectors.supervision_candidates defines the list: the open reports below the user's org whose
受理, 转办 or 核查 clock runs out before the warning limit, most urgent first. Asked of the reports
table that way it computes three correlated subqueries for every open report the user can see:
14 seconds for the ministry at ten million reports, 12 for a province (docs/performance.md).

Here each clock is read where it is indexed: pending and accepted hops through the partial indexes
on their due dates (few rows: only hops waiting for a decision), and the 60-day result clock
through the reports' partial index on result_due for the ministry, or from the open hops below a
local org. Each clock gives one row per report, so it can be read in due-date order only as far
as the page needs (its first offset + size rows are that many reports, and a report whose most
urgent clock lies beyond them ranks below all of them); for the capped count, cap + 1 rows of
each clock tell whether there are more than cap. The three are merged per report (its most urgent
clock), then ordered and paged: the same rows in the same order as the definition
(tests/supervision/test_candidates.py).
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from apps.core.paging import PagedRows
from apps.reports.models import Handling, Report
from apps.supervision.deadlines import OPEN_STATES, RESULT_STATUSES
from apps.supervision.models import Supervision

OPEN_REPORT_STATUSES = (Report.Status.RECEIVED, *RESULT_STATUSES)


def _in(values) -> tuple[str, list]:
    values = list(values)
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


class CandidatePage(PagedRows):
    """supervision_candidates as a list for CappedPaginator: slicing gives Report rows (with
    problem_type and accepting_org, and `urgent_due`), `capped_count` counts at most cap + 1."""

    def __init__(
        self, below_ids: list[int] | None, outside_ids: list[int] | None, limit: dt.date, supervised: str = ""
    ):
        """`below_ids`: the orgs strictly below the user's org; or, for the ministry, None and
        `outside_ids`, the few others (its own included): its "below" is "not one of these"."""
        self.below_ids = below_ids
        self.outside_ids = outside_ids
        self.limit = limit
        self.supervised = supervised  # "", "yes" or "no"
        self._supervised_reports = None

    @property
    def most_of_the_tree(self) -> bool:
        return self.outside_ids is not None

    # -- SQL ----------------------------------------------------------------------------------

    def _below(self, alias: str) -> tuple[str, list]:
        if self.most_of_the_tree:
            if not self.outside_ids:
                return "1 = 1", []
            sql, params = _in(self.outside_ids)
            return f"{alias}.org_id NOT IN {sql}", params
        if not self.below_ids:
            return "1 = 0", []
        sql, params = _in(self.below_ids)
        return f"{alias}.org_id IN {sql}", params

    def _hop_clock(self, state: str, due: str, first: int | None) -> tuple[str, list]:
        """Reports with a hop below root in `state` whose `due` is before the limit, one row each
        (its earliest such hop), read through the partial index on `due`: all of them, or the
        first `first`, most urgent first."""
        h, r = Handling._meta.db_table, Report._meta.db_table
        below, below_params = self._below("h")
        below2, below2_params = self._below("h2")
        statuses, status_params = _in(OPEN_REPORT_STATUSES)
        sql = (
            f"SELECT h.report_id AS report_id, h.{due} AS due, h.report_received_at AS rra "
            f"FROM {h} h JOIN {r} r ON r.id = h.report_id "
            f"WHERE h.state = %s AND h.{due} < %s AND {below} AND r.status IN {statuses} "
            f"AND NOT EXISTS (SELECT 1 FROM {h} h2 WHERE h2.report_id = h.report_id AND h2.state = %s "
            f"AND {below2} AND (h2.{due} < h.{due} OR (h2.{due} = h.{due} AND h2.id < h.id)))"
            f"{self._only('h.report_id')}"
        )
        params = [state, self.limit, *below_params, *status_params, state, *below2_params]
        # In order even for a count: the due-date index gives the order for free, where an unordered
        # read makes PostgreSQL scan for the rows (ministry: 50 ms against 240).
        return self._first(sql, params, first, f"h.{due}, h.report_received_at, h.report_id")

    def _result_clock(self, first: int | None, ordered: bool) -> tuple[str, list]:
        """Reports whose 60-day clock runs out before the limit, with an open hop below root."""
        h, r = Handling._meta.db_table, Report._meta.db_table
        below, below_params = self._below("h")
        statuses, status_params = _in(RESULT_STATUSES)
        states, state_params = _in(OPEN_STATES)
        if self.most_of_the_tree:
            # The ministry: nearly every open report qualifies; walk the result_due index.
            sql = (
                f"SELECT r.id AS report_id, r.result_due AS due, r.received_at AS rra FROM {r} r "
                f"WHERE r.status IN {statuses} AND r.result_due < %s AND EXISTS ("
                f"SELECT 1 FROM {h} h WHERE h.report_id = r.id AND h.state IN {states} AND {below})"
                f"{self._only('r.id')}"
            )
            params = [*status_params, self.limit, *state_params, *below_params]
            return self._first(sql, params, first, "r.result_due, r.received_at, r.id")  # (as above)
        # A local org: its open hops are few; read them and their reports. Counting stops after
        # `first` reports, so each report is taken once, at its first open hop below (an anti-join
        # the database can stop early on); listing all of them, DISTINCT is quicker.
        sql = (
            f"SELECT {'' if first is not None and not ordered else 'DISTINCT '}"
            f"r.id AS report_id, r.result_due AS due, r.received_at AS rra "
            f"FROM {h} h JOIN {r} r ON r.id = h.report_id "
            f"WHERE h.state IN {states} AND {below} AND r.status IN {statuses} AND r.result_due < %s"
            f"{self._only('r.id')}"
        )
        params = [*state_params, *below_params, *status_params, self.limit]
        if first is not None and not ordered:
            below2, below2_params = self._below("h2")
            sql += (
                f" AND NOT EXISTS (SELECT 1 FROM {h} h2 WHERE h2.report_id = h.report_id "
                f"AND h2.state IN {states} AND {below2} AND h2.id < h.id)"
            )
            params += [*state_params, *below2_params]
        return self._first(sql, params, first, "r.result_due, r.received_at, r.id" if ordered else "")

    @staticmethod
    def _first(sql: str, params: list, first: int | None, order: str) -> tuple[str, list]:
        if first is None:
            return sql, params
        if order:
            sql += f" ORDER BY {order}"
        return f"SELECT * FROM ({sql} LIMIT {int(first)}) AS f", params

    def _candidates(self, first: int | None, ordered: bool) -> tuple[str, list]:
        """(report_id, urgent_due, rra) of every candidate, or enough of them: with `ordered`,
        for the first `first` in order; without, to tell whether there are more than `first`.
        Each clock gives one row per report, so its first `first` rows are `first` reports and
        nothing that ranks among the first `first` of the merged list is cut (module __doc__).
        The 督办 filter depends on each report's most urgent clock. 已督办 ("yes") reads only the
        reports that have a 督办, uncut. 未督办 ("no") reads the clocks in order to `first` plus
        the number of reports with a 督办: at most that many of the first rows are "yes", so the
        first `first` "no" reports are among them, with their clocks exact."""
        if self.supervised == "yes":
            first = None
        elif self.supervised == "no" and first is not None:
            first, ordered = first + self._reports_with_supervision(), True
        parts = [
            self._hop_clock(Handling.State.PENDING, "accept_due", first),
            self._hop_clock(Handling.State.ACCEPTED, "dispatch_due", first),
            self._result_clock(first, ordered),
        ]
        union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS p{n}" for n, (sql, _) in enumerate(parts))
        params = [p for _, part_params in parts for p in part_params]
        sql = (
            f"SELECT report_id, MIN(due) AS urgent_due, MIN(rra) AS rra FROM ({union}) AS u "
            "GROUP BY report_id"
        )
        if self.supervised:
            s = Supervision._meta.db_table
            negate = "" if self.supervised == "yes" else "NOT "
            sql = (
                f"SELECT * FROM ({sql}) AS c WHERE {negate}EXISTS (SELECT 1 FROM {s} s "
                "WHERE s.report_id = c.report_id AND s.deadline = c.urgent_due)"
            )
        return sql, params

    def _only(self, column: str) -> str:
        """With the 已督办 filter, a clock reads only the reports that have a 督办."""
        if self.supervised != "yes":
            return ""
        return f" AND {column} IN (SELECT report_id FROM {Supervision._meta.db_table})"

    def _reports_with_supervision(self) -> int:
        if self._supervised_reports is None:
            table = Supervision._meta.db_table
            self._supervised_reports = self._fetch(f"SELECT COUNT(DISTINCT report_id) FROM {table}", [])[0][0]
        return self._supervised_reports

    def _fetch(self, sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    # -- the list protocol --------------------------------------------------------------------

    def page(self, offset: int, size: int) -> list[tuple[int, dt.date]]:
        sql, params = self._candidates(offset + size, ordered=True)
        rows = self._fetch(
            f"SELECT report_id, urgent_due FROM ({sql}) AS c ORDER BY urgent_due, rra, report_id "
            "LIMIT %s OFFSET %s",
            [*params, size, offset],
        )
        return [(report_id, _as_date(due)) for report_id, due in rows]

    def count(self) -> int:
        sql, params = self._candidates(None, ordered=False)
        return self._fetch(f"SELECT COUNT(*) FROM ({sql}) AS c", params)[0][0]

    def capped_count(self, cap: int) -> int:
        sql, params = self._candidates(cap + 1, ordered=False)
        return min(self._fetch(f"SELECT COUNT(*) FROM ({sql}) AS c", params)[0][0], cap + 1)

    def rows(self, start: int, size: int) -> list[Report]:
        page = self.page(start, size)
        related = Report.objects.select_related("problem_type", "accepting_org")
        reports = related.in_bulk([pk for pk, _ in page])
        for pk, due in page:
            reports[pk].urgent_due = due
        return [reports[pk] for pk, _ in page]


def _as_date(value) -> dt.date:
    # SQLite returns MIN() over a date column as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value

"""The screen's query parameters: text to dates, with a Chinese message for malformed input.

Ranges (2000-2099, start not after end, the longest span) are the statistics layer's rules:
apps.stats.queries raises StatsQueryError with its own Chinese message for those.
"""

from __future__ import annotations

import datetime as dt

from apps.dashboard.data import year_start


class BadParameter(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _date(raw: str | None, label: str) -> dt.date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise BadParameter(f"{label}格式不正确，请按“年-月-日”填写，例如 2025-01-01。") from None


def parse_period(start: str | None, end: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """(start, end), inclusive; missing ends default to this year so far."""
    return _date(start, "开始日期") or year_start(today), _date(end, "结束日期") or today

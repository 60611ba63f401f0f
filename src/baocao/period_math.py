"""Period strings of the observation contract, as dates and neighbours.

The contract writes periods as text (``2017-08``, ``2017-01/2017-08``, ``2023-Q3``,
``2022-H1``, ``2017``, ``2017-07-16/2017-08-15``, ``2017-08-31``). Deriving and auditing
figures needs a few operations on them: the same period one year earlier, the previous
month, the months a year-to-date covers, and the last day of a period (a report's date).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YTD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])/(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")

#: Regular expression each ``period_type`` must match (used by the schema checks).
PERIOD_PATTERNS: dict[str, str] = {
    "month": _MONTH.pattern,
    "ytd": _YTD.pattern,
    "quarter": _QUARTER.pattern,
    "half": _HALF.pattern,
    "year": _YEAR.pattern,
    "asof": _DAY.pattern,
    "range": _RANGE.pattern,
}


def _shift_day(text: str, years: int) -> str:
    y, m, d = (int(x) for x in text.split("-"))
    y += years
    d = min(d, calendar.monthrange(y, m)[1])  # 29 February -> 28 February
    return f"{y:04d}-{m:02d}-{d:02d}"


def shift_year(period: str, years: int = -1) -> str | None:
    """The same period ``years`` years away (``2017-01/2017-08`` -> ``2016-01/2016-08``)."""
    if not isinstance(period, str):
        return None
    if m := _MONTH.match(period):
        return f"{int(m[1]) + years:04d}-{m[2]}"
    if m := _YTD.match(period):
        return f"{int(m[1]) + years:04d}-{m[2]}/{int(m[3]) + years:04d}-{m[4]}"
    if m := _QUARTER.match(period):
        return f"{int(m[1]) + years:04d}-Q{m[2]}"
    if m := _HALF.match(period):
        return f"{int(m[1]) + years:04d}-H{m[2]}"
    if m := _YEAR.match(period):
        return f"{int(m[1]) + years:04d}"
    if _DAY.match(period):
        return _shift_day(period, years)
    if m := _RANGE.match(period):
        return f"{_shift_day(m[1], years)}/{_shift_day(m[2], years)}"
    return None


def year_of(period: str) -> str | None:
    """The calendar year a period ends in (``2017-01/2017-08`` -> ``2017``)."""
    end = period_end(period) if isinstance(period, str) else None
    return f"{end.year:04d}" if end else None


def ytd_months(period: str) -> tuple[int, int, int] | None:
    """``(year, first month, last month)`` of a year-to-date period within one year."""
    m = _YTD.match(period) if isinstance(period, str) else None
    if not m or m[1] != m[3]:
        return None
    return int(m[1]), int(m[2]), int(m[4])


def ytd_period(year: int, last_month: int) -> str:
    """The year-to-date period from January to ``last_month`` (January alone is a month)."""
    if last_month == 1:
        return f"{year:04d}-01"
    return f"{year:04d}-01/{year:04d}-{last_month:02d}"


def month_parts(period: str) -> tuple[int, int] | None:
    """``(year, month)`` of a month period, else None."""
    m = _MONTH.match(period) if isinstance(period, str) else None
    return (int(m[1]), int(m[2])) if m else None


def previous_month(period: str) -> str | None:
    """The month before a month period (``2017-01`` -> ``2016-12``)."""
    parts = month_parts(period)
    if parts is None:
        return None
    y, mo = parts
    return f"{y - 1:04d}-12" if mo == 1 else f"{y:04d}-{mo - 1:02d}"


def period_end(period: str) -> date | None:
    """The last day of a period; None when the text is not a contract period."""
    if not isinstance(period, str):
        return None
    try:
        if m := _MONTH.match(period):
            y, mo = int(m[1]), int(m[2])
            return date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _YTD.match(period):
            y, mo = int(m[3]), int(m[4])
            return date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _QUARTER.match(period):
            y, mo = int(m[1]), 3 * int(m[2])
            return date(y, mo, calendar.monthrange(y, mo)[1])
        if m := _HALF.match(period):
            return date(int(m[1]), 6, 30) if m[2] == "1" else date(int(m[1]), 12, 31)
        if m := _YEAR.match(period):
            return date(int(m[1]), 12, 31)
        if m := _DAY.match(period):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _RANGE.match(period):
            return date.fromisoformat(m[2])
    except ValueError:
        return None
    return None


def period_type_of(period: str) -> str | None:
    """The contract ``period_type`` a period string has the shape of."""
    for kind, pattern in PERIOD_PATTERNS.items():
        if re.match(pattern, period):
            return kind
    return None

"""How the book writes numbers, units and periods: ``4,020 billion VND``, ``Jan–Aug 2017``.

One place for these conventions so that a chart label, a table cell and a sentence of
prose print the same figure the same way.
"""

from __future__ import annotations

import math

import pandas as pd

#: How the book names the measures of the contract.
MEASURE_LABELS: dict[str, str] = {
    "level": "level",
    "yoy_pct": "% change on a year earlier",
    "plan_pct": "% of annual plan",
    "mom_pct": "% change on previous month",
    "base_pct": "% change on a named base",
    "yoy_diff": "change on a year earlier",
}

#: Units as words. ``count`` has none: the figure's name says what is counted
#: ("304 enterprises"), and "304 number" says nothing.
UNIT_LABELS: dict[str, str] = {
    "VND bn": "billion VND",
    "VND mn": "million VND",
    "USD mn": "million USD",
    "t": "tonnes",
    "ha": "hectares",
    "head": "head",
    "visits": "visits",
    "persons": "persons",
    "count": "",
    "kWh": "kWh",
    "m3": "m³",
    "%": "%",
    "pp": "percentage points",
}

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def is_missing(value: object) -> bool:
    """Whether a cell holds no value (None, NaN, NA)."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def fmt_number(value: float | None, decimals: int | None = None) -> str:
    """English-format a number with thousands separators and only the decimals it needs.

    >>> fmt_number(4020.0), fmt_number(462.4), fmt_number(156.202)
    ('4,020', '462.4', '156.202')
    """
    if is_missing(value):
        return "–"
    value = float(value)  # type: ignore[arg-type]
    if decimals is None:
        decimals = 0
        while decimals < 3 and abs(round(value, decimals) - value) > 1e-9 * max(1, abs(value)):
            decimals += 1
    return f"{value:,.{decimals}f}"


def unit_label(unit: str | None) -> str:
    """The unit in words (``VND bn`` → ``billion VND``); empty for counts."""
    if not isinstance(unit, str):
        return ""
    return UNIT_LABELS.get(unit, unit)


def fmt_value(value: float, unit: str, decimals: int | None = None) -> str:
    """A number with its unit as the book prints it: ``4,020 billion VND``, ``-6.8%``,
    ``56`` (a count: the name of the figure says what is counted)."""
    number = fmt_number(value, decimals)
    if unit == "%":
        return f"{number}%"
    if unit == "pp":
        return f"{number} pp"
    label = unit_label(unit)
    return f"{number} {label}" if label else number


def fmt_change(value: float, decimals: int = 1) -> str:
    """A percentage change with its sign: ``+25.1%``, ``-19.5%``."""
    return f"{value:+.{decimals}f}%"


def _month_range(start: str, end: str) -> str:
    y0, m0 = int(start[:4]), int(start[5:7])
    y1, m1 = int(end[:4]), int(end[5:7])
    if y0 == y1:
        return f"{_MONTHS[m0 - 1]}–{_MONTHS[m1 - 1]} {y1}"
    return f"{_MONTHS[m0 - 1]} {y0}–{_MONTHS[m1 - 1]} {y1}"


def _day(day: pd.Timestamp) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def period_label(period: str, period_type: str | None = None) -> str:
    """A reader's label for a contract period: ``2017-01/2017-08`` → ``Jan–Aug 2017``."""
    period = str(period)
    if "/" in period:
        start, end = period.split("/", 1)
        if len(start) == 7 and len(end) == 7:  # year-to-date or month range
            return _month_range(start, end)
        if len(start) == 10 and len(end) == 10:  # explicit day range
            d0, d1 = pd.Timestamp(start), pd.Timestamp(end)
            return f"{d0.day} {_MONTHS[d0.month - 1]}–{_day(d1)}"
        return period
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"{_MONTHS[int(period[5:]) - 1]} {period[:4]}"
    if len(period) == 10:
        return _day(pd.Timestamp(period))
    if "-Q" in period or "-H" in period:
        year, part = period.split("-")
        return f"{part} {year}"
    return period


def period_end(period: str) -> pd.Timestamp:
    """The last day a contract period covers (used to place it on a time axis)."""
    last = str(period).split("/")[-1]
    if "-Q" in last:
        year, quarter = last.split("-Q")
        return pd.Period(f"{year}Q{quarter}", freq="Q").end_time.normalize()
    if "-H" in last:
        year, half = last.split("-H")
        return pd.Timestamp(f"{year}-{6 if half == '1' else 12}-01") + pd.offsets.MonthEnd(0)
    if len(last) == 4:
        return pd.Timestamp(f"{last}-12-31")
    if len(last) == 7:
        return pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(last)


def period_start(period: str) -> pd.Timestamp:
    """The first day a contract period covers."""
    first = str(period).split("/")[0]
    if "-Q" in first:
        return pd.Period(first.replace("-Q", "Q"), freq="Q").start_time
    if "-H" in first:
        return pd.Timestamp(f"{first[:4]}-{1 if first.endswith('1') else 7}-01")
    if len(first) == 4:
        return pd.Timestamp(f"{first}-01-01")
    if len(first) == 7:
        return pd.Timestamp(f"{first}-01")
    return pd.Timestamp(first)


def period_mid(period: str) -> pd.Timestamp:
    """The middle of a contract period: where a time axis places it (a year sits mid-year)."""
    start, end = period_start(period), period_end(period)
    return start + (end - start) / 2


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 report``, ``2 reports``: a count with its noun in the right number."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {word}"


def join_words(items: list[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"

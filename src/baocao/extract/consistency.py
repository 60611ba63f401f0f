"""Report-level consistency: what one report's figures must satisfy together.

A sentence reader decides each figure from its own words and what it inherits; a mistake
there (a year-to-date figure given the month, a total read as a component, a figure taken
into the wrong period) usually leaves the report contradicting itself. These checks look
across the whole report after every sentence is read:

* a month's flow is not above the year to date that ends with it;
* a component is not above its total (the catalogue's identities say which is which);
* a figure printed twice for the same indicator, period and measure agrees within the
  printed rounding;
* the plan implied by a level and its plan share agrees with the other plan shares of the
  same indicator and year.

A figure that breaks one is flagged. Where the break can be blamed on a key the reader
inferred rather than read (a period inherited from context, not printed beside the
figure), that key is withdrawn: the figure goes out without a period rather than with a
guessed one. When both sides were printed, the report itself disagrees; both are kept,
flagged, for the audit to report.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from .catalogue import Catalogue
from .model import Row
from .numbers import parse_number

_NUMBER = re.compile(r"\d[\d.,]*")
TOLERANCE = 1e-3  # relative slack on top of printed rounding


def check_report(rows: list[Row], cat: Catalogue) -> None:
    """Run every report-level check on ``rows`` (in place)."""
    month_within_year_to_date(rows, cat)
    components_within_totals(rows, cat)
    repeats_agree(rows)
    plans_agree(rows)


def _levels(rows: Iterable[Row]) -> list[Row]:
    return [r for r in rows if r.measure == "level" and r.indicator and r.period is not None]


def rounding(row: Row) -> float:
    """Half a unit of the last printed digit, in the row's canonical unit."""
    match = _NUMBER.search(row.printed or "")
    mantissa = parse_number(match.group(0)) if match else None
    if not mantissa:
        return 0.0
    return abs(row.value / mantissa) * 0.5 * 10 ** (-row.decimals)


def _exceeds(big: Row, small: Row) -> bool:
    """Whether ``big`` is above ``small`` beyond both figures' printed rounding."""
    slack = rounding(big) + rounding(small) + TOLERANCE * abs(small.value)
    return big.value - small.value > slack


def _blame(rows: list[Row], flag: str) -> None:
    """Flag ``rows``; withdraw the period of those whose period was inferred, unless every
    one of them was (then none can be told from the others, and all lose it)."""
    inferred = [r for r in rows if not r.period_printed]
    for row in rows:
        if flag not in row.flags:
            row.flags.append(flag)
    for row in inferred:
        row.period = None
        if "period_missing" not in row.flags:
            row.flags.append("period_missing")


def month_within_year_to_date(rows: list[Row], cat: Catalogue) -> None:
    """A flow's month level above its year to date (ending that month, same unit)."""
    ytd: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    levels = _levels(rows)
    for row in levels:
        if row.period.type == "ytd" and row.period.value[:7] != row.period.value[-7:]:
            ytd[(row.indicator, row.period.value[-7:], row.unit)].append(row)
    for row in levels:
        owner = cat.indicators.get(row.indicator)
        if row.period is None or row.period.type != "month" or owner is None or \
                owner.kind != "flow":
            continue
        for total in ytd.get((row.indicator, row.period.value, row.unit), []):
            if total.period is not None and _exceeds(row, total):
                _blame([row, total], "month_above_year_to_date")


def components_within_totals(rows: list[Row], cat: Catalogue) -> None:
    """A component's level above its total's, for the same period and unit."""
    by_key: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in _levels(rows):
        by_key[(row.indicator, row.period.value, row.unit)].append(row)
    for (indicator, period, unit), parts in list(by_key.items()):
        for total_id in cat.totals_of.get(indicator, ()):
            for total in by_key.get((total_id, period, unit), []):
                for part in parts:
                    if part.period is not None and total.period is not None and \
                            _exceeds(part, total):
                        _blame([part, total], "component_above_total")


def repeats_agree(rows: list[Row]) -> None:
    """The same indicator, period, measure and base printed twice with different values."""
    seen: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        if row.indicator and row.period is not None:
            seen[(row.indicator, row.period.value, row.measure, row.base, row.unit)].append(row)
    for group in seen.values():
        if len(group) < 2:
            continue
        first = group[0]
        clash = [r for r in group[1:] if _exceeds(r, first) or _exceeds(first, r)]
        if clash:
            _blame([first, *clash], "repeat_disagrees")


def plans_agree(rows: list[Row]) -> None:
    """Plan shares of one indicator and year whose implied plans (level ÷ share) disagree
    with the others: the share is flagged (the report or the reading is wrong)."""
    levels = {(r.indicator, r.period.value, r.unit): r for r in _levels(rows)}
    implied: dict[tuple[str, str, str | None], list[tuple[Row, float, float]]] = \
        defaultdict(list)
    for row in rows:
        if row.measure != "plan_pct" or not row.indicator or row.period is None or \
                not row.value:
            continue
        level = next((lv for (i, p, _), lv in levels.items()
                      if i == row.indicator and p == row.period.value), None)
        if level is None:
            continue
        plan = level.value / row.value * 100
        slack = plan * (rounding(level) / max(abs(level.value), 1e-9)
                        + 0.5 * 10 ** (-row.decimals) / abs(row.value)) + TOLERANCE * plan
        implied[(row.indicator, row.period.value[:4], row.base)].append((row, plan, slack))
    for group in implied.values():
        if len(group) < 3:
            continue
        plans = sorted(p for _, p, _ in group)
        middle = plans[len(plans) // 2]
        for row, plan, slack in group:
            if abs(plan - middle) > 2 * slack and "plan_disagrees" not in row.flags:
                row.flags.append("plan_disagrees")

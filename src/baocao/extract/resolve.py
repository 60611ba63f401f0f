"""Stage 5: what needs more than one figure to settle.

- "lần lượt"/"tương ứng" pairs: the n-th figure after the marker is the n-th thing named
  before it;
- periods: a stock has no year to date (a flow summed "tính đến 30/11" keeps the day, as
  the reference figures store it);
  a figure whose sentence prints no period takes the one its context implies, or is left
  without one (flagged) when nothing implies it;
- a breakdown's trailing percentage: the report's own arithmetic decides whether it is the
  last component's or the total's (seed footnote 12).
"""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue import Catalogue
from .model import Mention, Row
from .periods import Period
from .recognize import Reading


def pair_respectively(r: Reading, rows: list[Row], previous: list[Mention] = ()) -> None:
    """``xuất khẩu và nhập khẩu lần lượt đạt 220 và 160 triệu USD``: the n-th figure after
    ``lần lượt``/``tương ứng`` belongs to the n-th indicator named before it — in its own
    clause, else in the sentence before ("Gồm thu nội địa … và thu hải quan …. Tháng 7 hai
    khoản này tương ứng là 179,8 và 380 tỷ đồng")."""
    text = r.text
    for marker in r.lex.pattern("Respectively").finditer(r.folded):
        start = max(text.rfind(";", 0, marker.start()), text.rfind(":", 0, marker.start())) + 1
        end = text.find(";", marker.end())
        end = len(text) if end < 0 else end
        named = named_in(r.mentions, start, marker.start(), r.cat)
        if len(named) < 2 and start:
            # "…; so với cùng kỳ, hai chỉ tiêu này tăng lần lượt 13,6% và 3,9%"
            clause = max(text.rfind(";", 0, start - 1), text.rfind(":", 0, start - 1)) + 1
            named = named_in(r.mentions, clause, start, r.cat)
        if len(named) < 2:
            named = list(previous)
        after = [row for row in rows if marker.end() <= row.start < end]
        if len(named) < 2 or not after:
            continue
        for measure in dict.fromkeys(row.measure for row in after):
            group = [row for row in after if row.measure == measure]
            if len(group) == len(named):
                _pair(r.cat, group, named)


def named_in(mentions: list[Mention], start: int, end: int,
             cat: Catalogue | None = None) -> list[Mention]:
    """The indicators named, one id each, in ``[start, end)``, in order; a role word
    ("tổng vốn đăng ký") names the sibling of what was named before it."""
    out: list[Mention] = []
    for m in mentions:
        if not start <= m.start < end:
            continue
        if len(m.ids) == 1 and not m.role:
            out.append(m)
        elif m.role and not m.ids and cat is not None and out:
            target = cat.role_target(m.role, [o.ids[0] for o in reversed(out)])
            if target:
                out.append(Mention(m.start, m.end, m.text, [target]))
    return out


def _pair(cat: Catalogue, group: list[Row], named: list) -> None:
    for row, mention in zip(group, named, strict=True):
        ind = cat.indicators[mention.ids[0]]
        unit_dimension = cat.dimension_of_unit.get(row.unit, row.unit)
        if row.measure == "level" and cat.dimension(ind) != unit_dimension:
            continue
        row.indicator, row.label, row.candidates = ind.id, mention.text, []
        row.flags = [f for f in row.flags if f not in ("indicator_unknown", "unit_mismatch",
                                                       "ambiguous_attachment")]


def last_month(period: Period) -> tuple[int, int]:
    """The year and month a cumulative period ends with."""
    if period.type == "year":
        return int(period.value), 12
    if period.type in ("quarter", "half"):
        year, part = int(period.value[:4]), int(period.value[-1])
        return year, part * (3 if period.type == "quarter" else 6)
    end = period.value[-7:]
    return int(end[:4]), int(end[5:7])


def _settle_printed(cat: Catalogue, row: Row) -> None:
    """A printed period, made to fit the indicator's kind: a stock has no year to date."""
    ind = cat.indicators.get(row.indicator or "")
    if ind is None or row.period is None:
        return
    if (ind.is_stock or row.stock) and row.period.type in ("ytd", "year", "quarter", "half"):
        # a stock has no year to date: "đến hết tháng 8" is an as-of date, a cumulative
        # period from the context is its last month
        year, month = last_month(row.period)
        through = row.through or row.period.through
        row.period = Period.month_end(year, month) if through else Period.month(year, month)


def _default_period(r: Reading, row: Row, monthly: set[str | None], saw_ytd_later: bool,
                    context: Period | None) -> Period | None:
    """The period of a figure whose sentence prints none: the report month for a figure
    compared with last month or printed before a year to date; else the period in force
    in its paragraph or section; else what the report and the indicator imply."""
    ctx, ind = r.ctx, r.cat.indicators.get(row.indicator or "")
    has_month = ctx.year is not None and ctx.month is not None
    if has_month and ((row.indicator in monthly and ctx.kind == "monthly") or saw_ytd_later):
        return Period.month(ctx.year, ctx.month)  # compared with last month, or before a ytd
    if has_month and ind is not None and ind.default_period == "ytd":
        # outputs, harvests, planting: reported to date unless the sentence says otherwise
        return Period.ytd(ctx.year, ctx.month)
    if context is not None:
        return context
    if not has_month:
        return None
    held = row.stock or (ind is not None and (ind.is_stock or ind.default_period == "month"))
    if held:
        return Period.month(ctx.year, ctx.month)
    return ctx.default


def finish_periods(r: Reading, rows: Iterable[Row], saw_ytd_later: bool,
                   context: Period | None = None) -> None:
    """Every row's final period (or the ``period_missing`` flag); ``context`` is the period
    in force where the sentence stands (its paragraph's, or its section heading's)."""
    rows = list(rows)
    # an indicator compared with the previous month is, here, a month's figure
    monthly = {row.indicator for row in rows if row.measure == "mom_pct" and row.period_pending}
    for row in rows:
        if row.period is not None:
            _settle_printed(r.cat, row)
            continue
        if not row.period_pending:
            continue
        row.period = _default_period(r, row, monthly, saw_ytd_later, context)
        if row.period is None:
            row.flags.append("period_missing")
        else:
            _settle_printed(r.cat, row)


def _levels(rows: list[Row]) -> dict[tuple[str | None, str | None], list[Row]]:
    levels: dict[tuple[str | None, str | None], list[Row]] = {}
    for row in rows:
        if row.measure == "level" and row.period is not None:
            levels.setdefault((row.indicator, row.period.value), []).append(row)
    return levels


def _level_of(levels: dict, indicator: str, period: str) -> float | None:
    """A level printed for ``indicator`` in ``period``, or the sum of its parts."""
    if (indicator, period) in levels:
        return levels[(indicator, period)][0].value
    parts = [row for (i, p), rs in levels.items() if p == period for row in rs
             if row.component_of == indicator and i is not None]
    return sum(row.value for row in parts) if len(parts) >= 2 else None


def resolve_by_arithmetic(rows: list[Row], cat: Catalogue) -> None:
    """Attach a breakdown's trailing month-on-month percentage to the component or the
    total, whichever the report's own levels reproduce; leave it unknown when neither or
    both do."""
    levels = _levels(rows)
    for row in rows:
        if "ambiguous_attachment" not in row.flags or row.period is None:
            continue
        if row.measure != "mom_pct" or row.period.type != "month":
            row.indicator = None
            continue
        y, m = int(row.period.value[:4]), int(row.period.value[5:7])
        prev = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
        matches = []
        for cand in filter(None, row.candidates):
            cur, before = _level_of(levels, cand, row.period.value), _level_of(levels, cand, prev)
            if cur is None or not before:
                continue
            implied = (cur / before - 1) * 100
            if abs(implied - row.value) <= 0.5 * 10 ** (-row.decimals) + 0.05:
                matches.append((cand, implied, cur, before))
        row.indicator = None
        if len(matches) == 1:
            cand, implied, cur, before = matches[0]
            row.indicator, row.label = cand, cat.indicators[cand].name_vi
            row.flags.remove("ambiguous_attachment")
            row.note = (f"attached to {cand} by the report's own figures: "
                        f"{cur:g} vs {before:g} in {prev} is {implied:+.1f}%")

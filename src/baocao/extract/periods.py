"""Periods, comparison bases, status and target words: the genre's cues, found in text.

A cue is a span of a sentence with what it means. The grammar walks cues and figures in
order; everything here is pure and testable on its own (hypothesis tests in
``tests/test_periods.py``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lexicon import Entry



@dataclass(frozen=True)
class Period:
    """A period of the contract: ``value`` (e.g. ``2017-01/2017-08``) and ``type``;
    ``through`` when it was printed as running to the end of its last month ("đến hết
    tháng 8"), which for a stock is a date (not part of the period's identity)."""

    value: str
    type: str
    through: bool = field(default=False, compare=False)

    @staticmethod
    def month(year: int, month: int) -> Period:
        return Period(f"{year:04d}-{month:02d}", "month")

    @staticmethod
    def ytd(year: int, month: int) -> Period:
        if month == 1:
            return Period.month(year, 1)
        if month == 12:  # "12 tháng", "lũy kế cả năm": the calendar year
            return Period(f"{year:04d}", "year")
        return Period(f"{year:04d}-01/{year:04d}-{month:02d}", "ytd")

    @staticmethod
    def asof(year: int, month: int, day: int) -> Period:
        return Period(f"{year:04d}-{month:02d}-{day:02d}", "asof")

    @staticmethod
    def month_end(year: int, month: int) -> Period:
        return Period.asof(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class ReportContext:
    """What a sentence may leave out: the report's year and month, and its language."""

    year: int | None
    month: int | None
    kind: str = "monthly"
    language: str = "vi"
    # the period of a cumulative report (9 months, a quarter, a year): what a flow figure
    # means when its sentence names no period. None for monthly reports, where it is unsure.
    default: Period | None = None
    province: str | None = None  # "Lạng Sơn": other places named in a clause narrow it
    issued: str | None = None  # the dateline's date (ISO), when printed
    title: str = ""


@dataclass(frozen=True)
class Cue:
    """A span of text that sets period, comparison base, status or target scope."""

    start: int
    end: int
    kind: str  # period | through | comparator | plan | status | target
    period: Period | None = None
    base_kind: str | None = None  # yoy | mom | qoq | base_month | base_date | base_year
    base: str | None = None
    plan_base: str | None = None  # central | provincial
    year_ref: int | None = None  # a year the comparison names ("cùng kỳ năm 2023")


def valid_date(year: int | None, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or year is None:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _year(text: str | None, ctx: ReportContext) -> int | None:
    return int(text) if text else ctx.year


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _comparator(entry: Entry, m: re.Match[str], ctx: ReportContext) -> Cue | None:
    """A comparison cue with its base resolved (None when the date it names is invalid)."""
    kind, base = entry.get("base"), None
    groups = m.groupdict()
    if kind == "base_month":
        month, year = int(groups["month"]), int(groups["year"])
        if not 1 <= month <= 12:
            return None
        base = f"{year:04d}-{month:02d}"
    elif kind == "base_date":
        day, month, year = int(groups["day"]), int(groups["month"]), int(groups["year"])
        if not valid_date(year, month, day):
            return None
        base = f"{year:04d}-{month:02d}-{day:02d}"
    elif kind == "base_prev_year_end":
        if ctx.year is None:
            return None
        kind, base = "base_date", f"{ctx.year - 1:04d}-12-31"
    elif kind in ("base_month_this_year", "base_month_last_year"):
        month = int(groups["month"])
        if ctx.year is None or not 1 <= month <= 12:
            return None
        # "so với tháng 7" in an August report; a later month is last year's
        last_year = kind == "base_month_last_year" or bool(ctx.month and month > ctx.month)
        year = ctx.year - 1 if last_year else ctx.year
        kind, base = "base_month", f"{year:04d}-{month:02d}"
    elif kind == "base_year_end":
        kind, base = "base_date", f"{int(groups['year']):04d}-12-31"
    elif kind == "base_year":
        base = groups["year"]
    ref = groups.get("ref_year")
    return Cue(m.start(), m.end(), "comparator", base_kind=kind, base=base,
               year_ref=int(ref) if ref else None)


def _range(g: dict, ctx: ReportContext) -> Period | None:
    d1, m1, d2, m2 = int(g["d1"]), int(g["m1"]), int(g["d2"]), int(g["m2"])
    y2 = _year(g["y2"], ctx)
    y1 = int(g["y1"]) if g["y1"] else (y2 if y2 is None or m1 <= m2 else y2 - 1)
    if valid_date(y1, m1, d1) and valid_date(y2, m2, d2):
        return Period(f"{y1:04d}-{m1:02d}-{d1:02d}/{y2:04d}-{m2:02d}-{d2:02d}", "range")
    return None


def _asof(g: dict, ctx: ReportContext) -> Period | None:
    day, month = int(g["day"]), int(g["month"])
    year = int(g["year"]) if g["year"] else ctx.year
    return Period.asof(year, month, day) if valid_date(year, month, day) else None


def _through_month(g: dict, ctx: ReportContext) -> Period | None:
    month, year = int(g["month"]), _year(g["year"], ctx)
    return Period.ytd(year, month) if year and 1 <= month <= 12 else None


def _report_ytd(g: dict, ctx: ReportContext) -> Period | None:
    return Period.ytd(ctx.year, ctx.month) if ctx.year and ctx.month else None


def _second_half(g: dict, ctx: ReportContext) -> Period | None:
    year = _year(g["year"], ctx)
    return Period(f"{year:04d}-H2", "half") if year else None


def _first_half(g: dict, ctx: ReportContext) -> Period | None:
    year = _year(g["year"], ctx)
    return Period.ytd(year, 6) if year else None


def _months(g: dict, ctx: ReportContext) -> Period | None:
    word = g["months"] or re.sub(r"\s+", " ", g["months_word"].lower())
    months = int(word) if word.isdigit() else _lex().map("month_counts").get(word)
    year = _year(g["year"], ctx)
    return Period.ytd(year, months) if year and months and 1 <= months <= 12 else None


def _quarter(g: dict, ctx: ReportContext) -> Period | None:
    year = _year(g["year"], ctx)
    q = int(g["q"]) if g["q"].isdigit() else _lex().map("roman_numerals")[g["q"].lower()]
    return Period(f"{year:04d}-Q{q}", "quarter") if year else None


def _month(g: dict, ctx: ReportContext) -> Period | None:
    month, year = int(g["month"]), _year(g["year"], ctx)
    return Period.month(year, month) if year and 1 <= month <= 12 else None


def _month_named(g: dict, ctx: ReportContext) -> Period | None:
    month = _lex().map("month_names")[re.sub(r"\s+", " ", g["name"].lower())]
    year = _year(g["year"], ctx)
    return Period.month(year, month) if year else None


def _this_month(g: dict, ctx: ReportContext) -> Period | None:
    return Period.month(ctx.year, ctx.month) if ctx.year and ctx.month else None


def _this_year(g: dict, ctx: ReportContext) -> Period | None:
    if not ctx.year:
        return None
    if ctx.month and ctx.month < 12 and ctx.kind != "annual":
        return Period.ytd(ctx.year, ctx.month)
    return Period(f"{ctx.year:04d}", "year")


def _whole_year(g: dict, ctx: ReportContext) -> Period | None:
    year = _year(g.get("year"), ctx)
    return Period(f"{year:04d}", "year") if year else None


# how each kind of period cue (catalogue `resolve`) becomes a period of the contract
RESOLVERS = {
    "range": _range, "asof": _asof, "through_month": _through_month,
    "year_to_date": _report_ytd, "bare_ytd": _report_ytd, "second_half": _second_half,
    "first_half": _first_half,
    "months": _months, "quarter": _quarter, "month": _month, "month_named": _month_named,
    "this_month": _this_month, "this_year": _this_year, "whole_year": _whole_year,
}


def _lex():
    from .lexicon import load_lexicon

    return load_lexicon()


def find_cues(text: str, ctx: ReportContext) -> list[Cue]:
    """All cues in a sentence, non-overlapping, in text order."""
    lex = _lex()
    cues: list[Cue] = []
    taken: list[tuple[int, int]] = []

    def add(cue: Cue | None) -> None:
        if cue is not None and not _overlaps((cue.start, cue.end), taken):
            cues.append(cue)
            taken.append((cue.start, cue.end))

    for entry in lex.group("comparators"):
        for m in entry.regex.finditer(text):
            add(_comparator(entry, m, ctx))
    not_a_year = lex.pattern("NotAYearBefore")
    for entry in lex.group("periods"):
        resolve = RESOLVERS[entry.get("resolve")]
        for m in entry.regex.finditer(text):
            if entry.get("resolve") == "whole_year" and not_a_year.search(text[: m.start()]):
                continue
            period = resolve(m.groupdict(), ctx)
            if period is not None:
                if entry.get("kind") == "through":
                    period = replace(period, through=True)
                add(Cue(m.start(), m.end(), entry.get("kind"), period))
    # status and target words may overlap a period cue ("ước tính đến 31/8/2017")
    cues.extend(Cue(m.start(), m.end(), "status") for m in lex.pattern("Status").finditer(text))
    cues.extend(Cue(m.start(), m.end(), "target") for m in lex.pattern("Target").finditer(text))
    cues.sort(key=lambda c: c.start)
    return cues


def plan_base(phrase: str) -> str | None:
    """Whose plan a plan phrase names: ``central``, ``provincial`` or None."""
    for entry in _lex().group("plan_bases"):
        if entry.regex.search(phrase) and re.search(entry.get("needs"), phrase, re.I):
            return entry.get("base")
    return None


def plan_before(text: str, start: int, pos: int) -> tuple[int, str | None] | None:
    """A plan named before its percentage with only a verb (or a bracket) between: "so với
    dự toán Trung ương giao đạt 70,1%", "vượt kế hoạch năm (đạt 110,4%)"."""
    lex = _lex()
    for m in reversed(list(lex.pattern("Plan").finditer(text, start, pos))):
        if re.search(r"[\d%]\s*$", text[: m.start()]):
            continue  # "bằng 65,2% kế hoạch, tăng 9,8%": the plan of the figure before
        rest = text[m.end() : pos]
        for entry in lex.group("verbs"):
            rest = entry.regex.sub(" ", rest)
        if not m.group(0).strip() or rest.strip(" (:,"):
            continue
        return m.end(), plan_base(m.group(0))
    return None


def plan_after(text: str, pos: int) -> tuple[int, str | None] | None:
    """If a plan phrase starts at ``pos`` (after spaces), its end and base (central/provincial)."""
    lex = _lex()
    m = lex.pattern("Plan").match(text, pos + (len(text[pos:]) - len(text[pos:].lstrip())))
    if not m:
        return None
    return m.end(), plan_base(m.group(0))

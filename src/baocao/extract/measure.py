"""Stage 4 of reading a sentence: what a figure measures, decided by a table.

A percentage is a change, a plan share, a share of a whole or a level (a rate); which one
depends on its verb's sense (``tăng`` increase, ``bằng`` ratio, ``đạt`` reach, ``vượt``
exceed, ``chiếm`` share …, from ``catalogue/vi/verbs.yaml``), the cue after it (a plan
noun, a comparison base, percentage points, a scenario) and the indicator's kind (a growth
rate, a herd). :data:`PERCENT_RULES` is that decision table, read top to bottom; the first
rule that applies decides. A comparison base then decides the change's measure
(:data:`BASE_MEASURES`). Nothing here knows a Vietnamese word: the recognisers do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .catalogue import Indicator
from .figures import Figure
from .periods import Cue, Period
from .recognize import Reading

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
CUMULATIVE = ("ytd", "year", "quarter", "half")


def verb_sense(r: Reading, words: str) -> str | None:
    """The sense of a verb phrase (``increase`` for "tăng", "cao hơn" …)."""
    for entry in r.lex.group("verbs"):
        if entry.regex.fullmatch(words.strip()):
            return entry.get("sense")
    return None


def last_verb(r: Reading, a: int, b: int) -> tuple[str | None, int]:
    """The sense and start of the last verb in ``[a, b)`` (None, -1 when there is none)."""
    best: tuple[int, int, str | None] = (-1, 0, None)
    for entry in r.lex.group("verbs"):
        for m in entry.regex.finditer(r.folded, a, b):
            if m.start() > best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end(), entry.get("sense"))
    return best[2], best[0]


def comparator_for(r: Reading, pct_end: int, pct_start: int = -1,
                   inherited: Cue | None = None) -> tuple[Cue | None, str]:
    """The comparison base of a figure and how it was found: right after it (``direct``),
    printed just before its verb (``direct``), later in the sentence before another period
    starts (``later``), earlier (``earlier``), or inherited from the citing sentence."""
    text, comps = r.text, r.comparators()
    for c in comps:  # "tăng 3,75% so với cùng kỳ"
        if c.start >= pct_end and not text[pct_end : c.start].strip():
            return c, "direct"
    before = _base_before(r, comps, pct_start)
    if before is not None:
        return before, "direct"
    for c in comps:  # "tăng 3,75%, so với cùng kỳ" — unless that base heads the next figure
        if c.start >= pct_end and not text[pct_end : c.start].strip(" ,") and \
                not _heads_a_figure(r, c):
            return c, "direct"
    periods = [c.start for c in r.cues if c.kind in ("period", "through")]
    later = [c for c in comps if c.start >= pct_end
             and not any(pct_end <= p < c.start for p in periods)]
    if later:
        return later[0], "later"
    earlier = [c for c in comps if c.end <= pct_end]
    if earlier:
        return earlier[-1], "earlier"
    if inherited is not None:
        return inherited, "inherited"
    return None, "none"


def _heads_a_figure(r: Reading, comp: Cue) -> bool:
    """Whether a base is followed by its own verb and figure ("…; so với tháng trước tăng
    7,1%, so với cùng tháng năm 2021 tăng 10,3%")."""
    nxt = next((f for f in r.figures if f.start >= comp.end), None)
    if nxt is None:
        return False
    between = r.text[comp.end : nxt.start]
    return "," not in between and ";" not in between and last_verb(r, comp.end,
                                                                    nxt.start)[0] is not None


def _base_before(r: Reading, comps: list[Cue], pct_start: int) -> Cue | None:
    """"so với cùng kỳ, CPI tăng 3,75%": the base printed before the figure's verb."""
    text = r.text
    for c in reversed(comps):
        if c.end > pct_start:
            continue
        if any(e <= c.start and not text[e : c.start].strip(" ,") for e in r.percent_ends):
            continue  # that base is the one right after an earlier percentage
        between = text[c.end : pct_start]
        opens_clause = not text[: c.start].strip() or text[: c.start].rstrip()[-1:] in ";,:("
        figure_between = any(c.end <= f < pct_start for f in r.figure_starts)
        words = len(_WORD.findall(between))
        if ";" not in between and not figure_between and (
                words <= 2 or (opens_clause and words <= 12)):
            return c
    return None


def signed(value: float, sense: str | None, fig: Figure) -> float:
    """A change's value: a printed sign wins; "giảm" is negative; "bằng X%" is X − 100."""
    if fig.explicit_sign:
        return value
    if sense == "decrease":
        return -abs(value)
    if sense in ("ratio", "reach"):
        return round(value - 100.0, 10)
    return value


@dataclass(frozen=True)
class Measured:
    """A decision: the measure, its base, the value (transformed), the unit, flags, and
    whether the figure keeps the indicator it was attached to."""

    measure: str
    value: float
    unit: str = "%"
    base: str | None = None
    flags: tuple[str, ...] = ()
    keeps_indicator: bool = True
    indicator: str | None = None  # an indicator the decision itself names (a share's id)
    period: Period | None = None  # a period the decision itself implies (CPI averages)


@dataclass
class Percent:
    """Everything the percent table looks at."""

    r: Reading
    fig: Figure
    sense: str | None
    owner: Indicator | None
    indicator: str | None
    period: Period | None
    before: str  # the words since the last figure or clause break
    last_level_indicator: str | None
    inherited_comparator: Cue | None
    plan: tuple[int, str | None] | None = None
    comparator: tuple[Cue | None, str] = (None, "none")
    flags: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.fig.number

    def following(self, name: str) -> bool:
        return self.r.lex.pattern(name).match(self.r.text, self.fig.end) is not None


def _level(p: Percent, flag: str, unit: str = "%", named: bool = False) -> Measured:
    flags = (flag,) if named or p.indicator else (flag, "subject_unknown")
    return Measured("level", p.value, unit, flags=flags, keeps_indicator=False)


def _points(p: Percent) -> Measured | None:
    """"1,15 điểm phần trăm": a contribution, never a growth rate."""
    return _level(p, "percentage_points", "pp", named=True) if p.following("PercentagePoints") \
        else None


def _contribution(p: Percent) -> Measured | None:
    """"(tác động làm giảm CPI chung 0,14%)": a part's contribution to the total's change."""
    if p.r.lex.pattern("Contribution").search(p.before):
        return _level(p, "contribution", "pp", named=True)
    return None


def _scenario(p: Percent) -> Measured | None:
    """"bằng 95% kịch bản": a share of a growth scenario, neither a plan nor a change."""
    return _level(p, "scenario_share", named=True) if p.following("Scenario") else None


def _owned_share(p: Percent) -> Measured | None:
    """"chiếm 21,5%" of an indicator that has a share series: that series' level."""
    if p.sense == "share" and p.plan is None and p.owner is not None and p.owner.share:
        return Measured("level", p.value, indicator=p.owner.share, keeps_indicator=False)
    return None


def _rate(p: Percent) -> Measured | None:
    """A rate or a share ("tỷ lệ …", "chiếm …") that is not a share of a plan."""
    if p.plan is not None:
        return None
    text, rate_word = p.r.text, p.r.lex.pattern("RateWord")
    clause = text[max(text.rfind(mark, 0, p.fig.start) for mark in ",;:(") + 1 : p.fig.start]
    if rate_word.search(p.before) or rate_word.search(clause) or p.sense == "share":
        return _level(p, "share_or_rate")
    return None


def _plan_share(p: Percent) -> Measured | None:
    """"đạt 66,1% kế hoạch", "vượt 28,6% dự toán" (128,6%), "tăng 5% kế hoạch" (unclear)."""
    if p.plan is None:
        return None
    value, flags, keeps = p.value, tuple(p.flags), True
    if p.sense == "exceed" and value < 100:
        value = 100.0 + value  # "vượt 132% dự toán" (press usage) can only mean 132% reached
    elif p.sense in ("increase", "decrease"):
        flags, keeps = (*flags, "plan_change_ambiguous"), False
    return Measured("plan_pct", value, base=p.plan[1], flags=flags, keeps_indicator=keeps)


def _growth_rate(p: Percent) -> Measured | None:
    """A growth-rate indicator's percentage ("tốc độ tăng trưởng … đạt 8,06%", "… ước đạt
    8,27% so với cùng kỳ"): the rate itself, unless printed as a ratio ("bằng 105%")."""
    comp, how = p.comparator
    if p.owner is None or not p.owner.bare_percent or p.sense == "ratio":
        return None
    if comp is not None and how == "direct" and p.sense not in ("reach", None):
        return None
    value = -abs(p.value) if p.sense == "decrease" else p.value
    return Measured(p.owner.bare_percent, value, flags=tuple(p.flags))


def _reached(p: Percent) -> Measured | None:
    """"đạt 56,9%" with no base: a plan share in a list of plan shares, else a rate."""
    comp, how = p.comparator
    if p.sense != "reach" or (comp is not None and how == "direct"):
        return None
    has_plan_word = p.r.lex.pattern("PlanNoun").search(p.r.text) is not None
    if has_plan_word and p.indicator and p.last_level_indicator == p.indicator:
        return Measured("plan_pct", p.value, flags=(*p.flags, "plan_implied"))
    return _level(p, "share_or_rate")


def _new_level(p: Percent) -> Measured | None:
    """"tăng lên 12%", "giảm còn 3,5%": the new level of a rate, not a change."""
    return _level(p, "share_or_rate") if p.sense in ("rise_to", "fall_to") else None


def _no_base(p: Percent) -> Measured | None:
    """A change printed with no base: against last year for a cumulative figure or a herd
    (there is no other base for it); otherwise unsure, and flagged."""
    if p.comparator[0] is not None:
        return None
    if p.sense is None and not p.fig.explicit_sign:
        return _level(p, "share_or_rate")
    effective = p.period or p.r.ctx.default
    cumulative = effective is not None and effective.type in CUMULATIVE
    herd_like = p.owner is not None and p.owner.bare_change == "yoy_pct"
    stock = p.owner is not None and p.owner.is_stock and not herd_like
    value = signed(p.value, p.sense, p.fig)
    if p.indicator and p.sense in ("increase", "decrease", "ratio") and not stock and (
            cumulative or herd_like):  # (a stock is compared with a date, often year-end)
        return Measured("yoy_pct", value, flags=(*p.flags, "comparator_implied"))
    return Measured("change_pct", value, flags=(*p.flags, "comparator_missing"),
                    keeps_indicator=False)


def _against_base(p: Percent) -> Measured | None:
    """A change against the base found for it (:data:`BASE_MEASURES`)."""
    comp, how = p.comparator
    if comp is None:
        return None
    measure, base, period = measure_for_base(comp, p.period)
    flags = (*p.flags, "comparator_inherited") if how == "inherited" else tuple(p.flags)
    indicator = None
    if p.owner is not None and p.owner.role == "capital" and p.owner.role_of and \
            p.following("AboutCount"):
        indicator = p.owner.role_of[0]  # "tăng 12% về số doanh nghiệp": the count
    return Measured(measure, signed(p.value, p.sense, p.fig), base=base, flags=flags,
                    period=period, indicator=indicator)


# The percent decision table: the first rule that returns a decision wins.
PERCENT_RULES: tuple[Callable[[Percent], Measured | None], ...] = (
    _points, _contribution, _scenario, _owned_share, _rate, _plan_share, _growth_rate,
    _reached, _new_level, _no_base, _against_base,
)


def decide_percent(p: Percent) -> Measured:
    """The measure of a percentage, by :data:`PERCENT_RULES`."""
    if p.sense == "share" and p.plan is not None:
        p = replace(p, sense="reach")  # "chiếm 13,4% kế hoạch": a plan share
    for rule in PERCENT_RULES:
        decided = rule(p)
        if decided is not None:
            return decided
    raise AssertionError("the percent table has a rule for every case")  # _no_base/_against


def _previous_month(period: Period) -> tuple[str, str]:
    y, m = int(period.value[:4]), int(period.value[5:7])
    prev = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"
    return prev, f"{y - 1:04d}-{m:02d}"


def measure_for_base(comp: Cue, period: Period | None) -> tuple[str, str | None, Period | None]:
    """The measure, base and (when the base implies one) period of a change against
    ``comp``: a named month that is the month before is month-on-month, the same month a
    year earlier is year-on-year; an average against last year's average covers the year
    to date."""
    kind = comp.base_kind
    if kind == "yoy_avg":
        if period is not None and period.type == "month":
            return "yoy_pct", None, Period.ytd(int(period.value[:4]), int(period.value[5:7]))
        return "yoy_pct", None, None
    if kind in BASE_MEASURES:
        measure, base = BASE_MEASURES[kind]
        return measure, base, None
    if kind == "base_month" and period is not None and period.type == "month":
        previous, same_last_year = _previous_month(period)
        if comp.base == previous:
            return "mom_pct", None, None
        if comp.base == same_last_year:
            return "yoy_pct", None, None
    return "base_pct", comp.base, None


# comparison bases that decide the measure by themselves: kind -> (measure, base)
BASE_MEASURES = {
    "yoy": ("yoy_pct", None),
    "mom": ("mom_pct", None),
    "qoq": ("base_pct", "previous_quarter"),
}

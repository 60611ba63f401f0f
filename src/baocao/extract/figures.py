"""Figures as printed: a number with its unit (or percent sign), qualifier and sign.

A number is a figure only when a unit word or a percent follows it: dates (``16/7/2017``),
fractions (``135/165 cuộc``), ranges (``từ 15 - 18 tiêu chí``), years and ordinals are not
figures. Unit words come from the catalogue (``units.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .catalogue import Catalogue, Unit, fold
from .lexicon import load_lexicon
from .numbers import EN_NUMBER, VI_NUMBER, decimals, parse_number

MAX_VALUE = 1e15  # in the canonical unit: VND 10^15 bn, 10^15 people… is no report's figure

@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str], re.Pattern[str], str]:
    """The catalogue's qualifier words (as one pattern ending at a number), the plan noun
    and verb around a number printed without its % sign, and the words joining two numbers
    that share one unit ("220 và 160 triệu USD")."""
    lex = load_lexicon()
    qualifiers = lex.map("qualifiers")
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+")
                     for w in sorted(qualifiers, key=len, reverse=True))
    qualifier_re = re.compile(rf"(?<!\w)({words})\s+$", re.IGNORECASE)
    return (qualifier_re, qualifiers, lex.pattern("PlanNounAfter"),
            lex.pattern("PlanVerbBefore"), lex.expand("{NumberJoiner}"))


@dataclass(frozen=True)
class Figure:
    """A figure in a sentence (clean-text positions)."""

    start: int  # first character (sign or number)
    end: int  # end of the unit
    num_start: int
    num_end: int
    printed: str  # number and unit exactly as printed
    number: float  # the printed number (sign applied)
    value: float  # in the canonical unit
    unit: str
    dimension: str
    noun: str | None
    decimals: int
    qualifier: str | None
    explicit_sign: bool
    unit_start: int
    percent_missing: bool = False
    implies: str | None = None

    @property
    def is_percent(self) -> bool:
        return self.dimension == "percent"


@lru_cache(maxsize=4)
def _patterns(catalogue_id: int, convention: str, units: tuple[str, ...]):
    number = VI_NUMBER if convention == "vi" else EN_NUMBER
    alternation = "|".join(
        re.escape(u).replace(r"\ ", r"\s+") for u in sorted(units, key=len, reverse=True)
    )
    num_re = re.compile(  # not the exponent of "1e+21" either
        rf"(?<![\w.,/])(?<!\d[eE][+\-−])(?:([+\-−])\s?)?({number})(?!\d|[.,]\d|/\d)"
    )
    unit_re = re.compile(rf"\s?(?:{alternation})(?![\w])", re.IGNORECASE)
    range_re = re.compile(rf"\s*[-–]\s*(?:{number})")
    and_re = re.compile(rf"\s*(?:{_words()[4]})\s*({number})", re.IGNORECASE)
    return num_re, unit_re, range_re, and_re


def _in_parts(before: str, number: float, unit: Unit) -> tuple[int, float] | None:
    """A number written in two parts ends here ("107 nghìn | 700 tỷ đồng", "3 triệu | 250
    nghìn con"): the start of its first part and the whole value in the canonical unit."""
    lex = load_lexicon()
    m = lex.pattern("NumberFirstPart").search(before)
    if m is None or not 0 <= number < 1000 or number != int(number):
        return None
    scales = lex.map("scales")
    first_scale = scales[fold(m.group("scale"))]
    unit_scale = scales.get(fold(unit.phrase.split()[0]), 1)
    base = unit.factor / unit_scale
    whole = int(m.group("first")) * first_scale
    if first_scale <= unit_scale:  # "107 nghìn 700 tỷ": 107 nghìn tỷ and 700 tỷ
        whole *= unit_scale
    return m.start(), float(f"{(whole + number * unit_scale) * base:.12g}")


def find_figures(
    text: str, catalogue: Catalogue, convention: str = "vi", original: str | None = None
) -> list[Figure]:
    """Every figure of a sentence, in order (``original``: the unfolded text, for
    ``printed``, when ``text`` is its tone-folded copy)."""
    source = original if original is not None else text
    units = tuple(catalogue.units)
    num_re, unit_re, range_re, and_re = _patterns(id(catalogue), convention, units)
    qualifier_re, qualifiers, plan_noun, plan_verb, _ = _words()
    out: list[Figure] = []
    matches = list(num_re.finditer(text))
    for i, m in enumerate(matches):
        sign, num = m.group(1), m.group(2)
        before = text[: m.start()]
        # part of a range "15 - 18", "7,5-8%": skip both ends
        if range_re.match(text, m.end()):
            continue
        if sign and re.search(r"\d\s*$", before):
            continue  # "2017 - 2018": a range, not a signed number
        if re.search(r"\d\s*[-–]\s*$", before):
            continue
        unit_m = unit_re.match(text, m.end())
        unit: Unit | None = None
        unit_end = m.end()
        percent_missing = False
        if unit_m:
            unit = catalogue.units.get(fold(re.sub(r"\s+", " ", unit_m.group(0).strip())))
            unit_end = unit_m.end()
        if unit is None:
            borrowed = and_re.match(text, m.end())
            if borrowed and i + 1 < len(matches):
                nxt = matches[i + 1]
                unit_n = unit_re.match(text, nxt.end())
                if unit_n and nxt.start() == borrowed.start(1):
                    unit = catalogue.units.get(fold(re.sub(r"\s+", " ", unit_n.group(0).strip())))
        if unit is None and plan_noun.match(text, m.end()) and plan_verb.search(before):
            unit = catalogue.units["%"]
            percent_missing = True
        if unit is None:
            continue
        number = parse_number(num, convention)
        if number is None or abs(number * unit.factor) > MAX_VALUE:
            continue  # not a figure: too many digits, or no quantity a report counts
        if sign and sign != "+":
            number = -number
        start = m.start()
        value = float(f"{number * unit.factor:.12g}")  # 4,1 triệu → 4100000, not 4099999.99…
        parts = None if sign else _in_parts(before, number, unit)
        if parts is not None:  # "107 nghìn 700 tỷ đồng"
            start, value = parts
            number = value / unit.factor
            before = text[:start]
        q = qualifier_re.search(before)
        printed = source[start:unit_end].strip()
        out.append(
            Figure(
                start=start,
                end=unit_end,
                num_start=m.start(2),
                num_end=m.end(2),
                printed=printed,
                number=number,
                value=value,
                unit=unit.unit,
                dimension=unit.dimension,
                noun=unit.noun,
                decimals=decimals(num, convention),
                qualifier=qualifiers[fold(re.sub(r"\s+", " ", q.group(1)))] if q else None,
                explicit_sign=bool(sign),
                unit_start=m.end() if unit_m else m.end(),
                percent_missing=percent_missing,
                implies=unit.implies,
            )
        )
    return out

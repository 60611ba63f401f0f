"""Stage 3, derive: figures a report implies but does not print, and the rounding of all.

Every figure carries the interval its printed precision allows (``value_low`` ..
``value_high``): ``1.993,8`` means 1993.75 .. 1993.85, ``tăng 14%`` means 13.5 .. 14.5.
Derived figures are computed from printed ones by a short formula (``method``), name the
observations they were computed from (``inputs``) and get their interval by evaluating the
formula at every corner of the inputs' intervals (exact for formulas monotone in each
input, which all formulas here are over the ranges that occur).

Derived rows (``derived=True``), each kept in the report it was computed from:

* ``previous_year`` — last year's level from a level and its ``yoy_pct``;
* ``plan`` — the annual plan / budget estimate from a level and its ``plan_pct``;
* a month from two consecutive year-to-date levels (ytd(m) − ytd(m−1));
* a total's level and its ``yoy_pct`` implied by its components (identities in
  ``catalogue/identities.yaml``).

The column ``concept`` tells what a value stands for: ``actual`` (the outcome of the
period, whether printed as an estimate or not), ``previous_year`` or ``plan``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from .period_math import (
    shift_year,
    year_of,
    ytd_months,
    ytd_period,
)

CONCEPTS = ("actual", "previous_year", "plan")
PERCENT_UNITS = ("%", "pp")
REFERENCE_ID = "reference"
PCT_MEASURES = ("yoy_pct", "mom_pct", "base_pct", "plan_pct")
_SCALES = (1.0, 1e3, 1e6, 1e-3, 1e9)
_TOKEN = re.compile(r"\d[\d.,]*\d|\d")
_VN = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$")
_EN = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")

Interval = tuple[float, float]

# --------------------------------------------------------------------------- bounds


def _interpretations(token: str) -> Iterable[tuple[float, int]]:
    """(number, decimals) readings of a printed number: Vietnamese first, then English."""
    if m := _VN.match(token):
        decimals = m[1] or ""
        yield float(token.replace(".", "").replace(",", ".")), len(decimals)
    if m := _EN.match(token):
        decimals = m[1] or ""
        yield float(token.replace(",", "")), len(decimals)


def _decimals_of(value: float) -> int:
    text = np.format_float_positional(abs(value), trim="-", precision=6)
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class Printed:
    """How a value was printed: its number as read, decimals and the scale to ``unit``."""

    number: float
    decimals: int
    scale: float
    digits: str

    @property
    def half_width(self) -> float:
        """Half of one unit in the last printed digit, in the value's unit."""
        return 0.5 * 10.0 ** (-self.decimals) * self.scale

    @property
    def significant_unit(self) -> float:
        """One unit of the last non-zero digit (``127.300`` -> 100), in the value's unit."""
        if self.decimals == 0:
            integer = self.digits.rstrip("0")
            zeros = len(self.digits) - len(integer) if integer else 0
            return 10.0**zeros * self.scale
        return 10.0 ** (-self.decimals) * self.scale


def read_printed(value: float, printed: object, measure: str | None = None) -> Printed | None:
    """Find the number in ``printed`` that ``value`` was read from, with its precision.

    Tries each number in the text, read the Vietnamese way (``1.993,8``) and the English
    way (``1,993.8``), and keeps the reading that equals ``value`` up to a unit scale
    (nghìn ×1000, triệu ×10⁶, ÷1000 ...) — the one nearest scale 1 when several do — or,
    for a percentage, equals ``value + 100`` (``bằng 99%`` → −1).
    """
    if not isinstance(printed, str) or value is None or not math.isfinite(value):
        return None
    best: tuple[float, Printed] | None = None
    for token in _TOKEN.findall(printed):
        digits = re.sub(r"[.,]", "", token)
        for number, decimals in _interpretations(token):
            candidates: list[float] = []
            if number == 0:
                if value == 0:
                    candidates.append(1.0)
            else:
                ratio = abs(value) / number
                candidates += [s for s in _SCALES if math.isclose(ratio, s, rel_tol=1e-9)]
                if measure in PCT_MEASURES and math.isclose(value, number - 100, abs_tol=1e-9):
                    candidates.append(1.0)
            for scale in candidates:
                rank = abs(math.log10(scale))
                integer_digits = digits[: len(digits) - decimals] if decimals else digits
                found = Printed(number, decimals, scale, integer_digits)
                if best is None or rank < best[0]:
                    best = (rank, found)
    return best[1] if best else None


def printed_bounds(
    value: float,
    value_as_printed: object = None,
    qualifier: object = None,
    measure: str | None = None,
) -> Interval:
    """The interval a printed figure stands for; ``nan`` marks an open side.

    * exact print: ± half a unit of the last printed digit (``1.993,8`` → ±0.05);
    * ``about`` (khoảng): ± one unit of the last non-zero digit (``khoảng 127.300`` → ±100);
    * ``over`` (trên): at least the value, no upper bound; ``under`` (dưới): the reverse;
    * when the printed text is missing or its number cannot be found, the precision of
      the value itself (``4020.0`` → ±0.5, ``162.4`` → ±0.05).
    """
    if value is None or not math.isfinite(value):
        return (math.nan, math.nan)
    found = read_printed(value, value_as_printed, measure)
    if found is None:
        found = Printed(abs(value), _decimals_of(value), 1.0, str(int(abs(value))))
    if qualifier == "over":
        return (value, math.nan)
    if qualifier == "under":
        return (math.nan, value)
    width = found.significant_unit if qualifier == "about" else found.half_width
    return (_clean(value - width), _clean(value + width))


def _clean(x: float) -> float:
    """Round away binary noise (``4019.5000000000005`` -> ``4019.5``)."""
    return float(round(x, 9)) if math.isfinite(x) else math.nan


def add_bounds(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill ``value_low``/``value_high`` of printed rows that have none."""
    out = frame.copy()
    for col in ("value_low", "value_high"):
        if col not in out:
            out[col] = math.nan
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    missing = out["value_low"].isna() & out["value_high"].isna()
    for idx in out.index[missing]:
        row = out.loc[idx]
        low, high = printed_bounds(
            as_float(row["value"]), row.get("value_as_printed"),
            blank_to_none(row.get("qualifier")), blank_to_none(row.get("measure")),
        )
        out.at[idx, "value_low"] = low
        out.at[idx, "value_high"] = high
    return out


def interval(func: Callable[..., float], *inputs: Interval) -> Interval:
    """Range of ``func`` over the box of input intervals (``nan`` sides are open).

    Evaluates ``func`` at every corner: exact when ``func`` is monotone in each input.
    """
    boxes = [
        (-math.inf if math.isnan(lo) else lo, math.inf if math.isnan(hi) else hi)
        for lo, hi in inputs
    ]
    values = []
    for corner in itertools.product(*boxes):
        try:
            with np.errstate(all="ignore"):
                v = float(func(*corner))
        except (ZeroDivisionError, OverflowError):
            return (math.nan, math.nan)
        if math.isnan(v):
            return (math.nan, math.nan)
        values.append(v)
    return (_clean(min(values)), _clean(max(values)))


# --------------------------------------------------------------------------- ids


def as_text(x: object) -> str:
    """A cell as text for ids and messages: "" for missing, ``12`` for ``12.0``."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)):
        return ""
    if isinstance(x, bool | np.bool_):
        return "true" if x else "false"
    if isinstance(x, float | np.floating) and float(x).is_integer():
        return str(int(x))
    return str(x)


OBS_ID_FIELDS = (
    "report_id", "start", "end", "indicator", "period", "measure", "base", "derived", "method",
)


def make_obs_id(row: dict | pd.Series) -> str:
    """Stable id of an observation: a hash of the fields that make it unique."""
    key = "\x1f".join(as_text(row.get(f)) for f in OBS_ID_FIELDS)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def assign_obs_ids(frame: pd.DataFrame) -> pd.DataFrame:
    """Set ``obs_id`` on every row from :data:`OBS_ID_FIELDS`."""
    out = frame.copy()
    out["obs_id"] = [make_obs_id(r) for r in out.to_dict("records")] if len(out) else []
    return out


# --------------------------------------------------------------------------- identities


@dataclass(frozen=True)
class Identity:
    """A total and the components that (exhaustively or not) add up to it."""

    id: str
    total: str
    components: tuple[str, ...]
    exhaustive: bool
    description: str = ""


@lru_cache(maxsize=4)
def load_identities(path: str | None = None) -> tuple[Identity, ...]:
    """The accounting identities of ``catalogue/identities.yaml`` (or ``path``)."""
    if path is None:
        text = resources.files("baocao").joinpath("catalogue/identities.yaml").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    data = yaml.safe_load(text) or {}
    return tuple(
        Identity(
            id=str(item["id"]),
            total=str(item["total"]),
            components=tuple(str(c) for c in item["components"]),
            exhaustive=bool(item.get("exhaustive", False)),
            description=str(item.get("description", "")).strip(),
        )
        for item in data.get("identities", [])
    )


def catalogue_indicators() -> list[dict]:
    """Every indicator of the catalogue as a dict (id, name_vi, name_en, unit, kind,
    flagship, description): from ``baocao.extract.catalogue.load_catalogue()`` when it
    loads, else read straight from ``catalogue/indicators/*.yaml``; empty when neither."""
    fields = ("id", "name_vi", "name_en", "unit", "kind", "flagship", "description")
    try:
        from .extract.catalogue import load_catalogue

        items = getattr(load_catalogue(), "indicators", None)
        if isinstance(items, dict):
            items = list(items.values())
        if items:
            return [{f: getattr(ind, f, None) for f in fields} for ind in items]
    except Exception:  # noqa: BLE001 - fall back to the YAML file itself
        pass
    try:
        from .extract.catalogue import read_indicator_files

        data = read_indicator_files()
    except (OSError, ValueError, yaml.YAMLError):
        return []
    return [{f: item.get(f) for f in fields} for item in data.get("indicators", []) if "id" in item]


def indicator_kinds() -> dict[str, str]:
    """``{indicator id: kind}`` from the catalogue (``flow``, ``stock``, ``index``, ...)."""
    return {ind["id"]: ind["kind"] for ind in catalogue_indicators() if ind.get("kind")}


# --------------------------------------------------------------------------- helpers


def as_float(x: object) -> float:
    """``x`` as a float; ``nan`` when it is missing or not a number."""
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def blank_to_none(x: object) -> object:
    """None for a missing or empty cell (None, NA, NaN, ""), else ``x``."""
    if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) or x == "":
        return None
    return x


def bounds_of(row: dict) -> Interval:
    """``(value_low, value_high)`` of a row; ``nan`` marks an open side."""
    return (as_float(row.get("value_low")), as_float(row.get("value_high")))


def source_key(row: dict) -> str:
    """Which source a row belongs to: its report, or for reference rows its page URL."""
    if row.get("report_id") == REFERENCE_ID:
        return f"{REFERENCE_ID} {as_text(row.get('url'))}"
    return as_text(row.get("report_id"))


def _status(*rows: dict) -> str:
    return "estimate" if any(r.get("status") == "estimate" for r in rows) else "actual"


def _flags(*rows: dict) -> str:
    flagged = any(blank_to_none(r.get("flags")) for r in rows)
    return "derived from a flagged figure" if flagged else ""


def _derived_row(
    anchor: dict, inputs: list[dict], method: str, value_interval: Interval, value: float,
    **fields: object,
) -> dict:
    row = dict(anchor)
    row.update(
        derived=True,
        method=method,
        inputs=";".join(as_text(r.get("obs_id")) for r in inputs),
        value=_clean(value),
        value_low=value_interval[0],
        value_high=value_interval[1],
        value_as_printed=None,
        qualifier=None,
        status=_status(*inputs),
        flags=_flags(*inputs),
        concept="actual",
    )
    row.update(fields)
    row["obs_id"] = make_obs_id(row)
    return row


def _pair(levels: list[dict], others: list[dict]) -> list[tuple[dict, dict]]:
    """Match each percentage to its level: the nearest level printed before it. A level
    takes only the first percentage that claims it (a second one is ambiguous)."""
    pairs, used = [], set()
    for other in sorted(others, key=lambda r: as_float(r.get("start"))):
        o_start = as_float(other.get("start"))
        before = [lv for lv in levels if as_float(lv.get("start")) <= o_start]
        if before:
            level = max(before, key=lambda r: as_float(r.get("start")))
        elif len(levels) == 1:
            level = levels[0]
        else:
            continue
        if id(level) not in used:
            used.add(id(level))
            pairs.append((level, other))
    return pairs


def _is_quantity(row: dict) -> bool:
    return row.get("measure") == "level" and row.get("unit") not in PERCENT_UNITS


def rank_vintage(row: dict) -> tuple:
    """Preference among rows for one key: actual over estimate, newest, printed, report,
    official over press (the order :func:`baocao.series.series` uses too)."""
    return (
        row.get("status") == "actual",
        as_text(row.get("report_date")),
        not bool(row.get("derived")),
        row.get("report_id") != REFERENCE_ID,
        row.get("source_kind") != "press",
    )


# --------------------------------------------------------------------------- derivations


def previous_year_rows(records: list[dict]) -> list[dict]:
    """Last year's level from each level and its ``yoy_pct``: ``level / (1 + yoy/100)``."""
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for r in records:
        if r.get("measure") in ("level", "yoy_pct") and not blank_to_none(r.get("base")):
            key = (source_key(r), r["indicator"], r["period"])
            groups.setdefault(key, {"level": [], "yoy_pct": []})[r["measure"]].append(r)
    out = []
    for parts in groups.values():
        levels = [r for r in parts["level"] if _is_quantity(r)]
        for level, yoy in _pair(levels, parts["yoy_pct"]):
            y = bounds_of(yoy)
            if not (y[0] > -100):  # a fall of 100% or more leaves no previous level
                continue
            prev = shift_year(level["period"], -1)
            if prev is None:
                continue
            def formula(lv, g):
                return lv / (1 + g / 100)
            out.append(
                _derived_row(
                    level, [level, yoy], "level / (1 + yoy_pct/100)",
                    interval(formula, bounds_of(level), y),
                    formula(as_float(level["value"]), as_float(yoy["value"])),
                    period=prev, concept="previous_year",
                )
            )
    return out


def plan_rows(records: list[dict]) -> list[dict]:
    """The annual plan / budget estimate from a level and its ``plan_pct``.

    ``level / (plan_pct/100)``; period is the year, ``base`` keeps whose estimate it is
    (``central``/``provincial``) as on the ``plan_pct``.
    """
    groups: dict[tuple, dict[str, list[dict]]] = {}
    for r in records:
        m = r.get("measure")
        if m == "plan_pct" or (m == "level" and not blank_to_none(r.get("base"))):
            key = (source_key(r), r["indicator"], r["period"])
            groups.setdefault(key, {"level": [], "plan_pct": []})[m].append(r)
    out = []
    for parts in groups.values():
        levels = [r for r in parts["level"] if _is_quantity(r)]
        for level, pct in _pair(levels, parts["plan_pct"]):
            p = bounds_of(pct)
            year = year_of(level["period"])
            if not (p[0] > 0) or year is None:
                continue
            def formula(lv, q):
                return lv / (q / 100)
            out.append(
                _derived_row(
                    level, [level, pct], "level / (plan_pct/100)",
                    interval(formula, bounds_of(level), p),
                    formula(as_float(level["value"]), as_float(pct["value"])),
                    period=year, period_type="year", base=blank_to_none(pct.get("base")),
                    concept="plan",
                )
            )
    return out


def month_from_ytd_rows(records: list[dict], kinds: dict[str, str] | None = None) -> list[dict]:
    """A month from two consecutive year-to-date levels: ``ytd(m) − ytd(m−1)``.

    Only for flows (catalogue kind ``flow``, or any non-percentage quantity when the
    catalogue does not know the indicator); ytd(m−1) is the best vintage of that period
    (actual over estimate, then newest) among the rows of the same family (reports, or
    the reference figures) no newer than ytd(m)'s report.
    """
    kinds = kinds or {}
    by_key: dict[tuple, list[dict]] = {}
    for r in records:
        if _is_quantity(r) and not blank_to_none(r.get("base")):
            family = r.get("report_id") == REFERENCE_ID
            by_key.setdefault((family, r["indicator"], r["unit"], r["period"]), []).append(r)
    out = []
    for r in records:
        if not _is_quantity(r) or blank_to_none(r.get("base")) or r.get("period_type") != "ytd":
            continue
        if kinds.get(r["indicator"], "flow") != "flow":
            continue
        months = ytd_months(r["period"])
        if months is None or months[1] != 1 or months[2] < 2:
            continue
        year, _, last = months
        family = r.get("report_id") == REFERENCE_ID
        candidates = by_key.get((family, r["indicator"], r["unit"], ytd_period(year, last - 1)), [])
        earlier = [
            c for c in candidates
            if c is not r and as_text(c.get("report_date")) <= as_text(r.get("report_date"))
        ]
        if not earlier:
            continue
        prev = max(earlier, key=rank_vintage)
        out.append(
            _derived_row(
                r, [r, prev], "ytd(m) - ytd(m-1)",
                interval(lambda a, b: a - b, bounds_of(r), bounds_of(prev)),
                as_float(r["value"]) - as_float(prev["value"]),
                period=f"{year:04d}-{last:02d}", period_type="month",
            )
        )
    return out


def first_quantity(rows: list[dict]) -> dict | None:
    """The first-printed quantity level among ``rows``, unflagged ones preferred."""
    clean = [r for r in rows if _is_quantity(r) and not blank_to_none(r.get("flags"))]
    rows = clean or [r for r in rows if _is_quantity(r)]
    return min(rows, key=lambda r: as_float(r.get("start"))) if rows else None


def identity_rows(records: list[dict], identities: Iterable[Identity]) -> list[dict]:
    """A total implied by its components (exhaustive identities only).

    * the total's level, ``Σ level_i``, when the report does not print the total;
    * the total's ``yoy_pct``, ``Σ level_i / Σ (level_i / (1 + yoy_i/100)) × 100 − 100``.
    """
    index: dict[tuple, list[dict]] = {}
    for r in records:
        if not blank_to_none(r.get("base")):
            key = (source_key(r), r["period"], r["indicator"], r["measure"])
            index.setdefault(key, []).append(r)
    sources_periods = {(k[0], k[1]) for k in index}
    out = []
    for ident in identities:
        if not ident.exhaustive:
            continue
        n = len(ident.components)
        for src, period in sorted(sources_periods):
            levels = [first_quantity(index.get((src, period, c, "level"), []))
                      for c in ident.components]
            if any(lv is None for lv in levels) or len({lv["unit"] for lv in levels}) != 1:
                continue
            total_level = first_quantity(index.get((src, period, ident.total, "level"), []))
            if total_level is None:
                def total(*xs):
                    return sum(xs)
                value = total(*(as_float(lv["value"]) for lv in levels))
                out.append(
                    _derived_row(
                        levels[0], levels, "sum(components)",
                        interval(total, *(bounds_of(lv) for lv in levels)), value,
                        indicator=ident.total, label_vi=None,
                    )
                )
            yoys = [index.get((src, period, c, "yoy_pct"), []) for c in ident.components]
            if not all(yoys):
                continue
            yoys1 = [min(y, key=lambda r: as_float(r.get("start"))) for y in yoys]
            if any(not (bounds_of(y)[0] > -100) for y in yoys1):
                continue

            def implied(*xs, n=n):
                lv, g = xs[:n], xs[n:]
                return sum(lv) / sum(a / (1 + b / 100) for a, b in zip(lv, g, strict=True)) \
                    * 100 - 100

            value = implied(*(as_float(r["value"]) for r in levels + yoys1))
            anchor = total_level or levels[0]
            out.append(
                _derived_row(
                    anchor, levels + yoys1,
                    "sum(level_i) / sum(level_i / (1 + yoy_pct_i/100)) * 100 - 100",
                    interval(implied, *(bounds_of(r) for r in levels + yoys1)), value,
                    indicator=ident.total, measure="yoy_pct", unit="%", label_vi=None,
                )
            )
    return out


def derive(
    frame: pd.DataFrame,
    identities: Iterable[Identity] | None = None,
    kinds: dict[str, str] | None = None,
) -> pd.DataFrame:
    """All derived rows of a frame of printed observations (with bounds and obs_ids)."""
    if identities is None:
        identities = load_identities()
    records = [
        r for r in frame.to_dict("records")
        if not bool(r.get("derived")) and isinstance(r.get("indicator"), str)
        and isinstance(r.get("period"), str)
    ]
    rows = (
        previous_year_rows(records)
        + plan_rows(records)
        + month_from_ytd_rows(records, kinds)
        + identity_rows(records, identities)
    )
    if not rows:
        return frame.iloc[0:0].copy()
    out = pd.DataFrame(rows, columns=list(dict.fromkeys([*frame.columns, *rows[0].keys()])))
    return out.drop_duplicates("obs_id", keep="first").reset_index(drop=True)


def with_derived(
    frame: pd.DataFrame,
    identities: Iterable[Identity] | None = None,
    kinds: dict[str, str] | None = None,
) -> pd.DataFrame:
    """``frame`` with bounds, ids and ``concept`` filled, followed by its derived rows."""
    base = add_bounds(frame)
    if "concept" not in base:
        base["concept"] = "actual"
    base["concept"] = base["concept"].fillna("actual")
    base["derived"] = base["derived"].fillna(False).astype(bool)
    base = assign_obs_ids(base)
    derived = derive(base, identities, kinds)
    if not len(derived):
        return base
    return pd.concat([base, derived], ignore_index=True)

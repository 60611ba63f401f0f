"""Stage 4, audit: does each report's own arithmetic hold, within its printed rounding?

Every check compares an *expected* interval (computed from other figures) with the
*found* interval of a printed figure; the two agree when the intervals overlap, so the
tolerance is exactly what the printed precision allows (``value_low``..``value_high``).
The audit only reports: it never changes a figure.

Checks (column ``check`` of ``audit.csv``):

``identity``           components add up to their total (``catalogue/identities.yaml``)
``breakdown``          "of which" items (``parent.child`` ids, e.g. a footnote's sources of
                       funds) do not exceed their parent; a smaller sum is a ``warn``
``month_le_ytd``       a month never exceeds the year-to-date ending with it
``ytd_grows``          the year-to-date grows from month to month, across reports
``mom_pct``            a printed change on the previous month matches the two levels
``table_vs_prose``     a table figure equals the same figure in the prose
``same_key``           one report does not print two different values for one key
``cross_source``       two sources (reports, reference pages) agree on a key
``derived_vs_printed`` a figure the report implies matches the one it prints
``flagged``            the extractor was unsure of a figure (always ``warn``)
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from .derive import (
    PERCENT_UNITS,
    REFERENCE_ID,
    Identity,
    Interval,
    as_float,
    as_text,
    blank_to_none,
    bounds_of,
    first_quantity,
    interval,
    load_identities,
    rank_vintage,
    source_key,
)
from .period_math import month_parts, previous_month, ytd_months, ytd_period

AUDIT_COLUMNS = (
    "check", "report_id", "indicator", "period", "measure", "status",
    "expected", "expected_low", "expected_high", "found", "found_low", "found_high",
    "detail", "obs_ids",
)
STATUSES = ("pass", "fail", "warn")

#: Every check of the audit, as described in the data dictionary.
CHECKS: dict[str, str] = {
    "identity": "components add up to their total (catalogue/identities.yaml); parts that "
                "need not be exhaustive warn when smaller",
    "breakdown": "'of which' items (ids parent.x, e.g. a footnote's sources of funds) do not "
                 "exceed their parent; a smaller sum warns (parts not exhaustive)",
    "month_le_ytd": "a month's level does not exceed the year-to-date ending with it",
    "ytd_grows": "the year-to-date grows from month to month, across reports",
    "mom_pct": "a printed change on the previous month matches the two months' levels",
    "table_vs_prose": "a figure of a table equals the same figure in the prose",
    "same_key": "one report does not print two different values for one key (warn when "
                "one of them is flagged)",
    "cross_source": "two sources (reports, reference pages) agree on a key; a difference "
                    "involving an estimate, the press or another vintage warns",
    "derived_vs_printed": "a figure implied by others in the report matches the printed one "
                          "(other reports: warn, a revision)",
    "flagged": "a figure the extractor was unsure of (always warn)",
    "unresolved": "a figure the extractor could not attach to an indicator, period or "
                  "measure: left out of the observations, listed here (always warn)",
}


def _open(iv: Interval) -> tuple[float, float]:
    lo, hi = iv
    return (-math.inf if math.isnan(lo) else lo, math.inf if math.isnan(hi) else hi)


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two intervals (``nan`` = open side) share a point."""
    (alo, ahi), (blo, bhi) = _open(a), _open(b)
    return alo <= bhi + 1e-9 and blo <= ahi + 1e-9


def _fmt(x: float) -> str:
    return "?" if math.isnan(x) else f"{x:,.10g}"


def _result(
    check: str, row: dict, status: str, expected: float, expected_iv: Interval,
    found_row: dict | None, detail: str, inputs: Iterable[dict],
    **overrides: object,
) -> dict:
    found = found_row or {}
    out = {
        "check": check,
        "report_id": row.get("report_id"),
        "indicator": row.get("indicator"),
        "period": row.get("period"),
        "measure": row.get("measure"),
        "status": status,
        "expected": expected,
        "expected_low": expected_iv[0],
        "expected_high": expected_iv[1],
        "found": as_float(found.get("value")),
        "found_low": as_float(found.get("value_low")),
        "found_high": as_float(found.get("value_high")),
        "detail": detail,
        "obs_ids": ";".join(dict.fromkeys(as_text(r.get("obs_id")) for r in inputs)),
    }
    out.update(overrides)
    return out


def _printed(records: list[dict]) -> list[dict]:
    return [
        r for r in records
        if not bool(r.get("derived")) and (r.get("concept") or "actual") == "actual"
    ]


def _quantities(records: list[dict]) -> list[dict]:
    return [
        r for r in records
        if r.get("measure") == "level" and r.get("unit") not in PERCENT_UNITS
        and not blank_to_none(r.get("base"))
    ]


def _index(records: list[dict]) -> dict[tuple, list[dict]]:
    """Rows by (source, period, indicator, measure)."""
    index: dict[tuple, list[dict]] = {}
    for r in records:
        if blank_to_none(r.get("base")):
            continue
        index.setdefault(
            (source_key(r), r["period"], r["indicator"], r["measure"]), []
        ).append(r)
    return index


# --------------------------------------------------------------------------- sums


def _sum_check(
    check: str, total: dict, parts: list[dict], exhaustive: bool, label: str,
) -> dict:
    expected_iv = interval(lambda *xs: sum(xs), *(bounds_of(p) for p in parts))
    expected = sum(as_float(p["value"]) for p in parts)
    found_iv = bounds_of(total)
    names = " + ".join(f"{p['indicator']} {_fmt(as_float(p['value']))}" for p in parts)
    summary = f"{label}: {names} = {_fmt(expected)} vs {total['indicator']} " \
              f"{_fmt(as_float(total['value']))}"
    if overlaps(expected_iv, found_iv):
        status, why = "pass", "equal within printed rounding"
    elif exhaustive:
        status, why = "fail", "components do not add up to the total"
    elif _open(expected_iv)[1] < _open(found_iv)[0]:
        share = expected / as_float(total["value"]) * 100 if as_float(total["value"]) else math.nan
        status, why = "warn", f"parts cover {share:.1f}% of the total (not exhaustive)"
    else:
        status, why = "fail", "parts exceed the total"
    return _result(check, total, status, expected, expected_iv, total, f"{summary}: {why}",
                   [total, *parts])


def identity_checks(records: list[dict], identities: Iterable[Identity]) -> list[dict]:
    """Components add up to totals, per report and period."""
    index = _index(_quantities(_printed(records)))
    pairs = sorted({(k[0], k[1]) for k in index})
    out = []
    for ident in identities:
        for src, period in pairs:
            total = first_quantity(index.get((src, period, ident.total, "level"), []))
            parts = [first_quantity(index.get((src, period, c, "level"), []))
                     for c in ident.components]
            if total is None or any(p is None for p in parts):
                continue
            if len({total["unit"], *(p["unit"] for p in parts)}) != 1:
                continue
            out.append(_sum_check("identity", total, parts, ident.exhaustive, ident.id))
    return out


def breakdown_checks(records: list[dict], identities: Iterable[Identity]) -> list[dict]:
    """"Of which" items (ids ``parent.x``) against their parent, in one report and period."""
    covered = {(i.total, c) for i in identities for c in i.components}
    rows = [r for r in _quantities(_printed(records)) if r.get("report_id") != REFERENCE_ID]
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((source_key(r), r["period"], r["unit"]), []).append(r)
    out = []
    for key in sorted(groups):
        members = groups[key]
        by_id: dict[str, list[dict]] = {}
        for r in members:
            by_id.setdefault(r["indicator"], []).append(r)
        for parent_id in sorted(by_id):
            children = sorted(
                cid for cid in by_id
                if cid.rsplit(".", 1)[0] == parent_id and (parent_id, cid) not in covered
            )
            if not children:
                continue
            parent = first_quantity(by_id[parent_id])
            parts = [first_quantity(by_id[c]) for c in children]
            out.append(_sum_check("breakdown", parent, parts, False, f"{parent_id} of which"))
    return out


# --------------------------------------------------------------------------- time


def _is_flow(row: dict, kinds: dict[str, str]) -> bool:
    return kinds.get(row["indicator"], "flow") == "flow"


def month_le_ytd_checks(records: list[dict], kinds: dict[str, str]) -> list[dict]:
    """A month's level never exceeds the year-to-date that ends with it."""
    index = _index(_quantities(_printed(records)))
    out = []
    for (src, period, indicator, _m), rows in sorted(index.items()):
        parts = month_parts(period)
        if parts is None or parts[1] < 2:
            continue
        month = first_quantity(rows)
        if month is None or not _is_flow(month, kinds):
            continue
        ytd_rows = index.get((src, ytd_period(*parts), indicator, "level"), [])
        ytd = first_quantity([r for r in ytd_rows if r["unit"] == month["unit"]])
        if ytd is None:
            continue
        m_lo = _open(bounds_of(month))[0]
        ok = m_lo <= _open(bounds_of(ytd))[1] + 1e-9
        detail = (f"month {_fmt(as_float(month['value']))} vs year-to-date "
                  f"{_fmt(as_float(ytd['value']))}")
        out.append(_result(
            "month_le_ytd", month, "pass" if ok else "fail", as_float(ytd["value"]),
            (math.nan, bounds_of(ytd)[1]), month,
            detail + ("" if ok else ": the month exceeds its year-to-date"), [month, ytd],
        ))
    return out


def ytd_grows_checks(records: list[dict], kinds: dict[str, str]) -> list[dict]:
    """Year-to-date levels grow with each month, comparing the best vintage of each."""
    best: dict[tuple, dict] = {}
    for r in _quantities(_printed(records)):
        months = ytd_months(r["period"]) if r.get("period_type") == "ytd" else None
        if months is None or months[1] != 1 or not _is_flow(r, kinds):
            continue
        family = r.get("report_id") == REFERENCE_ID
        key = (family, r["indicator"], r["unit"], months[0], months[2])
        if key not in best or rank_vintage(r) > rank_vintage(best[key]):
            best[key] = r
    series: dict[tuple, list[tuple[int, dict]]] = {}
    for (family, indicator, unit, year, last), r in best.items():
        series.setdefault((family, indicator, unit, year), []).append((last, r))
    out = []
    for key in sorted(series):
        points = sorted(series[key], key=lambda p: p[0])
        for (m0, earlier), (m1, later) in zip(points, points[1:], strict=False):
            ok = _open(bounds_of(later))[1] + 1e-9 >= _open(bounds_of(earlier))[0]
            detail = (f"{m0}-month {_fmt(as_float(earlier['value']))} "
                      f"({earlier.get('report_id')}) -> {m1}-month "
                      f"{_fmt(as_float(later['value']))} ({later.get('report_id')})")
            out.append(_result(
                "ytd_grows", later, "pass" if ok else "fail", as_float(earlier["value"]),
                (bounds_of(earlier)[0], math.nan), later,
                detail + ("" if ok else ": the year-to-date fell"), [earlier, later],
            ))
    return out


def _level_for(
    index: dict[tuple, list[dict]], src: str, period: str, indicator: str,
    all_rows: list[dict],
) -> dict | None:
    """A level for (indicator, period): this source's printed, this source's derived,
    then the best vintage of any source."""
    rows = index.get((src, period, indicator, "level"), [])
    printed = [r for r in rows if not bool(r.get("derived"))]
    if found := first_quantity(printed) or first_quantity(rows):
        return found
    others = [
        r for r in all_rows
        if r["indicator"] == indicator and r["period"] == period
        and r.get("measure") == "level" and (r.get("concept") or "actual") == "actual"
        and not blank_to_none(r.get("base"))
    ]
    return max(others, key=rank_vintage) if others else None


def mom_checks(records: list[dict]) -> list[dict]:
    """``mom_pct`` against ``(level(m) / level(m−1) − 1) × 100``."""
    actual = [r for r in records if (r.get("concept") or "actual") == "actual"]
    index = _index(actual)
    out = []
    for r in _printed(records):
        if r.get("measure") != "mom_pct":
            continue
        prev_period = previous_month(r["period"])
        if prev_period is None:
            continue
        src = source_key(r)
        now = _level_for(index, src, r["period"], r["indicator"], actual)
        before = _level_for(index, src, prev_period, r["indicator"], actual)
        if now is None or before is None or now["unit"] != before["unit"]:
            continue
        if not (_open(bounds_of(before))[0] > 0):
            continue

        def change(a, b):
            return (a / b - 1) * 100

        expected_iv = interval(change, bounds_of(now), bounds_of(before))
        expected = change(as_float(now["value"]), as_float(before["value"]))
        ok = overlaps(expected_iv, bounds_of(r))
        how = f" (derived: {before.get('method')})" if before.get("derived") else ""
        detail = (f"{r['period']} {_fmt(as_float(now['value']))} vs {prev_period} "
                  f"{_fmt(as_float(before['value']))}{how}"
                  f" -> {expected:.2f}% vs printed {_fmt(as_float(r['value']))}%")
        out.append(_result("mom_pct", r, "pass" if ok else "fail", expected, expected_iv, r,
                           detail, [r, now, before]))
    return out


# --------------------------------------------------------------------------- sources


def _key(r: dict) -> tuple:
    return (r["indicator"], r["period"], r["measure"], as_text(r.get("base")))


def table_and_same_key_checks(records: list[dict]) -> list[dict]:
    """Within one report: table vs prose, and two prose figures for one key."""
    groups: dict[tuple, list[dict]] = {}
    for r in _printed(records):
        if r.get("report_id") == REFERENCE_ID:
            continue
        groups.setdefault((source_key(r), *_key(r)), []).append(r)
    out = []
    for key in sorted(groups):
        rows = sorted(groups[key], key=lambda r: as_float(r.get("start")))
        tables = [r for r in rows if r.get("source_kind") == "table"]
        prose = [r for r in rows if r.get("source_kind") != "table"]
        for t in tables:
            for p in prose:
                ok = overlaps(bounds_of(p), bounds_of(t))
                out.append(_result(
                    "table_vs_prose", p, "pass" if ok else "fail", as_float(p["value"]),
                    bounds_of(p), t,
                    f"prose {_fmt(as_float(p['value']))} vs table {_fmt(as_float(t['value']))}",
                    [p, t],
                ))
        for a, b in zip(prose, prose[1:], strict=False):
            if overlaps(bounds_of(a), bounds_of(b)):
                continue
            flagged = bool(blank_to_none(a.get("flags")) or blank_to_none(b.get("flags")))
            out.append(_result(
                "same_key", a, "warn" if flagged else "fail", as_float(a["value"]), bounds_of(a), b,
                f"two values for one key in one report: {_fmt(as_float(a['value']))} and "
                f"{_fmt(as_float(b['value']))}"
                + (" (one is flagged)" if flagged else ""),
                [a, b],
            ))
    return out


def cross_source_checks(records: list[dict]) -> list[dict]:
    """Two sources (reports or reference pages) for one key agree within rounding."""
    groups: dict[tuple, dict[str, dict]] = {}
    for r in sorted(_printed(records), key=lambda r: as_float(r.get("start"))):
        per_source = groups.setdefault(_key(r), {})
        src = source_key(r)
        if src not in per_source or (blank_to_none(per_source[src].get("flags")) and not
                                     blank_to_none(r.get("flags"))):
            per_source[src] = r
    out = []
    for key in sorted(groups):
        sources = sorted(groups[key].items())
        for i, (_sa, a) in enumerate(sources):
            for _sb, b in sources[i + 1:]:
                if a.get("report_id") == REFERENCE_ID and b.get("report_id") != REFERENCE_ID:
                    a, b = b, a
                ok = overlaps(bounds_of(a), bounds_of(b))
                revision = (
                    "estimate" in (a.get("status"), b.get("status"))
                    or "press" in (a.get("source_kind"), b.get("source_kind"))
                    or as_text(a.get("report_date")) != as_text(b.get("report_date"))
                )
                status = "pass" if ok else ("warn" if revision else "fail")
                detail = (
                    f"{source_key(a)} {_fmt(as_float(a['value']))} ({a.get('status')}) vs "
                    f"{source_key(b)} {_fmt(as_float(b['value']))} ({b.get('status')})"
                )
                if not ok and revision:
                    detail += ": differ beyond rounding (estimate, press or later revision)"
                out.append(_result("cross_source", a, status, as_float(a["value"]), bounds_of(a), b,
                                   detail, [a, b]))
    return out


def derived_vs_printed_checks(records: list[dict]) -> list[dict]:
    """A derived figure against the same figure printed (same report: must agree)."""
    printed: dict[tuple, list[dict]] = {}
    for r in _printed(records):
        printed.setdefault(_key(r), []).append(r)
    out = []
    for d in records:
        if not bool(d.get("derived")) or d.get("concept") == "plan":
            continue
        inputs = set(as_text(d.get("inputs")).split(";"))
        for p in printed.get(_key(d), []):
            if as_text(p.get("obs_id")) in inputs:
                continue
            same_report = d.get("concept") == "actual" and source_key(p) == source_key(d)
            if d.get("concept") == "previous_year" and source_key(p) == source_key(d):
                continue  # last year's figure is printed by last year's report, not this one
            ok = overlaps(bounds_of(d), bounds_of(p))
            status = "pass" if ok else ("fail" if same_report else "warn")
            detail = (f"{d.get('method')} = {_fmt(as_float(d['value']))} ({d.get('concept')}, "
                      f"{d.get('report_id')}) vs printed {_fmt(as_float(p['value']))} "
                      f"({p.get('report_id')})")
            if not ok and not same_report:
                detail += ": differ beyond rounding across reports (a revision?)"
            out.append(_result("derived_vs_printed", p, status, as_float(d["value"]),
                               bounds_of(d), p, detail, [d, p]))
    return out


def flagged_checks(records: list[dict]) -> list[dict]:
    """Each figure the extractor flagged as uncertain, surfaced as a warning."""
    out = []
    for r in records:
        flags = blank_to_none(r.get("flags"))
        if flags and not bool(r.get("derived")):
            out.append(_result("flagged", r, "warn", math.nan, (math.nan, math.nan), r,
                               f"extractor flag: {flags}", [r]))
    return out


def unresolved_checks(records: list[dict]) -> list[dict]:
    """Each extracted figure that is not an observation, so none is dropped silently."""
    out = []
    for r in records:
        candidates = [f.split("=", 1)[1] for f in as_text(r.get("flags")).split(";")
                      if f.startswith("candidates=")]
        row = dict(r, indicator=r.get("indicator") or (candidates[0].split(",")[0]
                                                       if candidates else None))
        where = f"{r.get('source')}:{as_text(r.get('start'))}-{as_text(r.get('end'))}"
        printed = r.get("value_as_printed") or as_text(r.get("value"))
        out.append(_result(
            "unresolved", row, "warn", math.nan, (math.nan, math.nan), r,
            f"left out of the observations: '{printed}' at {where} "
            f"(label {r.get('label_vi')!r}; flags: {as_text(r.get('flags')) or 'none'})", [r],
        ))
    return out


# --------------------------------------------------------------------------- driver


def audit(
    frame: pd.DataFrame,
    identities: Iterable[Identity] | None = None,
    kinds: dict[str, str] | None = None,
    unresolved: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every check on a frame of observations (printed and derived, with bounds), plus
    one ``unresolved`` warning per figure of ``unresolved`` (not observations)."""
    identities = tuple(load_identities() if identities is None else identities)
    kinds = kinds or {}
    records = frame.to_dict("records")
    results = (
        identity_checks(records, identities)
        + breakdown_checks(records, identities)
        + month_le_ytd_checks(records, kinds)
        + ytd_grows_checks(records, kinds)
        + mom_checks(records)
        + table_and_same_key_checks(records)
        + cross_source_checks(records)
        + derived_vs_printed_checks(records)
        + flagged_checks(records)
        + (unresolved_checks(unresolved.to_dict("records")) if unresolved is not None else [])
    )
    out = pd.DataFrame(results, columns=list(AUDIT_COLUMNS))
    for col in ("expected", "expected_low", "expected_high", "found", "found_low", "found_high"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    return out.sort_values(["report_id", "check", "indicator", "period"], kind="stable",
                           na_position="last").reset_index(drop=True)

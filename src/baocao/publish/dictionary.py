"""The data dictionary: every indicator (from the catalogue and the data) and every column,
as ``dictionary.csv`` and a markdown page for the book (``dictionary.md``)."""

from __future__ import annotations

import pandas as pd

from ..audit import CHECKS
from ..derive import catalogue_indicators
from .fields import DICTIONARY_FIELDS, OBSERVATION_FIELDS, column_names


def dictionary_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator of the catalogue or the data, with its observation count.

    Indicators found only in the data (e.g. in the reference figures) have empty names.
    """
    counts = observations["indicator"].value_counts()
    rows = {ind["id"]: dict(ind) for ind in catalogue_indicators()}
    for indicator in counts.index:
        rows.setdefault(indicator, {"id": indicator})
    frame = pd.DataFrame(list(rows.values()), columns=column_names(DICTIONARY_FIELDS))
    frame["flagship"] = frame["flagship"].map(lambda x: bool(x) if x == x and x is not None
                                              else False).astype(bool)
    frame["n_observations"] = frame["id"].map(counts).fillna(0).astype("Int64")
    for col in ("name_vi", "name_en", "unit", "kind", "description"):
        frame[col] = frame[col].map(lambda x: " ".join(str(x).split()) if isinstance(x, str)
                                    else None).astype(object)
    return frame.sort_values("id").reset_index(drop=True)


def _cell(x: object) -> str:
    if x is None or (isinstance(x, float) and x != x) or x is pd.NA:
        return ""
    return str(x).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def dictionary_markdown(dictionary: pd.DataFrame, audit: pd.DataFrame | None = None) -> str:
    """The dictionary as a MyST/markdown page."""
    indicators = _table(
        ["id", "Vietnamese", "English", "unit", "kind", "flagship", "observations"],
        [[f"`{r.id}`", r.name_vi, r.name_en, r.unit, r.kind, "yes" if r.flagship else "",
          r.n_observations] for r in dictionary.itertuples()],
    )
    fields = _table(
        ["column", "type", "unit", "meaning"],
        [[f"`{f.name}`", f.type, f.unit or "", f.description] for f in OBSERVATION_FIELDS],
    )
    checks = _table(["check", "what it verifies"], [[f"`{k}`", v] for k, v in CHECKS.items()])
    counts = ""
    if audit is not None and len(audit):
        c = audit["status"].value_counts()
        counts = (f"\n\nThis build ran {len(audit)} checks: {c.get('pass', 0)} pass, "
                  f"{c.get('warn', 0)} warn, {c.get('fail', 0)} fail (see `audit.csv`).")
    return f"""# Data dictionary

The dataset `data/processed/observations.csv` (also `.parquet`, described by
`datapackage.json`) holds one row per figure. Printed figures come from the reports
(`source_kind` `report` or `table`) and from figures read by hand from published report
pages (`report_id` `reference`, `source_kind` `official` or `press`). Derived figures
(`derived` true) are computed from printed ones; `method` gives the formula and `inputs`
the `obs_id`s used.

## Columns

{fields}

## What a value stands for: `concept`

- `actual`: the outcome of the period, whether the report calls it an estimate or not
  (see `status`).
- `previous_year`: last year's level implied by a level and its change on last year,
  `level / (1 + yoy_pct/100)`, for the same period one year earlier.
- `plan`: the annual plan or budget estimate implied by a level and its share of plan,
  `level / (plan_pct/100)`, for the year (`period_type` `year`); `base` says whose
  estimate (`central`, `provincial`) when the report does.

Derived rows with `concept` `actual` are a month from two consecutive year-to-date
figures (`ytd(m) - ytd(m-1)`, from the reports of both months), a total's level from its
components when the report prints only the parts, and a total's change on last year
implied by its components' levels and changes.

## Rounding bounds: `value_low`, `value_high`

A printed figure stands for an interval: half a unit of its last printed digit either
side (`1.993,8` → 1993.75–1993.85; `tăng 14%` → 13.5–14.5; `122,85 nghìn con` →
122845–122855). `khoảng` (about) widens this to one unit of the last non-zero digit
(`khoảng 127.300` → 127200–127400); `trên` (over) leaves the upper bound open and `dưới`
(under) the lower one (an empty bound is open). Derived figures get the range of their
formula over the inputs' intervals. The audit compares intervals, so its tolerance is
exactly the printed precision.

## Audit checks (`audit.csv`)

{checks}{counts}

The audit reports; it never changes a figure.

## Indicators

{indicators}
"""

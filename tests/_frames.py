"""Hand-made observation frames for the derive, audit and series tests."""

from __future__ import annotations

import re

import pandas as pd

from baocao.derive import with_derived
from baocao.period_math import period_end, period_type_of

SEED = "langson-ubnd-2017-08"


def _report_date(report_id: str, period: str) -> str:
    """End of the month a report id ends with (``...-2017-08`` -> 2017-08-31)."""
    match = re.search(r"(\d{4}-\d{2})$", report_id)
    return period_end(match[1] if match else period).isoformat()


def obs(indicator: str, period: str, measure: str, value: float, printed: str | None = None,
        *, report_id: str = SEED, start: int = 0, unit: str | None = None, **extra) -> dict:
    """One printed observation with sensible defaults (report date = end of the report)."""
    row = {
        "report_id": report_id,
        "source": f"data/raw/{report_id}.md",
        "start": start,
        "end": start + 10,
        "indicator": indicator,
        "period": period,
        "period_type": period_type_of(period),
        "measure": measure,
        "base": None,
        "value": float(value),
        "unit": unit or ("%" if measure.endswith("_pct") else "VND bn"),
        "value_as_printed": printed,
        "qualifier": None,
        "status": "actual",
        "derived": False,
        "flags": None,
        "source_kind": "report",
        "report_date": extra.pop("report_date", None) or _report_date(report_id, period),
    }
    row.update(extra)
    return row


def frame(*rows: dict, identities=None, kinds=None) -> pd.DataFrame:
    """Rows with starts made distinct, bounds, ids and derived rows added."""
    rows = [dict(r, start=r["start"] or i * 100, end=(r["start"] or i * 100) + 10)
            for i, r in enumerate(rows, start=1)]
    return with_derived(pd.DataFrame(rows), identities, kinds)

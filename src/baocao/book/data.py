"""The data a chapter reads, and the selections every chapter makes.

Selections live here, not in the notebooks, so that a chapter asks for "the year-to-date
levels of these indicators in the newest report" in one call, and so that every chapter
picks the newest report, its month and its year to date the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..paths import repo_root
from ..publish.charts.provenance import REPORT_KINDS, source_of


def load_observations() -> pd.DataFrame:
    """Every observation of the built dataset of the current checkout (``repo_root()``)."""
    from ..series import load

    return load(repo_root() / "data" / "processed" / "observations.parquet")


def load_audit() -> pd.DataFrame:
    """The audit checks of the built dataset, with numeric expected/found columns."""
    audit = pd.read_csv(repo_root() / "data" / "processed" / "audit.csv")
    for column in ("expected", "expected_low", "expected_high", "found", "found_low",
                   "found_high"):
        if column in audit:
            audit[column] = pd.to_numeric(audit[column], errors="coerce")
    return audit


def is_derived(obs: pd.DataFrame) -> pd.Series:
    """Whether each row is computed by baocao (``derived``), as booleans."""
    return obs["derived"].fillna(False).astype(bool)


def is_report(obs: pd.DataFrame) -> pd.Series:
    """Whether each row was read from a shipped report (not a reference page)."""
    return obs["source_kind"].isin(REPORT_KINDS)


def select(
    obs: pd.DataFrame,
    indicator: str | Iterable[str],
    measure: str | None = "level",
    *,
    period: str | Iterable[str] | None = None,
    period_type: str | None = None,
    kind: str | None = None,
    derived: bool | None = False,
) -> pd.DataFrame:
    """Rows of the observations frame, filtered, in the order ``indicator`` lists them.

    ``kind`` is ``"report"`` for figures read from the shipped reports or ``"reference"``
    for the published reference figures; ``derived=None`` keeps printed and derived rows.
    """
    indicators = [indicator] if isinstance(indicator, str) else list(indicator)
    mask = obs["indicator"].isin(indicators)
    if measure is not None:
        mask &= obs["measure"] == measure
    if period is not None:
        mask &= obs["period"].isin([period] if isinstance(period, str) else list(period))
    if period_type is not None:
        mask &= obs["period_type"] == period_type
    if derived is not None:
        mask &= is_derived(obs) == derived
    if kind is not None:
        mask &= is_report(obs) if kind == "report" else ~is_report(obs)
    order = {name: i for i, name in enumerate(indicators)}
    return obs[mask].sort_values("indicator", key=lambda s: s.map(order), kind="stable")


def one(obs: pd.DataFrame, indicator: str, measure: str = "level", **filters) -> pd.Series:
    """Exactly one observation (the first printed one if a report repeats it); raises
    ``LookupError`` naming the query when there is none, so a chapter fails loudly."""
    found = select(obs, indicator, measure, **filters)
    if found.empty:
        raise LookupError(f"no observation for {indicator} {measure} {filters}")
    return found.iloc[0]


def grid(
    obs: pd.DataFrame,
    indicators: list[str],
    periods: list[str],
    measure: str = "level",
) -> pd.DataFrame:
    """One row per (indicator, period) of ``obs`` (already narrowed to printed or to
    derived rows), in the order given; a figure the data do not hold is a row with
    ``value`` NaN (a chart leaves it as a gap), never a zero."""
    found = select(obs, indicators, measure, period=periods, derived=None).drop_duplicates(
        ["indicator", "period"]
    )
    index = pd.MultiIndex.from_product([indicators, periods], names=["indicator", "period"])
    return found.set_index(["indicator", "period"]).reindex(index).reset_index()


@lru_cache(maxsize=8)
def _report_meta(root: str) -> dict[str, dict]:
    metas = {}
    for path in sorted(Path(root, "data", "raw").glob("*.meta.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))
        metas[meta.get("report_id", path.name.removesuffix(".meta.json"))] = meta
    return metas


def report_meta() -> dict[str, dict]:
    """The sidecar of every shipped report (``data/raw/*.meta.json``), by report id."""
    return _report_meta(str(repo_root()))


def report_period(report_id: str) -> str | None:
    """The month a report covers (``YYYY-MM``), from its sidecar."""
    return report_meta().get(report_id, {}).get("period")


def latest_report(obs: pd.DataFrame) -> str:
    """The id of the newest report in ``obs`` (by the period its sidecar gives)."""
    ids = obs.loc[is_report(obs), "report_id"].dropna().unique()
    if not len(ids):
        raise LookupError("the dataset holds no report figures: run `baocao build` first")
    return max(ids, key=lambda rid: (report_period(rid) or "", rid))


def report_periods(report_id: str) -> tuple[str, str]:
    """``(month, year_to_date)`` of a monthly report: ``('2017-08', '2017-01/2017-08')``."""
    month = report_period(report_id)
    if not month or len(month) != 7:
        raise LookupError(f"{report_id}: no monthly period in its sidecar")
    return month, f"{month[:4]}-01/{month}"


def report_title(report_id: str) -> str:
    """The printed title of a report, with its publisher, for prose and captions."""
    meta = source_of(pd.Series({"report_id": report_id}))
    return f"{meta.get('publisher') or report_id}, “{meta.get('title') or report_id}”"


def page_title(page: str) -> str:
    """The first heading of a book page (``notebooks/audit`` → its ``# …`` line)."""
    from ..paths import book_root

    for root in (book_root(), repo_root()):
        path = root / f"{page}.md"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return page.rsplit("/", 1)[-1].replace("_", " ")

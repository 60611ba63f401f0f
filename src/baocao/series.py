"""Stage 5, series: the built dataset as time series, with every vintage kept.

The same figure (indicator, period, measure, base) is often printed by several reports —
an estimate in the month's report, the actual figure in a later one, a rounded copy in
the press. The dataset keeps them all, each with its report date and status; a series
picks one per period:

* ``vintage="latest"``: actual over estimate, then the newest report, then printed over
  derived, then the reports over the reference figures, then official pages over the
  press;
* ``vintage="all"``: every vintage, as a frame;
* ``vintage="<report_id>"``: what that one report said.

::

    import baocao
    s = baocao.series("trade.total", measure="level", period_type="ytd")
    s.attrs["obs_id"]          # the observation behind each value, for citation
"""

from __future__ import annotations

import os
import sys
import types
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .period_math import period_end

OBSERVATIONS = Path("data") / "processed" / "observations.parquet"
_VINTAGE_COLUMNS = [
    "period", "report_id", "report_date", "status", "value", "value_low", "value_high",
    "unit", "derived", "method", "source_kind", "url", "obs_id",
]


def data_path(path: str | os.PathLike[str] | None = None) -> Path:
    """Where the built dataset is: ``path``, ``$BAOCAO_DATA``, the nearest
    ``data/processed/observations.parquet`` above the working directory, or the one in
    the repository this package was installed from (editable install)."""
    if path is not None:
        return Path(path)
    env = os.environ.get("BAOCAO_DATA")
    if env:
        root = Path(env)
        for candidate in (root, root / "observations.parquet", root / "processed" /
                          "observations.parquet", root / OBSERVATIONS):
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"BAOCAO_DATA={env} holds no observations.parquet")
    for folder in (Path.cwd(), *Path.cwd().parents):
        if (folder / OBSERVATIONS).is_file():
            return folder / OBSERVATIONS
    repo = Path(__file__).resolve().parents[2] / OBSERVATIONS
    if repo.is_file():
        return repo
    raise FileNotFoundError(
        "no built dataset found (data/processed/observations.parquet); run `make data` "
        "or `baocao build`, or set BAOCAO_DATA"
    )


@lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int) -> pd.DataFrame:
    return pd.read_parquet(path)


def load(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The built dataset: every observation, printed and derived, with its sources."""
    target = data_path(path)
    return _read(str(target), target.stat().st_mtime_ns).copy()


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort keys for choosing among vintages (larger is preferred)."""
    return frame.assign(
        _actual=frame["status"].eq("actual"),
        _date=frame["report_date"].fillna(""),
        _printed=~frame["derived"].fillna(False).astype(bool),
        _report=frame["report_id"].ne("reference"),
        _official=frame["source_kind"].ne("press"),
    )


def _period_order(periods: pd.Series) -> pd.Series:
    return periods.map(lambda p: (period_end(p) or pd.Timestamp.max.date(), p))


def series(
    indicator: str,
    measure: str = "level",
    period_type: str | None = "ytd",
    vintage: str = "latest",
    base: str | None = None,
    source_kind: str | list[str] | None = None,
    concept: str = "actual",
    include_derived: bool = True,
    data: pd.DataFrame | None = None,
) -> pd.Series | pd.DataFrame:
    """One indicator over time: a Series indexed by period (or every vintage, a frame).

    ``period_type`` (``month``, ``ytd``, ``quarter``, ``year``, ...; None for all),
    ``base`` (for ``base_pct``/``plan_pct``; None keeps rows without one), ``source_kind``
    (``report``, ``table``, ``official``, ``press``), ``concept`` (``actual``,
    ``previous_year``, ``plan``) and ``include_derived`` narrow the rows first.
    """
    frame = load() if data is None else data
    rows = frame[(frame["indicator"] == indicator) & (frame["measure"] == measure)]
    if period_type is not None:
        rows = rows[rows["period_type"] == period_type]
    if "concept" in rows:
        rows = rows[rows["concept"].fillna("actual") == concept]
    if not include_derived:
        rows = rows[~rows["derived"].fillna(False).astype(bool)]
    if source_kind is not None:
        kinds = [source_kind] if isinstance(source_kind, str) else list(source_kind)
        rows = rows[rows["source_kind"].isin(kinds)]
    bases = rows["base"].fillna("").astype(str)
    if base is None:
        if len(rows) and not (bases == "").any():
            choices = ", ".join(sorted(set(bases)))
            raise ValueError(f"{indicator} {measure} needs base= one of: {choices}")
        rows = rows[bases == ""]
    else:
        rows = rows[bases == base]

    if vintage == "all":
        cols = [c for c in _VINTAGE_COLUMNS if c in rows]
        out = rows[cols].copy()
        out["_order"] = _period_order(out["period"])
        return out.sort_values(["_order", "report_date"]).drop(columns="_order") \
            .reset_index(drop=True)
    if vintage != "latest":
        if not (rows["report_id"] == vintage).any() and not (frame["report_id"] == vintage).any():
            raise KeyError(f"no report {vintage!r} in the dataset")
        rows = rows[rows["report_id"] == vintage]

    ranked = _rank(rows).sort_values(["_actual", "_date", "_printed", "_report", "_official"],
                                     ascending=False, kind="stable")
    best = ranked.drop_duplicates("period", keep="first")
    best = best.assign(_order=_period_order(best["period"])).sort_values("_order")
    result = pd.Series(
        best["value"].astype("float64").to_numpy(),
        index=pd.Index(best["period"].to_list(), name="period"),
        name=indicator,
    )
    result.attrs.update(
        indicator=indicator, measure=measure, unit=best["unit"].iloc[0] if len(best) else None,
        vintage=vintage,
        obs_id=dict(zip(best["period"], best["obs_id"], strict=True)),
        report_id=dict(zip(best["period"], best["report_id"], strict=True)),
    )
    return result


class _CallableModule(types.ModuleType):
    """Importing ``baocao.series`` (the module) shadows the lazily exported function
    ``baocao.series``; making the module callable keeps ``baocao.series(...)`` working."""

    def __call__(self, *args, **kwargs):
        return series(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

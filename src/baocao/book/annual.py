"""Annual series pieced together from published figures, and what they can support.

The reference figures give a few full-year values per indicator, each from whichever
page printed it. Before anything is fitted to them the book asks three questions, here:
how many years are there, how far apart, and does the series change source (and perhaps
definition) between them? A trend is fitted only when enough consecutive years come from
a series without a suspected break, and then it is reported with its n, diagnostics, a
leave-one-out sensitivity check and what it cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..publish.charts.provenance import site_of

MIN_TREND_YEARS = 8  # a slope and its uncertainty need more points than a handful
MAX_TREND_GAP = 2  # years between consecutive points a trend may bridge


def one_per_year(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure per year: the outturn over an estimate, an official page over the press,
    then the first listed. Adds ``year`` (int) and ``site`` (where it was published)."""
    ranked = rows.assign(
        _actual=rows["status"].eq("actual"),
        _official=rows["source_kind"].eq("official"),
        year=rows["period"].astype(str).str[:4].astype(int),
    )
    best = (ranked.sort_values(["year", "_actual", "_official"], ascending=[True, False, False],
                               kind="stable")
            .drop_duplicates("year").drop(columns=["_actual", "_official"]))
    sites = [site_of(url) if isinstance(url, str) else str(report)
             for url, report in zip(best["url"], best["report_id"], strict=True)]
    return best.assign(site=sites).reset_index(drop=True)


def intervals(points: pd.DataFrame) -> pd.DataFrame:
    """Consecutive pairs of an annual level series and the average annual change between
    them (compound, in %), with whether the source changes across the pair and whether
    the pair is a suspected break: a change against the direction of the series' median
    interval (a nominal level that falls while every other interval rises)."""
    pts = points.sort_values("year").reset_index(drop=True)
    rows = []
    for a, b in zip(pts.iloc[:-1].itertuples(), pts.iloc[1:].itertuples(), strict=True):
        years = b.year - a.year
        rows.append({
            "from_year": a.year, "to_year": b.year, "years": years,
            "from_value": a.value, "to_value": b.value,
            "annual_pct": 100 * ((b.value / a.value) ** (1 / years) - 1),
            "source_change": a.site != b.site,
            "from_obs_id": a.obs_id, "to_obs_id": b.obs_id,
            "from_url": a.url, "to_url": b.url,
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame.assign(suspect_break=pd.Series(dtype=bool))
    median = float(np.median(frame["annual_pct"]))
    against = np.sign(frame["annual_pct"]) != np.sign(median)
    return frame.assign(suspect_break=against & frame["source_change"])


def break_dates(steps: pd.DataFrame) -> list[pd.Timestamp]:
    """Where a chart marks each interval of ``steps``: halfway between its two years."""
    dates = []
    for a, b in zip(steps["from_year"], steps["to_year"], strict=True):
        start, end = pd.Timestamp(f"{a}-07-02"), pd.Timestamp(f"{b}-07-02")
        dates.append(start + (end - start) / 2)
    return dates


def against_all_others(steps: pd.DataFrame, index: int) -> bool:
    """Whether interval ``index`` changes in the opposite direction to every other one."""
    own = np.sign(steps["annual_pct"].iloc[index])
    others = np.sign(steps["annual_pct"].drop(steps.index[index]))
    return bool(len(others)) and bool((others != own).all())


def year_list(years: list[int]) -> str:
    """``2015, 2022–2025``: years with runs collapsed."""
    years = sorted(set(years))
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def largest_gap(years: list[int]) -> int:
    """The most years between two consecutive figures (1 for a complete series)."""
    years = sorted(set(years))
    return max((b - a for a, b in zip(years, years[1:], strict=False)), default=0)


@dataclass(frozen=True)
class Trend:
    """A fitted linear trend with what a reader needs to judge it."""

    n: int
    slope: float  # per year, in the series' unit
    low: float  # 95% confidence interval of the slope
    high: float
    r2: float
    durbin_watson: float  # autocorrelation of the residuals (2 = none)
    loo_low: float  # the slope with each year left out in turn: its range
    loo_high: float


def fit_trend(points: pd.DataFrame) -> Trend:
    """OLS of value on year, with a leave-one-out range of the slope."""
    import statsmodels.api as sm
    from statsmodels.stats.stattools import durbin_watson

    x = points["year"].to_numpy(dtype=float)
    y = points["value"].to_numpy(dtype=float)
    model = sm.OLS(y, sm.add_constant(x - x.min())).fit()
    low, high = model.conf_int(0.05)[1]
    loo = []
    for i in range(len(x)):
        keep = np.arange(len(x)) != i
        loo.append(sm.OLS(y[keep], sm.add_constant(x[keep] - x.min())).fit().params[1])
    return Trend(n=len(x), slope=float(model.params[1]), low=float(low), high=float(high),
                 r2=float(model.rsquared), durbin_watson=float(durbin_watson(model.resid)),
                 loo_low=float(min(loo)), loo_high=float(max(loo)))


def trend_obstacles(points: pd.DataFrame, breaks: pd.DataFrame | None = None) -> list[str]:
    """Why a trend cannot be fitted to these points (an empty list: it can)."""
    years = points["year"].tolist()
    reasons = []
    if len(years) < MIN_TREND_YEARS:
        reasons.append(f"it needs at least {MIN_TREND_YEARS} years and the data hold "
                       f"{len(years)} ({year_list(years)})")
    gap = largest_gap(years)
    if gap > MAX_TREND_GAP:
        reasons.append(f"{gap} years separate two consecutive figures")
    if breaks is not None and len(breaks) and breaks["suspect_break"].any():
        reasons.append("the series has a suspected break between sources")
    return reasons

"""What the dataset covers: which reports and pages, when they were read, and the gaps.

Everything here is computed from the built dataset, the reports' sidecars and the
reference catalogue, so the coverage page grows with the data.
"""

from __future__ import annotations

import html

import pandas as pd

from ..paths import repo_root
from ..publish.charts.formats import is_missing, period_label
from ..publish.charts.provenance import site_of
from .annual import largest_gap, year_list
from .data import is_derived, is_report, report_meta
from .tables import Column, breakable, html_table, text

ACCESS_COLUMNS = ("date_accessed", "accessed", "access_date")


def reports_frame(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per shipped report: id, publisher, title, period, format, access date and
    the number of figures read from it."""
    printed = obs[is_report(obs) & ~is_derived(obs)]
    counts = printed["report_id"].value_counts()
    rows = []
    for report_id, meta in sorted(report_meta().items(), key=lambda kv: kv[1].get("period", "")):
        rows.append({
            "report_id": report_id,
            "publisher": meta.get("publisher_en") or meta.get("publisher"),
            "title": meta.get("title_vi"),
            "period": meta.get("period"),
            "format": meta.get("format"),
            "date_accessed": meta.get("date_accessed"),
            "url": meta.get("url"),
            "figures": int(counts.get(report_id, 0)),
        })
    return pd.DataFrame(rows)


def missing_months(periods: list[str]) -> list[str]:
    """Months between the first and the last report that no report covers."""
    months = sorted(p for p in periods if isinstance(p, str) and len(p) == 7)
    if len(months) < 2:
        return []
    every = pd.period_range(months[0], months[-1], freq="M").strftime("%Y-%m")
    return [m for m in every if m not in set(months)]


def reference_pages(obs: pd.DataFrame) -> pd.DataFrame:
    """One row per published page the reference figures were read from: its site,
    publisher and title when the catalogue knows it, the periods read, the number of
    figures and, when recorded, the access date."""
    ref = obs[~is_report(obs) & ~is_derived(obs) & obs["url"].notna()]
    catalogue_path = repo_root() / "data" / "reference" / "sources.csv"
    catalogue = pd.read_csv(catalogue_path) if catalogue_path.is_file() else pd.DataFrame()
    known = catalogue.set_index("url").to_dict("index") if "url" in catalogue else {}
    access = next((c for c in ACCESS_COLUMNS if c in catalogue), None)
    rows = []
    for url, group in ref.groupby("url", sort=True):
        meta = known.get(url, {})
        rows.append({
            "url": url,
            "site": site_of(url),
            "kind": group["source_kind"].iloc[0],
            "publisher": meta.get("publisher"),
            "title": meta.get("title_vi"),
            "years": year_list(group["period"].astype(str).str[:4].astype(int).tolist()),
            "figures": len(group),
            "date_accessed": meta.get(access) if access else None,
        })
    return pd.DataFrame(rows)


def annual_coverage(obs: pd.DataFrame, min_figures: int = 5) -> pd.DataFrame:
    """Per indicator with at least ``min_figures`` printed reference figures: the years
    it has a figure for, the first and last, and the largest gap between two of them."""
    ref = obs[~is_report(obs) & ~is_derived(obs)]
    rows = []
    for indicator, group in ref.groupby("indicator"):
        if len(group) < min_figures:
            continue
        years = sorted(set(group["period"].astype(str).str[:4].astype(int)))
        rows.append({
            "indicator": indicator,
            "figures": len(group),
            "years": year_list(years),
            "n_years": len(years),
            "first": years[0],
            "last": years[-1],
            "largest_gap": largest_gap(years),
        })
    return pd.DataFrame(rows).sort_values(["n_years", "indicator"], ascending=[False, True])


def flagship_without_figures(dictionary: pd.DataFrame, obs: pd.DataFrame) -> list[str]:
    """Flagship indicators of the catalogue that no report or page in the dataset gives."""
    flagship = dictionary.loc[dictionary["flagship"].astype(str).str.lower() == "true", "id"]
    present = set(obs["indicator"].dropna())
    return sorted(i for i in flagship if i not in present)


def _link(row: pd.Series) -> str:
    if is_missing(row.get("url")):
        return "shipped copy (no URL)"
    return f'<a href="{html.escape(row["url"])}">{breakable(row["url"])}</a>'


REPORT_COLUMNS = (
    Column("report", "18%", lambda r: breakable(r["report_id"])),
    Column("publisher and title", "36%", lambda r: html.escape(f"{r['publisher']}: "
                                                              f"{r['title']}")),
    Column("period", "10%", lambda r: html.escape(period_label(r["period"]))),
    Column("format", "9%", text("format")),
    Column("accessed", "12%", text("date_accessed")),
    Column("figures", "8%", lambda r: str(r["figures"])),
    Column("where", "7%", _link),
)

PAGE_COLUMNS = (
    Column("page", "34%", lambda r: f'<a href="{html.escape(r["url"])}">{breakable(r["url"])}'
                                    "</a>"),
    Column("kind", "9%", text("kind")),
    Column("title", "25%", lambda r: html.escape(r["title"]) if isinstance(r["title"], str)
           else "–"),
    Column("years", "12%", text("years")),
    Column("figures", "8%", lambda r: str(r["figures"])),
    Column("accessed", "12%", lambda r: html.escape(str(r["date_accessed"]))
           if not is_missing(r["date_accessed"]) else "not recorded"),
)

ANNUAL_COLUMNS = (
    Column("indicator", "34%", lambda r: breakable(r["indicator"])),
    Column("figures", "11%", lambda r: str(r["figures"])),
    Column("years with a figure", "35%", text("years")),
    Column("largest gap (years)", "20%", lambda r: str(r["largest_gap"])),
)


def reports_html(frame: pd.DataFrame) -> str:
    return html_table(frame, REPORT_COLUMNS)


def pages_html(frame: pd.DataFrame) -> str:
    return html_table(frame, PAGE_COLUMNS)


def annual_html(frame: pd.DataFrame) -> str:
    return html_table(frame, ANNUAL_COLUMNS)

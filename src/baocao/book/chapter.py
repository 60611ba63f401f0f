"""A chapter of the book: the data it reads and what it shows.

A notebook opens its chapter once (``ch = book.Chapter("notebooks/budget_revenue")``),
then asks it for figures (``ch.value``, ``ch.levels``) and shows results with
``ch.figure``, ``ch.say`` and ``ch.table``. Each of those displays the block in the
notebook and glues it for the book, writes a chart's files (SVG, 2x PNG, CSV) and its
citation, and lists the chart's plotted figures under it.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from .. import __version__
from ..paths import book_root, repo_root
from ..period_math import shift_year
from ..publish.charts import (
    Chart,
    chart_table,
    citation,
    period_label,
    provenance_table,
    save_chart,
)
from .data import (
    grid,
    is_derived,
    latest_report,
    load_observations,
    one,
    page_title,
    report_periods,
    report_title,
    select,
)
from .display import FigureBlock, HtmlBlock, Prose, chart_links, show
from .tables import provenance_html


def charts_dir() -> Path:
    """Where chart files are written: ``BAOCAO_CHARTS``, else ``_build/charts`` of the book."""
    if os.environ.get("BAOCAO_CHARTS"):
        return Path(os.environ["BAOCAO_CHARTS"])
    return book_root() / "_build" / "charts"


@lru_cache(maxsize=4)
def _book_config(root: str) -> dict:
    path = Path(root, "_config.yml")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


@lru_cache(maxsize=4)
def _citation_cff(root: str) -> dict:
    path = Path(root, "CITATION.cff")
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}


def book_title() -> str:
    """The book's title, from ``_config.yml``."""
    return str(_book_config(str(book_root())).get("title", "baocao"))


def release_year() -> str:
    """The year of the release being cited (``date-released`` of ``CITATION.cff``)."""
    return str(_citation_cff(str(repo_root())).get("date-released", ""))[:4] or "n.d."


def page_url(page: str) -> str:
    """Where a page of the book is read: under ``BAOCAO_BOOK_URL`` when the build knows
    its published address (the Pages workflow sets it), else its path in the book."""
    base = os.environ.get("BAOCAO_BOOK_URL", "").rstrip("/")
    return f"{base}/{page}.html" if base else f"{page}.html (in the built book)"


class Chapter:
    """One chapter: the newest report's figures and the blocks the chapter shows."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.name = page.rsplit("/", 1)[-1]
        self.title = page_title(page)
        self.obs = load_observations()
        self.report = latest_report(self.obs)
        self.month, self.ytd = report_periods(self.report)
        in_report = self.obs["report_id"] == self.report
        self.printed = self.obs[in_report & ~is_derived(self.obs)]
        self.derived = self.obs[in_report & is_derived(self.obs)]
        self.figures: dict[str, str] = {}  # figure label -> chart title

    # ------------------------------------------------------------------ the data
    @property
    def month_label(self) -> str:
        return period_label(self.month)

    @property
    def ytd_label(self) -> str:
        return period_label(self.ytd)

    @property
    def elapsed(self) -> float:
        """Share of the year elapsed at the end of the report month, in %."""
        return 100 * int(self.month[5:]) / 12

    def row(self, indicator: str, measure: str = "level", period: str | None = None) -> pd.Series:
        """The newest report's printed figure (the year to date unless ``period``)."""
        return one(self.printed, indicator, measure, period=period or self.ytd)

    def value(self, indicator: str, measure: str = "level", period: str | None = None) -> float:
        """The value of :meth:`row`."""
        return float(self.row(indicator, measure, period)["value"])

    @property
    def previous_ytd(self) -> str:
        """The same months of the previous year (``2016-01/2016-08``)."""
        return shift_year(self.ytd, -1) or self.ytd

    def levels(self, indicators: list[str], periods: list[str], measure: str = "level"):
        """The newest report's printed figures, one row per (indicator, period)."""
        return grid(self.printed, indicators, periods, measure)

    def periods_with(self, indicators: list[str], measure: str = "level") -> list[str]:
        """Periods for which the newest report prints every one of ``indicators``:
        months first (in order), then longer periods (the year to date)."""
        rows = select(self.printed, indicators, measure)
        periods = [p for p, g in rows.groupby("period") if set(g["indicator"]) >= set(indicators)]
        return sorted(periods, key=lambda p: (len(p), p))

    def implied(self, concept: str, indicators: list[str], period: str) -> pd.DataFrame:
        """Figures the newest report implies (derived rows of ``concept``: ``previous_year``,
        ``plan``), one row per indicator in order; NaN where none is implied. A plan
        implied for a named estimate (``base`` central/provincial) is left out."""
        rows = self.derived[(self.derived["concept"] == concept)
                            & (self.derived["period"] == period)
                            & self.derived["base"].isna()]
        return grid(rows.assign(measure="level"), indicators, [period])

    def reference(self, indicator: str, measure: str = "level", *,
                  period_type: str = "year", derived: bool | None = False) -> pd.DataFrame:
        """The published reference figures of an indicator (every page, every vintage)."""
        return select(self.obs, indicator, measure, kind="reference",
                      period_type=period_type, derived=derived)

    # ------------------------------------------------------------------ showing
    # The methods below return nothing: a returned block, as the last line of a cell, would
    # be displayed a second time.
    def say(self, key: str, markdown: str) -> None:
        """Show a paragraph computed from the data, and glue it as ``key``."""
        show(key, Prose(markdown, labels=self.figures))

    def intro(self) -> None:
        """Which report the chapter reads."""
        self.say(
            "report_intro",
            f"The figures come from {report_title(self.report)}, the report for "
            f"{self.month_label}.",
        )

    def table(self, key: str, html: str, text: str) -> None:
        """Show an HTML table (``text`` summarises it for plain-text readers)."""
        show(key, HtmlBlock(html, text))

    def list_figures(self, key: str, rows: pd.DataFrame, what: str) -> None:
        """Show observations with their sources, collapsed under one line naming ``what``."""
        table = provenance_table(rows)
        self.table(key, provenance_html(table, what), f"{len(table)} figures: {what}")

    def figure(self, label: str, chart: Chart, *, caption: str, alt: str) -> None:
        """Show a chart as figure ``label``: its files, caption, citation and sources."""
        files = save_chart(chart, charts_dir() / self.name, label)
        links = chart_links({"svg": files.svg, "png": files.png, "csv": files.csv}, book_root())
        block = FigureBlock(
            label=label,
            title=chart.title,
            caption=caption,
            alt=alt,
            source=chart.source,
            citation=citation(chart, chapter=self.title, book_title=book_title(),
                              version=__version__, year=release_year(),
                              page_url=page_url(self.page), figure_id=label),
            links=links,
            svg=files.svg.read_bytes(),
        )
        self.figures[label] = chart.title
        key = label.replace("-", "_")
        show(key, block)
        table = chart_table(chart)
        if "obs_id" in table and "quote" in table:
            text = f"{len(table)} figures plotted in “{chart.title}”"
            self.table(f"{key}_sources", provenance_html(table, f"“{chart.title}”"), text)

"""A chart's files: the image as SVG and as a PNG at twice screen resolution, the plotted
rows as CSV (with their ``obs_id``s and sources), and how to cite it.

These are what a reader downloads from under each chart of the book, so they are written
deterministically: the same chart gives byte-identical files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .provenance import provenance_table
from .style import Chart

PNG_DPI = 250  # the 6.4-inch figure becomes about 1,600 pixels: over 2x a text column


@dataclass(frozen=True)
class ChartFiles:
    """Where a chart's files were written."""

    svg: Path
    png: Path
    csv: Path

    def all(self) -> tuple[Path, Path, Path]:
        return (self.svg, self.png, self.csv)


def chart_table(chart: Chart) -> pd.DataFrame:
    """The rows the chart plots, as its CSV holds them.

    Observations (with an ``obs_id`` and an ``indicator``) become the provenance table:
    figure, period, value, unit, bounds, as printed, status, quote, source, where, URL.
    Anything else (the audit checks a chart counts) is written as it is.
    """
    data = chart.data
    if {"indicator", "value", "unit", "period"} <= set(data.columns):
        return provenance_table(data)
    return data.reset_index(drop=True)


def save_chart(chart: Chart, folder: Path, name: str) -> ChartFiles:
    """Write ``NAME.svg``, ``NAME.png`` and ``NAME.csv`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = ChartFiles(folder / f"{name}.svg", folder / f"{name}.png", folder / f"{name}.csv")
    common = {"bbox_inches": "tight", "pad_inches": 0.12, "facecolor": "white"}
    chart.figure.savefig(
        files.svg,
        format="svg",
        metadata={"Title": chart.title, "Description": chart.source, "Date": None},
        **common,
    )
    chart.figure.savefig(files.png, format="png", dpi=PNG_DPI, metadata={"Software": None},
                         **common)
    chart_table(chart).to_csv(files.csv, index=False, encoding="utf-8")
    return files


def citation(
    chart: Chart,
    *,
    chapter: str,
    book_title: str,
    version: str,
    year: str,
    page_url: str,
    figure_id: str,
) -> str:
    """A plain-text citation of a chart: what it shows, where it is published, its data.

    The data sources come first in a researcher's citation; the chart credits baocao and
    points to the page and anchor where the figure and its CSV can be found.
    """
    n = len(chart.data)
    return (
        f"“{chart.title}” ({chart.unit}). In: baocao contributors ({year}), "
        f"{book_title} (baocao {version}), chapter “{chapter}”, {page_url}#{figure_id}. "
        f"{chart.source} "
        f"Plotted data: {n} row{'s' if n != 1 else ''}, each with its obs_id, in the chart's CSV."
    )

"""The indicator list of the data dictionary page, grouped by theme so the page stays short.

The dictionary has one row per indicator of the catalogue and of the data (hundreds);
one long table makes a page tens of thousands of pixels tall. Grouped by the first part
of the id (``budget``, ``trade``, ...), each theme is a collapsed table of its own.
"""

from __future__ import annotations

import html

import pandas as pd

from ..paths import processed_file
from ..publish.charts.formats import is_missing, plural
from .display import HtmlBlock, Prose, show
from .tables import Column, breakable, details, html_table, text


def _flagship(row: pd.Series) -> str:
    return "yes" if str(row.get("flagship")).lower() == "true" else ""


INDICATOR_COLUMNS = (
    Column("id", "24%", lambda r: f"<code>{breakable(r['id'])}</code>"),
    Column("Vietnamese", "25%", text("name_vi")),
    Column("English", "25%", text("name_en")),
    Column("unit", "9%", text("unit")),
    Column("flagship", "8%", _flagship),
    Column("figures", "9%", lambda r: "" if is_missing(r.get("n_observations"))
           else html.escape(str(int(r["n_observations"])))),
)


def themes(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Indicators by the first part of their id, themes in alphabetical order."""
    theme = frame["id"].str.split(".").str[0]
    return {name: group for name, group in frame.groupby(theme, sort=True)}


def indicator_tables() -> None:
    """Show one collapsed table per theme of ``dictionary.csv``."""
    frame = pd.read_csv(processed_file("dictionary.csv"))
    groups = themes(frame)
    show("indicators_intro", Prose(
        f"{plural(len(frame), 'indicator')} in {plural(len(groups), 'theme')}; "
        f"{int((frame['flagship'].astype(str).str.lower() == 'true').sum())} are flagship "
        "indicators, which the extractor must recognise wherever a report states them. "
        "Open a theme to see its indicators."))
    blocks = [
        details(f"{name} — {plural(len(group), 'indicator')}, "
                f"{plural(int(group['n_observations'].fillna(0).sum()), 'figure')} in the data",
                html_table(group, INDICATOR_COLUMNS))
        for name, group in groups.items()
    ]
    show("indicators_tables", HtmlBlock("".join(blocks), f"{len(frame)} indicators"))

"""HTML tables that fit the text column: fixed layout, set column widths, wrapped cells.

A table as wide as its content overflows a book's column as soon as a cell holds a
sentence or a URL. These tables take the width of their column and wrap inside it; on a
phone the book's stylesheet lays each row out as a card (``data-label`` names each cell).
Styles are inline too, so JupyterLab, which has no book stylesheet, shows them the same.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..publish.charts.formats import fmt_value, is_missing, period_label, plural

_CELL = "text-align:left;vertical-align:top;padding:0.3em 0.45em;overflow-wrap:anywhere;"
_HEAD = "text-align:left;vertical-align:bottom;padding:0.3em 0.45em;overflow-wrap:normal;"
_TABLE = "table-layout:fixed;width:100%;border-collapse:collapse;font-size:0.85em;"


@dataclass(frozen=True)
class Column:
    """A column: its header, its share of the width, and how a row becomes its cell (HTML)."""

    header: str
    width: str
    cell: Callable[[pd.Series], str]


def text(column: str) -> Callable[[pd.Series], str]:
    """A cell showing a column's text, escaped; empty when missing."""
    return lambda row: "" if is_missing(row.get(column)) else html.escape(str(row[column]))


def breakable(value: str) -> str:
    """Escaped text whose dotted ids may break after each dot (``budget.<wbr>revenue``)."""
    return html.escape(value).replace(".", ".<wbr>").replace("_", "_<wbr>")


def html_table(rows: pd.DataFrame, columns: Sequence[Column], *, css_class: str = "") -> str:
    """Rows as a fixed-layout table of the given columns."""
    cols = "".join(f'<col style="width:{c.width}">' for c in columns)
    head = "".join(f'<th style="{_HEAD}">{html.escape(c.header)}</th>' for c in columns)
    body = []
    for _, row in rows.iterrows():
        cells = "".join(
            f'<td data-label="{html.escape(c.header)}" style="{_CELL}">{c.cell(row)}</td>'
            for c in columns
        )
        body.append(f"<tr>{cells}</tr>")
    classes = f"bc-table {css_class}".strip()
    return (
        f'<table class="{classes}" style="{_TABLE}"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def details(summary: str, body: str, *, css_class: str = "bc-details", open_: bool = False) -> str:
    """A collapsible block (``<details>``): the summary line, then the body when opened."""
    attrs = " open" if open_ else ""
    return (
        f'<details class="{css_class}"{attrs}><summary>{html.escape(summary)}</summary>'
        f"{body}</details>"
    )


def _printed(row: pd.Series) -> str:
    shown = "–" if is_missing(row.get("as_printed")) else html.escape(str(row["as_printed"]))
    status = "" if is_missing(row.get("status")) else html.escape(str(row["status"]))
    return f"{shown}<br><em>{status}</em>"


def _where(row: pd.Series) -> str:
    url = row.get("url")
    if isinstance(url, str) and url:
        place = f'<a href="{html.escape(url)}">{breakable(url)}</a>'
    else:
        place = html.escape(row.get("where") or "")
    return f"{place}<br><code>{html.escape(str(row.get('obs_id') or ''))}</code>"


PROVENANCE_COLUMNS: tuple[Column, ...] = (
    Column("figure", "17%", lambda r: breakable(str(r["figure"]))),
    Column("period", "10%", lambda r: html.escape(period_label(r["period"]))),
    Column("value", "12%", lambda r: html.escape(fmt_value(r["value"], r["unit"]))),
    Column("as printed", "13%", _printed),
    Column("quote", "30%", text("quote")),
    Column("where · obs_id", "18%", _where),
)


def provenance_html(table: pd.DataFrame, what: str) -> str:
    """Figures with their sources, collapsed under one line: ``what`` names them (a chart's
    title in quotes becomes "The 8 figures plotted in “…”")."""
    if what.startswith("“"):
        what = f"plotted in {what}"
    summary = (f"The {plural(len(table), 'figure')} {what}, with the sentences (or URLs) "
               "they were read from")
    return details(summary, html_table(table, PROVENANCE_COLUMNS, css_class="bc-provenance"),
                   css_class="bc-details bc-sources")

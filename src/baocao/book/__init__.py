"""The library behind the book's chapters.

A chapter's notebook stays a short narrative: it opens its :class:`Chapter`, asks for
figures, draws them with :mod:`baocao.publish.charts` and shows them with
``ch.figure`` / ``ch.say`` / ``ch.table``, which display each block when the notebook is
run in JupyterLab and glue it for the book. Selections (:mod:`.data`), sentences that
follow the data (:mod:`.conclusions`), what annual series can support (:mod:`.annual`),
the audit (:mod:`.audit_view`) and coverage (:mod:`.coverage`) live here, tested.
"""

from __future__ import annotations

from . import annual, audit_view, conclusions, coverage
from .chapter import Chapter, book_title, charts_dir, page_url
from .data import (
    grid,
    is_derived,
    is_report,
    latest_report,
    load_audit,
    load_observations,
    one,
    report_meta,
    report_periods,
    report_title,
    select,
)
from .display import FigureBlock, HtmlBlock, Prose, show

__all__ = [
    "Chapter",
    "FigureBlock",
    "HtmlBlock",
    "Prose",
    "annual",
    "audit_view",
    "book_title",
    "charts_dir",
    "conclusions",
    "coverage",
    "grid",
    "is_derived",
    "is_report",
    "latest_report",
    "load_audit",
    "load_observations",
    "one",
    "page_url",
    "report_meta",
    "report_periods",
    "report_title",
    "select",
    "show",
]

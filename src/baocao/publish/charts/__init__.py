"""The book's charts, split by concern:

- :mod:`.formats` — numbers, units and periods as the book prints them;
- :mod:`.style` — one look for every chart, and the frame (title, units, source line);
- :mod:`.provenance` — source lines, provenance tables, the observations an audit cites;
- :mod:`.plots` — the chart types, each returning a :class:`~.style.Chart`;
- :mod:`.export` — a chart's SVG, 2x PNG and CSV files, and its citation.

Everything a notebook needs is importable from here: ``from baocao.publish import charts``.
"""

from __future__ import annotations

from .export import ChartFiles, chart_table, citation, save_chart
from .formats import (
    MEASURE_LABELS,
    UNIT_LABELS,
    fmt_change,
    fmt_number,
    fmt_value,
    is_missing,
    join_words,
    period_end,
    period_label,
    period_mid,
    period_start,
    plural,
    unit_label,
)
from .plots import (
    STATUS_COLORS,
    bar_with_source,
    coverage_dots,
    gap_dots,
    grouped_bars,
    has_bounds,
    interval_bars,
    sign_colors,
    small_multiples,
    stacked_bars,
    status_bars,
    timeline_with_source,
)
from .provenance import (
    PROVENANCE_COLUMNS,
    cited_observations,
    describe,
    is_report_row,
    provenance_table,
    site_of,
    source_line,
    source_of,
    sources,
    where,
)
from .style import CYCLE, GREY, PALETTE, Chart, apply_style, finish, new_figure

__all__ = [
    "CYCLE",
    "GREY",
    "MEASURE_LABELS",
    "PALETTE",
    "PROVENANCE_COLUMNS",
    "STATUS_COLORS",
    "UNIT_LABELS",
    "Chart",
    "ChartFiles",
    "apply_style",
    "bar_with_source",
    "chart_table",
    "citation",
    "cited_observations",
    "coverage_dots",
    "describe",
    "finish",
    "fmt_change",
    "fmt_number",
    "fmt_value",
    "gap_dots",
    "grouped_bars",
    "has_bounds",
    "interval_bars",
    "is_missing",
    "is_report_row",
    "join_words",
    "new_figure",
    "period_end",
    "period_label",
    "period_mid",
    "period_start",
    "plural",
    "provenance_table",
    "save_chart",
    "sign_colors",
    "site_of",
    "small_multiples",
    "source_line",
    "source_of",
    "sources",
    "stacked_bars",
    "status_bars",
    "timeline_with_source",
    "unit_label",
    "where",
]

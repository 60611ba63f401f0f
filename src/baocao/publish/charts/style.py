"""One look for every chart of the book, and the frame drawn around each plot.

A colour-blind-safe palette (Okabe & Ito 2008), fonts that cover Vietnamese, and
:func:`finish`, which draws the title, the units line and — on the image itself — the
source line, so that a chart copied out of the book still says where its numbers came
from. Every plot function returns a :class:`Chart`: the figure together with the rows it
plots, which become the chart's CSV.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # no window: figures are rendered to files and notebook outputs

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from cycler import cycler  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, NullFormatter  # noqa: E402

from .formats import fmt_number  # noqa: E402
from .provenance import source_line  # noqa: E402

#: Okabe–Ito palette: distinguishable under the common colour-vision deficiencies.
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE: tuple[str, ...] = tuple(PALETTE.values())
GREY = "#595959"  # text grey that keeps 7:1 contrast on white

# A chart is shown at the width of the book's text column (about 570 px at a 1280 px
# window): a 6.4-inch figure is drawn at about 90 px an inch there, so 9.5-point text is
# about 12 px tall — the source line stays readable — and the PNG at 250 dpi is more
# than twice the pixels it is shown at.
WIDTH_IN = 6.4
SOURCE_FONT_PT = 9.5
SOURCE_WRAP = 86  # characters per source line at that size and width


@dataclass
class Chart:
    """A finished chart: the figure, what it shows and the rows behind it.

    ``rows`` are the observations cited in the source line; ``data`` are exactly the rows
    plotted (the same observations for most charts; the audit checks for a chart that
    counts checks), written out as the chart's CSV.
    """

    figure: Figure
    title: str
    unit: str
    rows: pd.DataFrame
    data: pd.DataFrame
    source: str  # the source line, on one line


def apply_style() -> None:
    """Set the book's matplotlib defaults (fonts that cover Vietnamese, palette, grid)."""
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",  # covers Vietnamese diacritics
            "font.size": 10,
            "axes.titlesize": 10,
            "axes.titleweight": "normal",
            "axes.labelsize": 9.5,
            "axes.labelcolor": GREY,
            "axes.edgecolor": GREY,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.8,
            "axes.axisbelow": True,
            "axes.prop_cycle": cycler(color=list(CYCLE)),
            "xtick.color": GREY,
            "ytick.color": GREY,
            "legend.frameon": False,
            "legend.fontsize": 9,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "figure.dpi": 100,
            "svg.hashsalt": "baocao",  # stable ids: the same chart gives the same file
        }
    )


def new_figure(nrows: int = 1, ncols: int = 1, height: float = 3.6, **kwargs):
    """A figure of the book's width, closed for pyplot (the book displays it explicitly)."""
    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH_IN, height), **kwargs)
    plt.close(fig)
    return fig, axes


def blank_figure(height: float) -> Figure:
    """A figure of the book's width with no axes, for plots that place their own."""
    apply_style()
    fig = plt.figure(figsize=(WIDTH_IN, height))
    plt.close(fig)
    return fig


def source_text(rows: pd.DataFrame, note: str | None = None, wrap: bool = True) -> str:
    """The text drawn under a chart: an optional note, then the source line; wrapped to
    the chart's width, or on one line (``wrap=False``) for a caption."""
    if not wrap:
        lead = f"Note: {note.rstrip('.')}. " if note else ""
        return lead + source_line(rows, max_chars=None)
    text = source_line(rows, max_chars=SOURCE_WRAP)
    if note:
        text = "\n".join(textwrap.wrap("Note: " + note, SOURCE_WRAP)) + "\n" + text
    return text


def source_height(rows: pd.DataFrame, note: str | None = None) -> float:
    """Inches the source block needs under a chart."""
    return 0.2 + 0.19 * (source_text(rows, note).count("\n") + 1)


def finish(
    fig: Figure,
    *,
    title: str,
    unit: str,
    rows: pd.DataFrame,
    data: pd.DataFrame | None = None,
    note: str | None = None,
    layout: bool = True,
    extra_bottom: float = 0.0,
    left: float = 0.1,
) -> Chart:
    """Draw the title, the units line and the source line, and (unless ``layout`` is false,
    for figures that place their axes themselves) fit the axes between them.

    Rows without a value (a gap in the chart) are neither cited nor part of its data.
    """
    if "value" in rows:
        rows = rows[rows["value"].notna()]
    source = source_text(rows, note)
    height = fig.get_figheight()
    fig.text(0.012, 1 - 0.14 / height, title, ha="left", va="top", fontsize=12, weight="bold")
    fig.text(0.012, 1 - 0.40 / height, unit, ha="left", va="top", fontsize=9.5, color=GREY)
    fig.text(
        0.012,
        0.06 / height,
        source,
        ha="left",
        va="bottom",
        fontsize=SOURCE_FONT_PT,
        color=GREY,
        linespacing=1.35,
    )
    if layout:
        fig.subplots_adjust(
            top=1 - 0.62 / height,
            bottom=(source_height(rows, note) + 0.45 + extra_bottom) / height,
            left=left,
            right=0.97,
        )
    fig.set_label(title)
    return Chart(
        figure=fig,
        title=title,
        unit=unit,
        rows=rows,
        data=rows if data is None else data,
        source=source_text(rows, note, wrap=False),
    )


def thousands(axis) -> None:
    """Tick labels with thousands separators (4,000 rather than 4000)."""
    axis.set_major_formatter(
        FuncFormatter(lambda x, _pos: fmt_number(x, 0 if abs(x) >= 10 else None))
    )


def year_axis(ax: Axes, dates: Sequence[pd.Timestamp]) -> None:
    """Years labelled in the middle of their span, so an annual figure sits above its year."""
    span = max(dates).year - min(dates).year + 1
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(step, month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", which="minor", length=0)


def horizontal_grid(ax: Axes) -> None:
    """Grid lines along the value axis of a horizontal bar chart only."""
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)

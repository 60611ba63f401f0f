"""One chart style for the whole book, and the provenance that goes with every chart.

Every figure in the book is drawn by a function here so that all of them share a
colour-blind-safe palette (Okabe & Ito 2008), a title, a units line and, drawn on the
figure itself, a source line naming the report and where in it the figures were read
(page, or section and footnote for a text report; the URL for a published reference
figure). A chart copied out of the book therefore still says where its numbers came from.

Functions take rows of the observations frame (``baocao.load()``) and never a bare list
of numbers, so a figure cannot be drawn without its provenance. ``provenance_table``
turns the same rows into the tidy table printed beside each chart.
"""

from __future__ import annotations

import json
import math
import os
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

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

#: How the book names the measures of the contract.
MEASURE_LABELS: dict[str, str] = {
    "level": "level",
    "yoy_pct": "% change on a year earlier",
    "plan_pct": "% of annual plan",
    "mom_pct": "% change on previous month",
    "base_pct": "% change on a named base",
    "yoy_diff": "change on a year earlier",
}

UNIT_LABELS: dict[str, str] = {
    "VND bn": "billion VND",
    "VND mn": "million VND",
    "USD mn": "million USD",
    "t": "tonnes",
    "ha": "hectares",
    "head": "head",
    "visits": "visits",
    "persons": "persons",
    "count": "number",
    "%": "%",
    "pp": "percentage points",
}

_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_WIDTH_IN = 7.6  # figure width in inches: the book's text column at 100 dpi


# --------------------------------------------------------------------------- style
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
            "savefig.dpi": 150,
        }
    )


apply_style()


# --------------------------------------------------------------------------- formats
def fmt_number(value: float, decimals: int | None = None) -> str:
    """English-format a number with thousands separators and only the decimals it needs.

    >>> fmt_number(4020.0), fmt_number(462.4), fmt_number(156.202)
    ('4,020', '462.4', '156.202')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0
        while decimals < 3 and abs(round(value, decimals) - value) > 1e-9 * max(1, abs(value)):
            decimals += 1
    return f"{value:,.{decimals}f}"


def fmt_value(value: float, unit: str, decimals: int | None = None) -> str:
    """A number with its unit as the book prints it: ``4,020 billion VND``, ``-6.8%``."""
    number = fmt_number(value, decimals)
    if unit == "%":
        return f"{number}%"
    if unit == "pp":
        return f"{number} pp"
    return f"{number} {UNIT_LABELS.get(unit, unit)}"


def period_label(period: str, period_type: str | None = None) -> str:
    """A reader's label for a contract period: ``2017-01/2017-08`` → ``Jan–Aug 2017``."""
    period = str(period)
    if "/" in period:
        start, end = period.split("/", 1)
        if len(start) == 7 and len(end) == 7:  # year-to-date or month range
            y0, m0 = int(start[:4]), int(start[5:7])
            y1, m1 = int(end[:4]), int(end[5:7])
            if y0 == y1:
                return f"{_MONTHS[m0 - 1]}–{_MONTHS[m1 - 1]} {y1}"
            return f"{_MONTHS[m0 - 1]} {y0}–{_MONTHS[m1 - 1]} {y1}"
        if len(start) == 10 and len(end) == 10:  # explicit day range
            d0, d1 = pd.Timestamp(start), pd.Timestamp(end)
            return f"{d0.day} {_MONTHS[d0.month - 1]}–{d1.day} {_MONTHS[d1.month - 1]} {d1.year}"
        return period
    if len(period) == 7 and period[4] == "-" and period[5:].isdigit():
        return f"{_MONTHS[int(period[5:]) - 1]} {period[:4]}"
    if len(period) == 10:
        day = pd.Timestamp(period)
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    if "-Q" in period or "-H" in period:
        year, part = period.split("-")
        return f"{part} {year}"
    return period


def period_mid(period: str) -> pd.Timestamp:
    """The middle of a contract period: where a time axis places it (a year sits mid-year)."""
    period = str(period)
    end = period_end(period)
    first = period.split("/")[0]
    if "-Q" in first:
        start = pd.Period(first.replace("-Q", "Q"), freq="Q").start_time
    elif "-H" in first:
        start = pd.Timestamp(f"{first[:4]}-{1 if first.endswith('1') else 7}-01")
    elif len(first) == 4:
        start = pd.Timestamp(f"{first}-01-01")
    elif len(first) == 7:
        start = pd.Timestamp(f"{first}-01")
    else:
        start = pd.Timestamp(first)
    return start + (end - start) / 2


def period_end(period: str) -> pd.Timestamp:
    """The last day a contract period covers (used to place it on a time axis)."""
    period = str(period)
    last = period.split("/")[-1]
    if "-Q" in last:
        year, quarter = last.split("-Q")
        return pd.Period(f"{year}Q{quarter}", freq="Q").end_time.normalize()
    if "-H" in last:
        year, half = last.split("-H")
        return pd.Timestamp(f"{year}-{6 if half == '1' else 12}-01") + pd.offsets.MonthEnd(0)
    if len(last) == 4:
        return pd.Timestamp(f"{last}-12-31")
    if len(last) == 7:
        return pd.Timestamp(f"{last}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(last)


# --------------------------------------------------------------------------- sources
def repo_root(start: Path | None = None) -> Path:
    """The checkout holding ``data/`` (``BAOCAO_ROOT`` wins; else search upwards from cwd)."""
    if os.environ.get("BAOCAO_ROOT"):
        return Path(os.environ["BAOCAO_ROOT"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return Path(__file__).resolve().parents[3]


def processed_file(name: str) -> Path:
    """Path of a file written by ``baocao build`` (``data/processed/NAME``)."""
    return repo_root() / "data" / "processed" / name


@lru_cache(maxsize=4)
def _sources(root: str) -> pd.DataFrame:
    """Report and reference-source metadata, one row per report_id or URL."""
    rows = []
    for meta_path in sorted(Path(root, "data", "raw").glob("*.meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        rows.append(
            {
                "key": meta.get("report_id", meta_path.name.removesuffix(".meta.json")),
                "publisher": meta.get("publisher_en") or meta.get("publisher"),
                "title": meta.get("title_vi"),
                "title_en": meta.get("title_en"),
                "url": meta.get("url"),
            }
        )
    ref = Path(root, "data", "reference", "sources.csv")
    if ref.is_file():
        for rec in pd.read_csv(ref).to_dict("records"):
            rows.append(
                {
                    "key": rec["url"],
                    "publisher": rec.get("publisher"),
                    "title": rec.get("title_vi"),
                    "title_en": None,
                    "url": rec["url"],
                }
            )
    return pd.DataFrame(rows, columns=["key", "publisher", "title", "title_en", "url"])


def sources() -> pd.DataFrame:
    """Metadata of every report (``data/raw/*.meta.json``) and reference source URL."""
    return _sources(str(repo_root()))


def _source_of(row: pd.Series) -> dict:
    table = sources().set_index("key")
    for key in (row.get("report_id"), row.get("url"), row.get("source")):
        if isinstance(key, str) and key in table.index:
            found = table.loc[key]
            if isinstance(found, pd.DataFrame):
                found = found.iloc[0]
            return found.to_dict()
    return {"publisher": None, "title": None, "title_en": None, "url": row.get("url")}


def _where(row: pd.Series) -> str:
    """Where in its source a figure was read: page, else section and footnote."""
    parts = []
    page = row.get("page")
    if page is not None and not pd.isna(page):
        parts.append(f"p. {int(page)}")
    section = row.get("section")
    if isinstance(section, str) and section.strip() and not parts:
        parts.append(f"section “{section.strip()}”")
    footnote = row.get("footnote")
    if footnote is not None and not pd.isna(footnote) and str(footnote).strip():
        parts.append(f"footnote {int(float(footnote))}")
    return ", ".join(parts)


def _numbers(values: pd.Series) -> list[int]:
    out = set()
    for v in values.dropna():
        try:
            out.add(int(float(v)))
        except (TypeError, ValueError):
            continue
    return sorted(out)


def _where_summary(rows: pd.DataFrame) -> str:
    """Pages, else sections, then footnotes of a report's rows, each listed once:
    ``section “đ) Thu, chi ngân sách”; footnotes 12, 13``."""
    parts = []
    pages = _numbers(rows["page"]) if "page" in rows else []
    if pages:
        parts.append(("p. " if len(pages) == 1 else "pp. ") + ", ".join(map(str, pages)))
    elif "section" in rows:
        sections = [x.strip() for x in dict.fromkeys(rows["section"].dropna()) if str(x).strip()]
        parts.extend(f"section “{x}”" for x in sections)
    notes = _numbers(rows["footnote"]) if "footnote" in rows else []
    if notes:
        parts.append(
            ("footnote " if len(notes) == 1 else "footnotes ") + ", ".join(map(str, notes))
        )
    return "; ".join(parts)


def _is_report(row: pd.Series) -> bool:
    return row.get("source_kind") in ("report", "table", None) or pd.isna(row.get("source_kind"))


def source_line(rows: pd.DataFrame, max_chars: int = 110) -> str:
    """The 'Source:' line drawn under a chart, naming each report and where in it.

    Report figures name the publisher, the report title and id, and the page (or section and
    footnote); published reference figures name the publisher and URL. More than three
    reference URLs are summarised and listed in the table beside the chart instead.
    """
    if rows.empty:
        raise ValueError("a chart needs at least one observation to cite")
    pieces: list[str] = []
    report_rows = rows[rows.apply(_is_report, axis=1)]
    for report_id, group in report_rows.groupby("report_id", sort=False, dropna=False):
        meta = _source_of(group.iloc[0])
        title = meta.get("title") or str(report_id)
        text = f"{meta.get('publisher') or 'Report'}, “{title}” ({report_id})"
        where = _where_summary(group)
        if where:
            text += "; " + where
        pieces.append(text)
    reference = rows[~rows.apply(_is_report, axis=1)]
    urls = [
        u for u in dict.fromkeys(reference.get("url", pd.Series(dtype=str))) if isinstance(u, str)
    ]
    if 0 < len(urls) <= 3:
        pieces.extend(urls)
    elif urls:
        pieces.append(f"{len(urls)} published sources (URLs in the table beside this chart)")
    derived = rows.get("derived", pd.Series(False, index=rows.index)).fillna(False).astype(bool)
    line = "Source: " + " | ".join(pieces)
    if derived.any():
        line += ". Derived figures computed by baocao from the printed ones."
    return "\n".join(textwrap.wrap(line, max_chars, subsequent_indent="  "))


# --------------------------------------------------------------------------- figures
def new_figure(
    nrows: int = 1, ncols: int = 1, height: float = 3.6, **kwargs
) -> tuple[Figure, object]:
    """A figure of the book's width (closed for pyplot, so only ``glue`` displays it)."""
    apply_style()
    fig, axes = plt.subplots(nrows, ncols, figsize=(_WIDTH_IN, height), **kwargs)
    plt.close(fig)  # keep notebooks from auto-displaying it: the page places it by name
    return fig, axes


def finish(
    fig: Figure,
    *,
    title: str,
    unit: str,
    rows: pd.DataFrame,
    note: str | None = None,
    layout: bool = True,
    extra_bottom: float = 0.0,
) -> Figure:
    """Draw the title, the units line and the source line, and (unless ``layout`` is false,
    for figures that place their axes themselves) fit the axes between them."""
    source = source_line(rows)
    if note:
        source = "\n".join(textwrap.wrap("Note: " + note, 110)) + "\n" + source
    n_lines = source.count("\n") + 1
    height = fig.get_figheight()
    top_in, bottom_in = 0.62, 0.18 + 0.17 * n_lines
    fig.text(0.012, 1 - 0.14 / height, title, ha="left", va="top", fontsize=12, weight="bold")
    fig.text(0.012, 1 - 0.40 / height, unit, ha="left", va="top", fontsize=9.5, color=GREY)
    fig.text(
        0.012,
        0.06 / height,
        source,
        ha="left",
        va="bottom",
        fontsize=8.5,
        color=GREY,
        linespacing=1.35,
    )
    if layout:
        fig.subplots_adjust(
            top=1 - top_in / height,
            bottom=(bottom_in + 0.45 + extra_bottom) / height,
            left=0.1,
            right=0.97,
        )
    fig.set_label(title)
    fig.baocao_source = " ".join(source.split())  # the source line, unwrapped, for captions
    return fig


def figure_source(fig: Figure) -> str:
    """The source line drawn on a figure by :func:`finish`, on one line (for its caption)."""
    try:
        return fig.baocao_source
    except AttributeError:
        raise ValueError("figure was not finished by baocao.publish.charts.finish") from None


def _thousands(axis) -> None:
    """Tick labels with thousands separators (4,000 rather than 4000)."""
    axis.set_major_formatter(
        FuncFormatter(lambda x, _pos: fmt_number(x, 0 if abs(x) >= 10 else None))
    )


def _year_axis(ax: Axes, dates: Sequence[pd.Timestamp]) -> None:
    """Years labelled in the middle of their span, so an annual figure sits above its year."""
    span = max(dates).year - min(dates).year + 1
    step = 1 if span <= 12 else 2 if span <= 24 else 5
    ax.xaxis.set_major_locator(mdates.YearLocator(step))
    ax.xaxis.set_major_formatter(NullFormatter())
    ax.xaxis.set_minor_locator(mdates.YearLocator(step, month=7, day=2))
    ax.xaxis.set_minor_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="x", which="minor", length=0)


def _labels(rows: pd.DataFrame, label: str | Sequence[str]) -> list[str]:
    if isinstance(label, str):
        return [str(v) for v in rows[label]]
    return list(label)


def _has_bounds(rows: pd.DataFrame) -> bool:
    return {"value_low", "value_high"} <= set(rows.columns) and rows["value_low"].notna().any()


def bar_with_source(
    rows: pd.DataFrame,
    *,
    label: str | Sequence[str],
    title: str,
    unit: str,
    colors: Sequence[str] | None = None,
    note: str | None = None,
    horizontal: bool = False,
    reference: float | None = None,
    reference_label: str | None = None,
    height: float = 3.6,
) -> Figure:
    """Bars of the ``value`` of ``rows``, labelled with their values, with rounding bounds
    (``value_low``/``value_high``) as whiskers when the rows have them, and a source line.

    ``reference`` draws a dashed line (e.g. 100 for the annual plan reached in full).
    """
    fig, ax = new_figure(height=height)
    names = _labels(rows, label)
    values = rows["value"].astype(float).to_numpy()
    colors = list(colors) if colors else [PALETTE["blue"]] * len(rows)
    positions = range(len(rows))
    bar = ax.barh if horizontal else ax.bar
    bars = bar(
        positions, values, color=colors, **({"height": 0.6} if horizontal else {"width": 0.6})
    )
    if _has_bounds(rows):
        low = rows["value_low"].astype(float).fillna(rows["value"]).to_numpy()
        high = rows["value_high"].astype(float).fillna(rows["value"]).to_numpy()
        err = [values - low, high - values]
        if horizontal:
            ax.errorbar(values, positions, xerr=err, fmt="none", ecolor=PALETTE["black"], capsize=4)
        else:
            ax.errorbar(positions, values, yerr=err, fmt="none", ecolor=PALETTE["black"], capsize=4)
    row_units = list(rows["unit"])
    texts = [
        fmt_value(v, u).replace(f" {UNIT_LABELS.get(u, u)}", "")
        for v, u in zip(values, row_units, strict=True)
    ]
    ax.bar_label(bars, texts, padding=3, fontsize=9)
    if horizontal:
        ax.set_yticks(list(positions), names)
        ax.invert_yaxis()
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.margins(x=0.15)
        _thousands(ax.xaxis)
    else:
        ax.set_xticks(list(positions), names)
        ax.margins(y=0.15)
        _thousands(ax.yaxis)
    if reference is not None:
        line = ax.axvline if horizontal else ax.axhline
        line(reference, color=PALETTE["vermillion"], linestyle="--", linewidth=1.2)
        if reference_label:
            if horizontal:
                ax.annotate(
                    reference_label,
                    (reference, 1.0),
                    xycoords=("data", "axes fraction"),
                    ha="left",
                    va="bottom",
                    fontsize=8.5,
                    color=PALETTE["vermillion"],
                    xytext=(3, 0),
                    textcoords="offset points",
                )
            else:
                ax.annotate(
                    reference_label,
                    (1.0, reference),
                    xycoords=("axes fraction", "data"),
                    ha="right",
                    va="bottom",
                    fontsize=8.5,
                    color=PALETTE["vermillion"],
                )
    if any(v < 0 for v in values):
        (ax.axvline if horizontal else ax.axhline)(0, color=GREY, linewidth=0.8)
    return finish(fig, title=title, unit=unit, rows=rows, note=note)


def stacked_bars(
    parts: dict[str, pd.DataFrame],
    *,
    categories: Sequence[str],
    title: str,
    unit: str,
    totals: pd.DataFrame | None = None,
    note: str | None = None,
    share_of: str | None = None,
    height: float = 3.8,
) -> Figure:
    """Horizontal stacked bars: each entry of ``parts`` is one component (one row per
    category, in ``categories`` order). ``totals`` (same order) are marked as a diamond so a
    reader sees whether the printed parts add up to the printed total. ``share_of`` names the
    component whose share of the bar is printed beside it.
    """
    fig, ax = new_figure(height=height)
    left = [0.0] * len(categories)
    longest = max(
        sum(r["value"].astype(float).iloc[i] for r in parts.values())
        for i in range(len(categories))
    )
    for (name, rows), color in zip(parts.items(), CYCLE, strict=False):
        widths = rows["value"].astype(float).tolist()
        bars = ax.barh(
            range(len(categories)), widths, left=left, color=color, label=name, height=0.55
        )
        ax.bar_label(
            bars,
            # a segment too narrow for its number leaves it to the table under the chart
            [fmt_number(w) if w >= 0.09 * longest else "" for w in widths],
            label_type="center",
            fontsize=9,
            color="white" if color in (PALETTE["blue"], PALETTE["vermillion"]) else "black",
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    all_rows = [r for r in parts.values()]
    if totals is not None:
        ax.scatter(
            totals["value"].astype(float),
            range(len(categories)),
            marker="D",
            s=36,
            color=PALETTE["black"],
            zorder=3,
            label="printed total",
        )
        all_rows.append(totals.dropna(subset=["value"]))
    if share_of is not None:
        share_values = parts[share_of]["value"].astype(float).tolist()
        for i, (part, whole) in enumerate(zip(share_values, left, strict=True)):
            ax.annotate(
                f"{share_of}: {100 * part / whole:.0f}%",
                (whole, i),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=8.5,
                color=GREY,
            )
    ax.set_yticks(range(len(categories)), list(categories))
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.margins(x=0.22)
    _thousands(ax.xaxis)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(parts) + 1, fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=pd.concat(all_rows), note=note)


def timeline_with_source(
    series: dict[str, pd.DataFrame],
    *,
    title: str,
    unit: str,
    note: str | None = None,
    connect: bool = True,
    fits: dict[str, pd.DataFrame] | None = None,
    height: float = 3.8,
    ax: Axes | None = None,
) -> Figure:
    """Observations placed at the end date of their period, one marker style per series.

    Several figures for the same period (an estimate and a later outturn, two sources) are
    all drawn, so disagreements stay visible. Rounding bounds become error bars. ``fits``
    maps a label to a frame with ``date``, ``fit``, ``lower``, ``upper`` drawn as a line and a
    band (a fitted trend and its confidence interval).
    """
    fig, ax = new_figure(height=height)
    markers = ["o", "s", "D", "^", "v", "P"]
    every = []
    for (name, rows), color, marker in zip(series.items(), CYCLE, markers, strict=False):
        rows = rows.assign(_date=rows["period"].map(period_mid)).sort_values("_date")
        values = rows["value"].astype(float)
        if _has_bounds(rows):
            low = rows["value_low"].astype(float).fillna(values)
            high = rows["value_high"].astype(float).fillna(values)
            ax.errorbar(
                rows["_date"],
                values,
                yerr=[values - low, high - values],
                fmt="none",
                ecolor=color,
                capsize=3,
                linewidth=1,
            )
        ax.plot(
            rows["_date"],
            values,
            marker=marker,
            linestyle="-" if connect else "none",
            color=color,
            label=name,
            markersize=6,
            linewidth=1.2,
        )
        every.append(rows.drop(columns="_date"))
    for (name, fit), color in zip((fits or {}).items(), CYCLE[3:], strict=False):
        ax.plot(fit["date"], fit["fit"], color=color, linewidth=1.2, linestyle="--", label=name)
        ax.fill_between(
            fit["date"], fit["lower"], fit["upper"], color=color, alpha=0.15, linewidth=0
        )
    # below the plot: a legend inside would hide points wherever they fall
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.13), ncols=3, fontsize=8.5)
    ax.margins(x=0.04, y=0.12)
    _year_axis(ax, [d for rows in every for d in rows["period"].map(period_mid)])
    _thousands(ax.yaxis)
    return finish(fig, title=title, unit=unit, rows=pd.concat(every), note=note, extra_bottom=0.35)


def small_multiples(
    panels: Sequence[tuple[str, pd.DataFrame, str]],
    *,
    title: str,
    unit: str,
    ncols: int = 1,
    note: str | None = None,
) -> Figure:
    """Small horizontal bar panels, one per indicator or theme: ``(panel title, rows, label
    column)``, laid out ``ncols`` to a row. Each panel has its own scale (compare directions
    and sizes within a panel, not across panels); negative values are vermillion."""
    apply_style()
    bar_in, title_in, gap_in = 0.27, 0.42, 0.3
    grid = [panels[i : i + ncols] for i in range(0, len(panels), ncols)]
    row_heights = [max(len(rows) for _, rows, _ in row) * bar_in + title_in for row in grid]
    head_in, foot_in = (
        0.95,
        0.55
        + 0.16
        * (source_line(pd.concat([p[1] for p in panels])).count("\n") + 1 + (2 if note else 0)),
    )
    height = head_in + sum(row_heights) + gap_in * (len(grid) - 1) + foot_in
    fig = plt.figure(figsize=(_WIDTH_IN, height))
    plt.close(fig)
    cell_w = (_WIDTH_IN - 0.2) / ncols
    used = []
    top = height - head_in
    for row, row_h in zip(grid, row_heights, strict=True):
        for col, (name, rows, label) in enumerate(row):
            labels = _labels(rows, label)
            label_w = min(0.45 * cell_w, 0.07 * max(len(t) for t in labels) + 0.15)
            axis_h = len(rows) * bar_in
            left = 0.1 + col * cell_w + label_w
            ax = fig.add_axes(
                (
                    left / _WIDTH_IN,
                    (top - title_in - axis_h) / height,
                    (cell_w - label_w - 0.55) / _WIDTH_IN,
                    axis_h / height,
                )
            )
            values = rows["value"].astype(float).tolist()
            colors = [PALETTE["blue"] if v >= 0 else PALETTE["vermillion"] for v in values]
            bars = ax.barh(range(len(rows)), values, color=colors, height=0.62)
            ax.bar_label(bars, [fmt_number(v) for v in values], padding=3, fontsize=8.5)
            ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
            ax.set_ylim(len(rows) - 0.5, -0.5)
            ax.axvline(0, color=GREY, linewidth=0.8)
            ax.set_title(name, loc="left", fontsize=9.5, weight="bold", pad=6)
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", visible=True)
            ax.tick_params(axis="x", labelsize=7.5)
            lo, hi = min(0.0, *values), max(0.0, *values)
            span = (hi - lo) or 1.0
            ax.set_xlim(lo - 0.25 * span * (lo < 0), hi + 0.3 * span)
            _thousands(ax.xaxis)
            used.append(rows)
        top -= row_h + gap_in
    return finish(fig, title=title, unit=unit, rows=pd.concat(used), note=note, layout=False)


# --------------------------------------------------------------------------- tables
PROVENANCE_COLUMNS = (
    "figure",
    "period",
    "value",
    "unit",
    "as_printed",
    "status",
    "quote",
    "source",
    "where",
    "url",
    "obs_id",
)


def describe(row: pd.Series) -> str:
    """A short English name for an observation: indicator, measure and base."""
    name = str(row["indicator"])
    measure = row.get("measure", "level")
    if measure and measure != "level":
        name += f", {MEASURE_LABELS.get(measure, measure)}"
        base = row.get("base")
        if isinstance(base, str) and base:
            name += f" ({base})"
    if bool(row.get("derived")) and not pd.isna(row.get("derived")):
        name += " [derived]"
    return name


def provenance_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The figures a chart plots, one per row, with where each was read.

    Columns: ``figure`` (indicator and measure), ``period``, ``value``, ``unit``,
    ``as_printed`` (number and unit as printed), ``status`` (estimate/actual), ``quote`` (the
    source sentence, or the derivation method for derived figures), ``source`` (publisher and
    title), ``where`` (page, or section and footnote), ``url`` and ``obs_id``.
    """
    records = []
    for _, row in rows.iterrows():
        meta = _source_of(row)
        derived = bool(row.get("derived")) and not pd.isna(row.get("derived"))
        quote = row.get("quote")
        if derived:
            quote = f"computed: {row.get('method')} from {row.get('inputs')}"
        title = meta.get("title") or row.get("report_id")
        records.append(
            {
                "figure": describe(row),
                "period": row["period"],
                "value": float(row["value"]),
                "unit": row["unit"],
                "as_printed": row.get("value_as_printed") if not derived else None,
                "status": row.get("status"),
                "quote": quote,
                "source": f"{meta.get('publisher') or ''}, {title}".strip(", "),
                "where": _where(row),
                "url": row.get("url") if isinstance(row.get("url"), str) else meta.get("url"),
                "obs_id": row.get("obs_id"),
            }
        )
    return pd.DataFrame.from_records(records, columns=list(PROVENANCE_COLUMNS))


def show_provenance(table: pd.DataFrame):
    """The provenance table as a page shows it: one compact row per plotted figure with the
    number as printed (and whether the report called it an estimate), its quote, and where it
    was printed (section, footnote or page; the URL for reference figures) with its
    ``obs_id``. The full tidy frame is what :func:`provenance_table` returns."""

    def printed(row: pd.Series) -> str:
        text = escape(str(row["as_printed"])) if isinstance(row["as_printed"], str) else "–"
        return f"{text}<br><em>{escape(str(row['status'] or ''))}</em>"

    def where(row: pd.Series) -> str:
        if isinstance(row["url"], str) and row["url"]:
            place = f'<a href="{escape(row["url"])}">{escape(row["url"])}</a>'
        else:
            place = escape(row["where"] or "")
        return f"{place}<br><code>{escape(str(row['obs_id'] or ''))}</code>"

    shown = pd.DataFrame(
        {
            # let long dotted ids break after a dot rather than widen the column
            "figure": table["figure"].map(lambda f: escape(str(f)).replace(".", ".<wbr>")),
            "period": [period_label(p) for p in table["period"]],
            "value": [fmt_value(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
            "as printed": table.apply(printed, axis=1) if len(table) else [],
            "quote": table["quote"].fillna("").map(lambda q: escape(str(q))),
            "where · obs_id": table.apply(where, axis=1) if len(table) else [],
        }
    )
    return (
        shown.style.hide(axis="index")
        .set_table_attributes('class="provenance-table"')
        .set_table_styles(
            [
                {"selector": "", "props": "font-size: 0.8em; border-collapse: collapse;"},
                {
                    "selector": "th, td",
                    "props": "text-align: left; vertical-align: top; padding: 0.3em 0.45em; "
                    "white-space: normal;",
                },
                {"selector": "td:nth-child(5)", "props": "min-width: 20em;"},
                {
                    "selector": "td:nth-child(6)",
                    "props": "max-width: 14em; overflow-wrap: anywhere;",
                },
            ]
        )
    )


# --------------------------------------------------------------------------- selection
def select(
    obs: pd.DataFrame,
    indicator: str | Iterable[str],
    measure: str | None = "level",
    *,
    period: str | Iterable[str] | None = None,
    period_type: str | None = None,
    kind: str | None = None,
    derived: bool | None = False,
) -> pd.DataFrame:
    """Rows of the observations frame, filtered. ``kind`` is ``"report"`` for figures read
    from the shipped reports or ``"reference"`` for the published reference figures;
    ``derived=None`` keeps both printed and derived rows."""
    indicators = [indicator] if isinstance(indicator, str) else list(indicator)
    mask = obs["indicator"].isin(indicators)
    if measure is not None:
        mask &= obs["measure"] == measure
    if period is not None:
        mask &= obs["period"].isin([period] if isinstance(period, str) else list(period))
    if period_type is not None:
        mask &= obs["period_type"] == period_type
    if derived is not None and "derived" in obs:
        mask &= obs["derived"].fillna(False).astype(bool) == derived
    if kind is not None and "source_kind" in obs:
        is_report = obs["source_kind"].isin(["report", "table"])
        mask &= is_report if kind == "report" else ~is_report
    found = obs[mask]
    if len(indicators) > 1:
        order = {name: i for i, name in enumerate(indicators)}
        found = found.sort_values("indicator", key=lambda s: s.map(order), kind="stable")
    return found


def one(obs: pd.DataFrame, indicator: str, measure: str = "level", **filters) -> pd.Series:
    """Exactly one observation (the first printed one if a report repeats it); raises
    ``LookupError`` naming the query when there is none, so a notebook fails loudly."""
    found = select(obs, indicator, measure, **filters)
    if found.empty:
        raise LookupError(f"no observation for {indicator} {measure} {filters}")
    return found.iloc[0]


def grouped_bars(
    groups: dict[str, pd.DataFrame],
    *,
    categories: Sequence[str],
    title: str,
    unit: str,
    note: str | None = None,
    height: float = 3.8,
) -> Figure:
    """Bars side by side: one colour per group (e.g. previous year, this year, plan), one
    cluster per category; each group's rows are in ``categories`` order, and a missing
    figure is a row with ``value`` NaN (left as a gap, never drawn as zero)."""
    fig, ax = new_figure(height=height)
    n = len(groups)
    width = 0.8 / n
    used = []
    for i, ((name, rows), color) in enumerate(zip(groups.items(), CYCLE, strict=False)):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(categories))]
        values = rows["value"].astype(float).tolist()
        bars = ax.bar(xs, values, width=width * 0.92, color=color, label=name)
        if _has_bounds(rows):
            vals = rows["value"].astype(float)
            low = rows["value_low"].astype(float).fillna(vals)
            high = rows["value_high"].astype(float).fillna(vals)
            ax.errorbar(
                xs,
                vals,
                yerr=[vals - low, high - vals],
                fmt="none",
                ecolor=PALETTE["black"],
                capsize=3,
                linewidth=1,
            )
        ax.bar_label(
            bars, ["" if math.isnan(v) else fmt_number(v, 0) for v in values], padding=2, fontsize=8
        )
        used.append(rows.dropna(subset=["value"]))
    ax.set_xticks(range(len(categories)), list(categories))
    ax.margins(y=0.15)
    _thousands(ax.yaxis)
    ax.legend(loc="upper left", fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=pd.concat(used), note=note)


def latest_report(obs: pd.DataFrame) -> str:
    """The id of the newest report in ``obs`` (by the period its metadata gives)."""
    ids = obs.loc[obs["source_kind"].isin(["report", "table"]), "report_id"].dropna().unique()
    if not len(ids):
        raise LookupError("the dataset holds no report figures: run `baocao build` first")
    periods = {rid: report_period(rid) or "" for rid in ids}
    return max(ids, key=lambda rid: (periods[rid], rid))


def report_period(report_id: str) -> str | None:
    """The month a report covers (``YYYY-MM``), from its ``data/raw`` metadata."""
    for meta_path in (repo_root() / "data" / "raw").glob("*.meta.json"):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("report_id") == report_id:
            return meta.get("period")
    return None


def report_periods(report_id: str) -> tuple[str, str]:
    """``(month, year_to_date)`` periods of a monthly report: ``('2017-08',
    '2017-01/2017-08')``."""
    month = report_period(report_id)
    if not month or len(month) != 7:
        raise LookupError(f"{report_id}: no monthly period in its metadata")
    return month, f"{month[:4]}-01/{month}"


def report_title(report_id: str) -> str:
    """The printed title of a report, with its publisher, for prose and captions."""
    meta = _source_of(pd.Series({"report_id": report_id}))
    return f"{meta.get('publisher') or report_id}, “{meta.get('title') or report_id}”"

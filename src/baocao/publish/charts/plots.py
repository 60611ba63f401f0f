"""The book's chart types. Each takes rows of observations and returns a finished
:class:`~baocao.publish.charts.style.Chart` (figure, title, source line, plotted rows).

Rounding bounds (``value_low``/``value_high``) are drawn as whiskers wherever a chart has
them; a missing figure is a gap, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes

from .formats import fmt_number, period_mid
from .style import (
    CYCLE,
    GREY,
    PALETTE,
    WIDTH_IN,
    Chart,
    blank_figure,
    finish,
    horizontal_grid,
    new_figure,
    source_height,
    thousands,
    year_axis,
)


def has_bounds(rows: pd.DataFrame) -> bool:
    """Whether rows carry rounding bounds to draw as whiskers."""
    return {"value_low", "value_high"} <= set(rows.columns) and rows["value_low"].notna().any()


def _whiskers(rows: pd.DataFrame) -> list:
    values = rows["value"].astype(float)
    low = rows["value_low"].astype(float).fillna(values)
    high = rows["value_high"].astype(float).fillna(values)
    # a bound on the wrong side of its value (an inconsistent row) draws no whisker
    return [(values - low).clip(lower=0).to_numpy(), (high - values).clip(lower=0).to_numpy()]


def _labels(rows: pd.DataFrame, label: str | Sequence[str]) -> list[str]:
    if isinstance(label, str):
        return [str(v) for v in rows[label]]
    return list(label)


def sign_colors(values: Sequence[float]) -> list[str]:
    """Blue for a rise (or zero), vermillion for a fall."""
    return [PALETTE["blue"] if v >= 0 else PALETTE["vermillion"] for v in values]


def _reference_line(ax: Axes, value: float, label: str | None, horizontal: bool) -> None:
    """A dashed line at ``value`` (e.g. the share of the year elapsed), labelled."""
    (ax.axvline if horizontal else ax.axhline)(
        value, color=PALETTE["vermillion"], linestyle="--", linewidth=1.2
    )
    if not label:
        return
    if horizontal:
        ax.annotate(label, (value, 1.0), xycoords=("data", "axes fraction"), ha="left",
                    va="bottom", fontsize=8.5, color=PALETTE["vermillion"], xytext=(3, 0),
                    textcoords="offset points")
    else:
        ax.annotate(label, (1.0, value), xycoords=("axes fraction", "data"), ha="right",
                    va="bottom", fontsize=8.5, color=PALETTE["vermillion"])


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
) -> Chart:
    """Bars of the ``value`` of ``rows``, labelled with their values, with rounding bounds as
    whiskers; ``reference`` draws a dashed line (e.g. the share of the year elapsed)."""
    fig, ax = new_figure(height=height)
    names = _labels(rows, label)
    values = rows["value"].astype(float).to_numpy()
    positions = range(len(rows))
    size = {"height": 0.6} if horizontal else {"width": 0.6}
    draw = ax.barh if horizontal else ax.bar
    bars = draw(positions, values, color=list(colors or [PALETTE["blue"]] * len(rows)), **size)
    if has_bounds(rows):
        err = {"xerr" if horizontal else "yerr": _whiskers(rows)}
        xy = (values, positions) if horizontal else (positions, values)
        ax.errorbar(*xy, fmt="none", ecolor=PALETTE["black"], capsize=4, **err)
    suffix = ["%" if u == "%" else "" for u in rows["unit"]]
    ax.bar_label(bars, [fmt_number(v) + s for v, s in zip(values, suffix, strict=True)],
                 padding=3, fontsize=9)
    if horizontal:
        ax.set_yticks(list(positions), names)
        ax.invert_yaxis()
        horizontal_grid(ax)
        ax.margins(x=0.15)
        thousands(ax.xaxis)
    else:
        ax.set_xticks(list(positions), names)
        ax.margins(y=0.15)
        thousands(ax.yaxis)
    if reference is not None:
        _reference_line(ax, reference, reference_label, horizontal)
    if any(v < 0 for v in values):
        (ax.axvline if horizontal else ax.axhline)(0, color=GREY, linewidth=0.8)
    return finish(fig, title=title, unit=unit, rows=rows, note=note, left=0.16)


def _stack(ax: Axes, parts: dict[str, pd.DataFrame], n: int) -> list[float]:
    """Draw the stacked segments; return the bar ends."""
    left = [0.0] * n
    longest = max(sum(r["value"].astype(float).iloc[i] for r in parts.values()) for i in range(n))
    for (name, rows), color in zip(parts.items(), CYCLE, strict=False):
        widths = rows["value"].astype(float).tolist()
        bars = ax.barh(range(n), widths, left=left, color=color, label=name, height=0.55)
        ax.bar_label(
            bars,
            # a segment too narrow for its number leaves it to the table under the chart
            [fmt_number(w) if w >= 0.09 * longest else "" for w in widths],
            label_type="center",
            fontsize=9,
            color="white" if color in (PALETTE["blue"], PALETTE["vermillion"]) else "black",
        )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    return left


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
) -> Chart:
    """Horizontal stacked bars: each entry of ``parts`` is one component (one row per
    category, in ``categories`` order). ``totals`` (same order) are marked as a diamond, so a
    reader sees whether the printed parts add up to the printed total; ``share_of`` names
    the component whose share of the bar is printed beside it."""
    fig, ax = new_figure(height=height)
    ends = _stack(ax, parts, len(categories))
    plotted = list(parts.values())
    if totals is not None:
        ax.scatter(totals["value"].astype(float), range(len(categories)), marker="D", s=36,
                   color=PALETTE["black"], zorder=3, label="printed total")
        plotted.append(totals.dropna(subset=["value"]))
    if share_of is not None:
        shares = parts[share_of]["value"].astype(float).tolist()
        for i, (part, whole) in enumerate(zip(shares, ends, strict=True)):
            ax.annotate(f"{share_of}: {100 * part / whole:.0f}%", (whole, i), xytext=(8, 0),
                        textcoords="offset points", va="center", fontsize=8.5, color=GREY)
    ax.set_yticks(range(len(categories)), list(categories))
    ax.invert_yaxis()
    horizontal_grid(ax)
    ax.margins(x=0.22)
    thousands(ax.xaxis)
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(parts) + 1, fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=pd.concat(plotted), note=note, left=0.16)


def _series_points(ax: Axes, name: str, rows: pd.DataFrame, color: str, marker: str,
                   connect: bool) -> pd.DataFrame:
    """One series of a timeline: markers (and whiskers) at the middle of each period."""
    rows = rows.assign(_date=rows["period"].map(period_mid)).sort_values("_date")
    values = rows["value"].astype(float)
    if has_bounds(rows):
        ax.errorbar(rows["_date"], values, yerr=_whiskers(rows), fmt="none", ecolor=color,
                    capsize=3, linewidth=1)
    ax.plot(rows["_date"], values, marker=marker, linestyle="-" if connect else "none",
            color=color, label=name, markersize=6, linewidth=1.2)
    return rows.drop(columns="_date")


def timeline_with_source(
    series: dict[str, pd.DataFrame],
    *,
    title: str,
    unit: str,
    note: str | None = None,
    connect: bool = True,
    breaks: Sequence[pd.Timestamp] = (),
    height: float = 3.8,
) -> Chart:
    """Observations placed at the middle of their period, one marker style per series.

    Several figures for the same period (an estimate and a later outturn, two sources) are
    all drawn, so disagreements stay visible. ``breaks`` are dates where the series changes
    source or definition: drawn as dotted vertical lines, labelled "break".
    """
    fig, ax = new_figure(height=height)
    markers = ["o", "s", "D", "^", "v", "P"]
    every = [
        _series_points(ax, name, rows, color, marker, connect)
        for (name, rows), color, marker in zip(series.items(), CYCLE, markers, strict=False)
    ]
    for date in breaks:
        ax.axvline(date, color=GREY, linestyle=":", linewidth=1.2)
        ax.annotate("break", (date, 0.02), xycoords=("data", "axes fraction"), ha="left",
                    va="bottom", fontsize=8.5, color=GREY, xytext=(3, 0),
                    textcoords="offset points")
    # below the plot: a legend inside would hide points wherever they fall
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.13), ncols=3, fontsize=8.5)
    ax.margins(x=0.04, y=0.12)
    year_axis(ax, [d for rows in every for d in rows["period"].map(period_mid)])
    thousands(ax.yaxis)
    return finish(fig, title=title, unit=unit, rows=pd.concat(every), note=note,
                  extra_bottom=0.35)


def _panel(fig, box: tuple[float, float, float, float], name: str, rows: pd.DataFrame,
           labels: list[str]) -> None:
    """One small horizontal-bar panel of :func:`small_multiples`."""
    ax = fig.add_axes(box)
    values = rows["value"].astype(float).tolist()
    bars = ax.barh(range(len(rows)), values, color=sign_colors(values), height=0.62)
    ax.bar_label(bars, [fmt_number(v) for v in values], padding=3, fontsize=8.5)
    ax.set_yticks(range(len(rows)), labels, fontsize=8.5)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_title(name, loc="left", fontsize=9.5, weight="bold", pad=6)
    horizontal_grid(ax)
    ax.tick_params(axis="x", labelsize=7.5)
    lo, hi = min(0.0, *values), max(0.0, *values)
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - 0.25 * span * (lo < 0), hi + 0.3 * span)
    thousands(ax.xaxis)


def small_multiples(
    panels: Sequence[tuple[str, pd.DataFrame, str]],
    *,
    title: str,
    unit: str,
    ncols: int = 1,
    note: str | None = None,
) -> Chart:
    """Small horizontal bar panels, one per indicator or theme: ``(panel title, rows, label
    column)``, ``ncols`` to a row. Each panel has its own scale (compare directions and sizes
    within a panel, not across panels); negative values are vermillion."""
    bar_in, title_in, gap_in, head_in = 0.27, 0.42, 0.3, 0.7
    every = pd.concat([p[1] for p in panels])
    grid = [panels[i : i + ncols] for i in range(0, len(panels), ncols)]
    row_heights = [max(len(rows) for _, rows, _ in row) * bar_in + title_in for row in grid]
    foot_in = 0.4 + source_height(every, note)
    height = head_in + sum(row_heights) + gap_in * (len(grid) - 1) + foot_in
    fig = blank_figure(height)
    cell_w = (WIDTH_IN - 0.2) / ncols
    top = height - head_in
    for row, row_h in zip(grid, row_heights, strict=True):
        for col, (name, rows, label) in enumerate(row):
            labels = _labels(rows, label)
            label_w = min(0.45 * cell_w, 0.07 * max(len(t) for t in labels) + 0.15)
            axis_h = len(rows) * bar_in
            left = 0.1 + col * cell_w + label_w
            box = (left / WIDTH_IN, (top - title_in - axis_h) / height,
                   (cell_w - label_w - 0.55) / WIDTH_IN, axis_h / height)
            _panel(fig, box, name, rows, labels)
        top -= row_h + gap_in
    return finish(fig, title=title, unit=unit, rows=every, note=note, layout=False)


def grouped_bars(
    groups: dict[str, pd.DataFrame],
    *,
    categories: Sequence[str],
    title: str,
    unit: str,
    note: str | None = None,
    height: float = 3.8,
) -> Chart:
    """Bars side by side: one colour per group (e.g. previous year, this year, plan), one
    cluster per category; each group's rows are in ``categories`` order, and a missing
    figure is a row with ``value`` NaN (left as a gap, never drawn as zero)."""
    fig, ax = new_figure(height=height)
    width = 0.8 / len(groups)
    used = []
    for i, ((name, rows), color) in enumerate(zip(groups.items(), CYCLE, strict=False)):
        xs = [j + (i - (len(groups) - 1) / 2) * width for j in range(len(categories))]
        values = rows["value"].astype(float).tolist()
        bars = ax.bar(xs, values, width=width * 0.92, color=color, label=name)
        if has_bounds(rows):
            ax.errorbar(xs, values, yerr=_whiskers(rows), fmt="none", ecolor=PALETTE["black"],
                        capsize=3, linewidth=1)
        ax.bar_label(bars, ["" if math.isnan(v) else fmt_number(v, 0) for v in values],
                     padding=2, fontsize=8)
        used.append(rows.dropna(subset=["value"]))
    ax.set_xticks(range(len(categories)), list(categories))
    ax.margins(y=0.15)
    thousands(ax.yaxis)
    ax.legend(loc="upper left", fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=pd.concat(used), note=note)


STATUS_COLORS = {"pass": PALETTE["blue"], "warn": PALETTE["orange"], "fail": PALETTE["vermillion"]}


def status_bars(
    counts: pd.DataFrame,
    *,
    title: str,
    unit: str,
    rows: pd.DataFrame,
    data: pd.DataFrame,
    note: str | None = None,
) -> Chart:
    """Stacked horizontal bars counting pass / warn / fail per kind of check.

    ``counts`` has one row per kind (its index, as the reader's label) and the columns
    ``pass``, ``warn``, ``fail``; ``rows`` are the observations checked (cited), ``data``
    the checks counted (the CSV).
    """
    fig, ax = new_figure(height=1.4 + 0.42 * len(counts) + source_height(rows, note))
    left = [0.0] * len(counts)
    biggest = float(counts.sum(axis=1).max())
    for status in ("pass", "warn", "fail"):
        widths = counts[status].astype(float).tolist()
        bars = ax.barh(range(len(counts)), widths, left=left, color=STATUS_COLORS[status],
                       label=status, height=0.6)
        ax.bar_label(bars, [str(int(w)) if w >= 0.04 * biggest else "" for w in widths],
                     label_type="center", fontsize=8.5,
                     color="black" if status == "warn" else "white")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(counts)), list(counts.index))
    ax.invert_yaxis()
    horizontal_grid(ax)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)
    ax.set_xlabel("number of checks")
    ax.margins(x=0.08)
    return finish(fig, title=title, unit=unit, rows=rows, data=data, note=note, left=0.38)


def gap_dots(
    gaps: pd.DataFrame,
    *,
    label: str,
    title: str,
    unit: str,
    rows: pd.DataFrame,
    note: str | None = None,
) -> Chart:
    """One dot per check: the gap between two figures as a multiple of what their printed
    rounding allows (``ratio``), with the band −1…1 where rounding explains the gap."""
    fig, ax = new_figure(height=1.5 + 0.34 * len(gaps) + source_height(rows, note))
    ratios = gaps["ratio"].astype(float).tolist()
    ax.axvspan(-1, 1, color=PALETTE["sky"], alpha=0.25, linewidth=0,
               label="within what rounding allows")
    colors = [PALETTE["blue"] if abs(r) <= 1 else PALETTE["vermillion"] for r in ratios]
    ax.scatter(ratios, range(len(gaps)), color=colors, zorder=3, s=30)
    ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_yticks(range(len(gaps)), [str(v) for v in gaps[label]], fontsize=8.5)
    ax.set_ylim(len(gaps) - 0.5, -0.5)
    horizontal_grid(ax)
    reach = max(1.5, *(abs(r) for r in ratios)) * 1.1
    ax.set_xlim(-reach, reach)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=rows, data=gaps, note=note, left=0.38)


def interval_bars(
    intervals: pd.DataFrame,
    *,
    title: str,
    unit: str,
    rows: pd.DataFrame,
    note: str | None = None,
) -> Chart:
    """The average annual change between consecutive figures of a series, one bar per
    interval (``from_year``→``to_year``, ``annual_pct``); a suspected break between
    sources (``suspect_break``) is drawn hatched in vermillion, the others in blue."""
    fig, ax = new_figure(height=1.5 + 0.36 * len(intervals) + source_height(rows, note))
    labels = [f"{a}→{b}" for a, b in zip(intervals["from_year"], intervals["to_year"],
                                          strict=True)]
    values = intervals["annual_pct"].astype(float).tolist()
    suspect = intervals["suspect_break"].astype(bool).tolist()
    bars = ax.barh(range(len(values)), values, height=0.6,
                   color=[PALETTE["vermillion"] if s else PALETTE["blue"] for s in suspect],
                   hatch=None)
    for bar, flagged in zip(bars, suspect, strict=True):
        if flagged:
            bar.set_hatch("//")
            bar.set_edgecolor("white")
    for i, (value, flagged) in enumerate(zip(values, suspect, strict=True)):
        # to the right of zero even for a fall, so the label never covers the year labels
        ax.annotate(f"{value:+.1f}%" + ("  suspected break" if flagged else ""),
                    (max(value, 0.0), i), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=9,
                    color=PALETTE["vermillion"] if flagged else "black")
    ax.set_yticks(range(len(values)), labels)
    ax.invert_yaxis()
    horizontal_grid(ax)
    ax.axvline(0, color=GREY, linewidth=0.8)
    ax.margins(x=0.35)
    return finish(fig, title=title, unit=unit, rows=rows, data=intervals, note=note, left=0.16)


def coverage_dots(
    rows: pd.DataFrame,
    *,
    indicators: Sequence[str],
    title: str,
    unit: str,
    note: str | None = None,
) -> Chart:
    """Which years each indicator has a figure for: one row per indicator, one dot per
    figure at the middle of its period, one marker per kind of source."""
    fig, ax = new_figure(height=1.9 + 0.32 * len(indicators) + source_height(rows, note))
    position = {name: i for i, name in enumerate(indicators)}
    markers = {"official": "o", "press": "s", "report": "D", "table": "D"}
    shown = rows[rows["indicator"].isin(position)]
    for (kind, group), color in zip(shown.groupby("source_kind"), CYCLE, strict=False):
        ax.scatter(group["period"].map(period_mid), group["indicator"].map(position),
                   marker=markers.get(kind, "o"), s=26, color=color, alpha=0.8,
                   label=f"{kind} ({len(group)})", zorder=3)
    ax.set_yticks(range(len(indicators)), list(indicators), fontsize=8.5)
    ax.set_ylim(len(indicators) - 0.5, -0.5)
    ax.grid(axis="x", visible=True)
    year_axis(ax, list(shown["period"].map(period_mid)))
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1), ncols=4, fontsize=8.5)
    return finish(fig, title=title, unit=unit, rows=shown, note=note, left=0.3,
                  extra_bottom=0.3)

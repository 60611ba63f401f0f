"""Computed parts of the "Data and methods" page: measured accuracy and coverage."""

from __future__ import annotations

import json

import pandas as pd

from ..paths import repo_root
from ..publish.charts.formats import fmt_number, join_words, period_label, plural
from .data import is_derived, is_report, load_observations, report_meta
from .display import HtmlBlock, Prose, show
from .tables import Column, html_table, text

ACCURACY = "benchmarks/results/accuracy.json"


def flatten(data: object, prefix: str = "") -> list[tuple[str, object]]:
    """``{"a": {"b": 1}}`` → ``[("a.b", 1)]``: every scalar of a JSON document by path."""
    if isinstance(data, dict):
        return [item for key, value in data.items()
                for item in flatten(value, f"{prefix}.{key}" if prefix else str(key))]
    if isinstance(data, list):
        return [item for i, value in enumerate(data)
                for item in flatten(value, f"{prefix}[{i}]")]
    return [(prefix, data)]


def accuracy_frame(record: dict) -> pd.DataFrame:
    """One row per scored set: what it is, whether its text ships, labels, precision,
    recall (from ``benchmarks/results/accuracy.json``)."""
    rows = []
    for name, result in record.get("sets", {}).items():
        rows.append({"set": name, "what": result.get("what", name),
                     "shipped": "yes" if result.get("shipped", True) else "no (kept outside)",
                     "labels": result.get("labels"), "precision": result.get("precision"),
                     "recall": result.get("recall")})
    return pd.DataFrame(rows, columns=["set", "what", "shipped", "labels", "precision",
                                       "recall"])


def accuracy_sentence(frame: pd.DataFrame, date: str) -> str:
    """What the measurement says, computed from it."""
    shipped = frame[frame["shipped"] == "yes"]
    worst = frame.loc[frame["recall"].idxmin()] if len(frame) else None
    text = (f"Measured on {date} with the development set's own scorer: a figure counts as "
            "found when the extractor gives the same indicator, period, measure, base, unit "
            "and value; precision counts the figures it dated for a labelled indicator. "
            f"On the {plural(len(shipped), 'set')} shipped with the project, precision is "
            f"{fmt_number(shipped['precision'].min())} or better and recall "
            f"{fmt_number(shipped['recall'].min())} or better.")
    if worst is not None:
        text += (f" The lowest recall is on *{worst['set']}* "
                 f"({fmt_number(worst['recall'])}): {worst['what']}.")
    return text


def accuracy_section() -> None:
    """Show the measured accuracy recorded in ``benchmarks/results/accuracy.json``, or say
    that this build has none (the page builds either way)."""
    path = repo_root() / ACCURACY
    if not path.is_file():
        show("accuracy", Prose(
            f"No accuracy measurement is recorded in this build (`{ACCURACY}` is missing; "
            "`make eval` writes it)."))
        return
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        frame = accuracy_frame(record)
    except (OSError, ValueError, KeyError) as err:
        show("accuracy", Prose(f"`{ACCURACY}` could not be read ({err}); no accuracy is "
                               "shown."))
        return
    number = lambda key: lambda r: fmt_number(r[key])  # noqa: E731
    columns = (Column("set", "12%", text("set")), Column("what", "46%", text("what")),
               Column("text shipped", "12%", text("shipped")),
               Column("labels", "10%", number("labels")),
               Column("precision", "10%", number("precision")),
               Column("recall", "10%", number("recall")))
    show("accuracy", Prose(accuracy_sentence(frame, record.get("date", "?"))))
    show("accuracy_table", HtmlBlock(html_table(frame, columns), f"{len(frame)} sets"))


def coverage_sentence(obs: pd.DataFrame, months: list[str]) -> str:
    """What the dataset covers, in one paragraph computed from it."""
    ref = obs[~is_report(obs) & ~is_derived(obs)]
    years = ref["period"].astype(str).str[:4].astype(int)
    busiest = years.value_counts().head(3)
    return (
        f"**Coverage.** The dataset holds {plural(len(months), 'shipped report')} "
        f"({join_words([period_label(m) for m in months])}) and "
        f"{plural(len(ref), 'reference figure')} read by hand from "
        f"{plural(ref['url'].nunique(), 'published page')}, for years from {years.min()} to "
        f"{years.max()}; the years with the most figures are "
        + join_words([f"{year} ({n})" for year, n in busiest.items()])
        + ". See [Coverage](coverage.md) for the list, access dates and gaps."
    )


def coverage_paragraph() -> None:
    """Show :func:`coverage_sentence` for the built dataset."""
    months = sorted(m.get("period", "") for m in report_meta().values())
    show("coverage", Prose(coverage_sentence(load_observations(), months)))

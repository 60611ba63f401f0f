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


def accuracy_section() -> None:
    """Show the measured accuracy recorded in ``benchmarks/results/accuracy.json``, or say
    that this build has none (the page builds either way)."""
    path = repo_root() / ACCURACY
    if not path.is_file():
        show("accuracy", Prose(
            f"No accuracy measurement is recorded in this build (`{ACCURACY}` is missing). "
            "The figures below were counted by hand during development."))
        return
    try:
        entries = flatten(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as err:
        show("accuracy", Prose(f"`{ACCURACY}` could not be read ({err}); no accuracy is "
                               "shown."))
        return
    frame = pd.DataFrame(entries, columns=["measure", "value"])
    columns = (Column("measure", "60%", text("measure")),
               Column("value", "40%", lambda r: fmt_number(r["value"])
                      if isinstance(r["value"], int | float) and not isinstance(r["value"], bool)
                      else str(r["value"])))
    show("accuracy", Prose(f"Measured accuracy, as recorded in `{ACCURACY}`:"))
    show("accuracy_table", HtmlBlock(html_table(frame, columns), f"{len(frame)} measures"))


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

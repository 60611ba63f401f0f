"""The audit as a reader sees it: checks named in words, counts that say what they count,
and gaps measured against what the printed rounding allows."""

from __future__ import annotations

import html

import pandas as pd

from ..publish.charts.formats import fmt_number, is_missing, period_label, plural
from .tables import Column, breakable, html_table, text

#: The reader's name of each kind of check (``audit.CHECKS`` describes them in full).
CHECK_LABELS: dict[str, str] = {
    "identity": "Parts add up to their total",
    "breakdown": "“Of which” items within their total",
    "month_le_ytd": "A month within its year to date",
    "ytd_grows": "Year to date grows month by month",
    "mom_pct": "Change on the previous month matches",
    "table_vs_prose": "Table agrees with the text",
    "same_key": "One value per figure in a report",
    "cross_source": "Sources agree with each other",
    "derived_vs_printed": "Implied figures match printed ones",
    "flagged": "Figures the extractor was unsure of",
    "unresolved": "Figures left without an indicator",
}

REFERENCE = "reference"  # report_id of the hand-read reference figures


def check_label(check: str) -> str:
    """The reader's name of a check (its id, in words, for a check added later)."""
    return CHECK_LABELS.get(check, check.replace("_", " ").capitalize())


def status_counts(audit: pd.DataFrame) -> pd.DataFrame:
    """How many checks of each kind (``n``) and how many pass / warn / fail, indexed by
    the reader's name of the check."""
    counts = (audit.groupby("check").size().rename("n").to_frame()
              .join(audit.groupby(["check", "status"]).size().unstack(fill_value=0)))
    counts = counts.reindex(columns=["n", "pass", "warn", "fail"], fill_value=0).fillna(0)
    counts.index = [check_label(c) for c in counts.index]
    return counts.astype(int)


def scope(audit: pd.DataFrame) -> str:
    """What the checks ran on: ``1 report and the published reference figures``."""
    reports = sorted(set(audit["report_id"].dropna()) - {REFERENCE})
    parts = [plural(len(reports), "report")] if reports else []
    if (audit["report_id"] == REFERENCE).any():
        parts.append("the published reference figures")
    return " and ".join(parts) or "no report"


def summary(audit: pd.DataFrame) -> str:
    """The audit in one sentence, counting reports without the reference file."""
    counts = audit["status"].value_counts()
    kinds = audit["check"].nunique()
    return (
        f"The dataset holds {plural(len(audit), 'check')} of {plural(kinds, 'kind')} on "
        f"{scope(audit)}: {counts.get('pass', 0)} pass, {counts.get('warn', 0)} warn and "
        f"{counts.get('fail', 0)} fail."
    )


def with_gaps(audit: pd.DataFrame) -> pd.DataFrame:
    """Checks that compare two figures, with the gap, the gap in % of the expected figure,
    and ``ratio``: the gap as a multiple of what the two figures' rounding allows."""
    gaps = audit.dropna(subset=["expected", "found"]).copy()
    gaps["gap"] = gaps["found"] - gaps["expected"]
    gaps["gap_pct"] = 100 * gaps["gap"] / gaps["expected"].abs().where(gaps["expected"] != 0)
    slack = ((gaps["found_high"] - gaps["found_low"]) / 2).fillna(0) + (
        (gaps["expected_high"] - gaps["expected_low"]) / 2).fillna(0)
    gaps["allowance"] = slack
    gaps["ratio"] = gaps["gap"] / slack.where(slack > 0)
    return gaps


def exhaustive_identities(gaps: pd.DataFrame) -> pd.DataFrame:
    """Identity checks of the form ``total = a + b`` (not ``total >= a + b``, which allows
    parts the report does not list), labelled for a chart."""
    found = gaps[gaps["check"].eq("identity") & gaps["detail"].fillna("").str.match(r"^\S+ = ")]
    source = found["report_id"].map(lambda r: "reference pages" if r == REFERENCE else r)
    labels = [f"{ind} · {period_label(p)} · {src}"
              for ind, p, src in zip(found["indicator"], found["period"], source, strict=True)]
    return found.assign(label=labels).reset_index(drop=True)


def worst_gap(gaps: pd.DataFrame) -> str:
    """The check that did not pass with the largest relative gap, described."""
    shown = gaps[(gaps["status"] != "pass") & gaps["gap_pct"].notna()]
    if shown.empty:
        return "none: every check that compares two figures passed"
    worst = shown.loc[shown["gap_pct"].abs().idxmax()]
    return (
        f"in the check “{check_label(worst['check'])}” for {worst['indicator']} "
        f"({period_label(worst['period'])}): expected {fmt_number(worst['expected'])}, "
        f"found {fmt_number(worst['found'])}, a gap of {worst['gap_pct']:+.1f}%"
    )


def _amount(column: str):
    return lambda row: "–" if is_missing(row.get(column)) else fmt_number(row[column])


def _figure(row: pd.Series) -> str:
    period = period_label(row["period"]) if isinstance(row["period"], str) else ""
    source = "reference pages" if row["report_id"] == REFERENCE else str(row["report_id"])
    return (f"{breakable(str(row['indicator']))}<br>{html.escape(period)}"
            f'<br><span style="color:#555">{breakable(source)}</span>')


AUDIT_COLUMNS = (
    Column("check", "17%", lambda r: html.escape(check_label(r["check"]))),
    Column("result", "9%", lambda r: f"<strong>{html.escape(str(r['status']))}</strong>"),
    Column("figure and source", "22%", _figure),
    Column("expected", "11%", _amount("expected")),
    Column("found", "11%", _amount("found")),
    Column("detail", "30%", text("detail")),
)


def audit_table(audit: pd.DataFrame) -> str:
    """Checks as a table that fits the text column."""
    return html_table(audit, AUDIT_COLUMNS, css_class="bc-audit")

"""The report's own context: its year, its period, its dateline.

A figure printed without a period takes the report's; a period printed without a year takes
the report's year. Both must be read from the report as a whole, not from the first year
printed in it: a page opening "… tăng 3,02% so với cùng kỳ năm 2023" is about 2024, a title
"Tình hình … tháng 8 và 8 tháng, nhiệm vụ trọng tâm tháng 9 năm 2017" is about August (the
September is the next month's tasks), and a headline "Năm 2025, tỉnh phấn đấu …" names a
target year, not the report's. So:

- the **year** is voted: a year in the title decides; otherwise each period printed with a
  year in the text counts twice, each comparison with a named year ("so với cùng kỳ năm
  2023", "so với cuối năm 2022") counts once for the year after it, and the dateline once;
  sentences about targets do not vote;
- the **period** is the title's (its first month, else its cumulative period), else the
  period the lead opens with ("6 tháng đầu năm, …", "Trong tháng 11, …");
- the **dateline** (an official "ngày 25 tháng 8 năm 2017" or a page's stamp) is kept as the
  issue date.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .catalogue import fold
from .lexicon import load_lexicon
from .periods import Cue, Period, ReportContext, find_cues, valid_date
from .textmodel import TextModel

_TITLE_MAX = 250  # characters: a longer first line is a paragraph, not a title
_LEAD_SENTENCES = 3


def context_from_hint(hint: str, language: str) -> ReportContext | None:
    """The context a sidecar's ``period`` states (``2017-08``, ``2023-Q3``, …)."""
    hint = hint.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", hint):
        return ReportContext(int(m.group(1)), int(m.group(2)), "monthly", language)
    if m := re.fullmatch(r"(\d{4})-01/(\d{4})-(\d{2})", hint):
        year, month = int(m.group(2)), int(m.group(3))
        return ReportContext(year, month, "ytd", language, Period.ytd(year, month))
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", hint):
        year, q = int(m.group(1)), int(m.group(2))
        return ReportContext(year, q * 3, "quarterly", language, Period(hint, "quarter"))
    if m := re.fullmatch(r"(\d{4})-H([12])", hint):
        year, h = int(m.group(1)), int(m.group(2))
        return ReportContext(year, h * 6, "half", language, Period(hint, "half"))
    if m := re.fullmatch(r"(\d{4})", hint):
        year = int(m.group(1))
        return ReportContext(year, 12, "annual", language, Period(hint, "year"))
    return None


def title_text(model: TextModel, text: str) -> str:
    """The report's title: its first heading (with the headings after it up to the one
    that holds a year, for a title wrapped over several lines), else a short first line."""
    if model.title:
        lines = [model.title]
        following = model.headings[model.headings.index(model.title) + 1 :][:2] \
            if model.title in model.headings else []
        for heading in following:
            if re.search(r"(?:19|20)\d{2}", " ".join(lines)):
                break
            lines.append(heading)
        return " ".join(lines)
    first = next((line.strip(" #*") for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= _TITLE_MAX and not first.endswith(".") else ""


def dateline(text: str) -> tuple[int, int, int | None] | None:
    """The issue date printed near the top: (year, month, day or None)."""
    head = text[:800]
    for entry in load_lexicon().group("datelines"):
        m = entry.regex.search(fold(head))
        if m is None:
            continue
        year, month = int(m.group("year")), int(m.group("month"))
        day = int(m.group("day")) if m.group("day") else None
        if 1 <= month <= 12 and (day is None or valid_date(year, month, day)):
            return year, month, day
    return None


def _period_cues(text: str, ctx: ReportContext) -> list[Cue]:
    return [c for c in find_cues(fold(text), ctx)
            if c.kind in ("period", "through") and c.period is not None]


def _has_target(text: str) -> bool:
    return load_lexicon().pattern("Target").search(fold(text)) is not None


def _comparison_years(cues: list[Cue]) -> list[int]:
    """The report years that comparisons imply: "cùng kỳ năm 2023" → 2024, "cuối năm 2022"
    and "31/12/2022" → 2023, "tháng 12/2016" (CPI's December base) → 2017."""
    years = []
    for c in cues:
        if c.kind != "comparator":
            continue
        if c.base_kind in ("yoy", "yoy_avg") and c.year_ref:
            years.append(c.year_ref + 1)
        elif c.base_kind == "base_date" and c.base and c.base.endswith("-12-31"):
            years.append(int(c.base[:4]) + 1)
        elif c.base_kind == "base_month" and c.base and c.base.endswith("-12"):
            years.append(int(c.base[:4]) + 1)
    return years


def report_year(model: TextModel, title: str, issued: tuple | None) -> int | None:
    """The report's year: the title's, else the year the text's evidence votes for."""
    unknown = ReportContext(None, None, "unknown")
    if title and not _has_target(title):
        years = [int(c.period.value[:4]) for c in _period_cues(title, unknown)]
        if years:
            return years[-1]
    votes: Counter[int] = Counter()
    for sentence in model.sentences[:80]:
        if sentence.in_tasks or _has_target(sentence.text):
            continue
        cues = find_cues(fold(sentence.text), unknown)
        votes.update({int(c.period.value[-10:-6] if c.period.type == "range" else
                          c.period.value[:4]): 2
                      for c in cues if c.kind in ("period", "through") and c.period})
        votes.update(_comparison_years(cues))
    if issued is not None:
        votes[issued[0]] += 1
    if not votes:
        return None
    best = max(votes.values())
    return next(y for y, n in votes.items() if n == best)  # ties: the first seen


def _kind_of(period: Period) -> tuple[str, int, Period | None]:
    """(report kind, report month, default period of its flows) of a report period."""
    end = period.value[-7:] if period.type != "year" else f"{period.value}-12"
    month = int(end[5:7]) if period.type != "quarter" else int(period.value[-1]) * 3
    if period.type == "month":
        return "monthly", month, None
    if period.type == "ytd":
        return "ytd", month, period
    if period.type == "quarter":
        return "quarterly", month, period
    if period.type == "half":
        return "half", month, period
    return "annual", 12, period


def title_period(title: str, ctx: ReportContext) -> Period | None:
    """The period a title names: its first month, else its first cumulative period, before
    the words that introduce the next period's tasks."""
    if not title or _has_target(title):
        return None
    tasks = load_lexicon().pattern("TitleTasks").search(fold(title))
    own = title[: tasks.start()] if tasks else title
    periods = [c.period for c in _period_cues(own, ctx) if c.period.type != "range"]
    months = [p for p in periods if p.type == "month"]
    return (months or periods or [None])[0]


def lead_period(model: TextModel, ctx: ReportContext) -> Period | None:
    """The period the report's first sentences open with, when they name one."""
    periods = []
    for sentence in model.sentences[:_LEAD_SENTENCES]:
        if not _has_target(sentence.text):
            periods += [c.period for c in _period_cues(sentence.text, ctx)
                        if c.period.type not in ("range", "asof")]
    # "Năm 2024, … đến nay …; tính chung 11 tháng năm 2024, …": the year is the setting,
    # the months are the report's
    specific = [p for p in periods if p.type != "year"]
    return (specific or periods or [None])[0]


def report_context(model: TextModel, text: str, hint: str | None,
                   language: str = "vi") -> ReportContext:
    """The report's year, month, kind and default period, and its issue date."""
    issued = dateline(text)
    issued_iso = None
    if issued is not None:
        y, m, d = issued
        issued_iso = f"{y:04d}-{m:02d}" + (f"-{d:02d}" if d else "")
    title = title_text(model, text)
    if hint and (ctx := context_from_hint(hint, language)) is not None:
        return replace(ctx, issued=issued_iso, title=title)
    year = report_year(model, title, issued)
    base = ReportContext(year, None, "unknown", language, issued=issued_iso, title=title)
    if year is None:
        return base
    period = title_period(title, base) or lead_period(model, base)
    if period is None:
        return base
    kind, month, default = _kind_of(period)
    return replace(base, month=month, kind=kind, default=default)

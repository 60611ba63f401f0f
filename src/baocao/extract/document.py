"""A whole report: sentences in order, footnotes read in their anchors' context."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace

import pandas as pd

from ..ingest import Document
from ..limits import check_deadline
from ..schema import FIELDS
from .catalogue import Catalogue, load_catalogue
from .grammar import _CONTINUATION, _UPPER, Context, Row, SentenceReader
from .periods import ReportContext, detect_report_context
from .textmodel import _BULLET, Sentence, TextModel, build_text_model

_PROVINCE = re.compile(
    rf"(?<!\w)[Tt]ỉnh\s+([{_UPPER}][^\W\d_]+(?:\s+[{_UPPER}][^\W\d_]+){{0,2}})(?!\w)"
)


# the centrally run cities, which are provinces in their own right
_CITY = re.compile(
    r"(?<!\w)(?:[Tt]hành\s+phố|TP\.?)\s+(Hà\s+Nội|Hồ\s+Chí\s+Minh|Hải\s+Phòng|Đà\s+Nẵng|Cần\s+Thơ|"
    r"Huế)(?!\w)"
)


def _province(text: str) -> str | None:
    """The province a report is about: the name most often written after "tỉnh" (or,
    for the five centrally run cities, after "thành phố"/"TP")."""
    for pattern in (_PROVINCE, _CITY):
        names: dict[str, int] = {}
        for m in pattern.finditer(text[:200_000]):
            name = m.group(1)
            names[name] = names.get(name, 0) + 1
        if names:
            return max(names, key=names.get)
    return None


def report_id_for(doc: Document, ctx: ReportContext) -> str:
    """The sidecar's report id, else one built from province, publisher and period."""
    if doc.metadata.get("report_id"):
        return str(doc.metadata["report_id"])
    head = doc.text[:4000]
    province = "langson" if re.search(r"lạng\s+sơn", doc.text[:20000], re.I) else None
    publisher = None
    if re.search(r"ủy ban nhân dân|uỷ ban nhân dân|ubnd", head, re.I):
        publisher = "ubnd"
    elif re.search(r"thống kê", head, re.I):
        publisher = "ctk"
    stem = re.sub(r"\.[^.]+$", "", doc.source.replace("\\", "/").rsplit("/", 1)[-1])
    if province and publisher and ctx.year and ctx.month:
        return f"{province}-{publisher}-{ctx.year:04d}-{ctx.month:02d}"
    slug = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", slug).strip("-").lower() or "report"


def _resolve_by_arithmetic(rows: list[tuple[Row, Sentence]], cat: Catalogue) -> None:
    """Attach a breakdown's trailing percentage to the component or the total, whichever
    the report's own levels reproduce (seed footnote 12); flag it when neither does."""
    levels: dict[tuple[str | None, str | None], list[Row]] = {}
    for row, _ in rows:
        if row.measure == "level" and row.period is not None:
            levels.setdefault((row.indicator, row.period.value), []).append(row)
    for row, _ in rows:
        if "ambiguous_attachment" not in row.flags or row.period is None:
            continue
        if row.measure != "mom_pct" or row.period.type != "month":
            row.indicator = None
            continue
        y, m = int(row.period.value[:4]), int(row.period.value[5:7])
        prev = f"{y - 1:04d}-12" if m == 1 else f"{y:04d}-{m - 1:02d}"

        def level(ind: str, period: str, component_of: str | None = None) -> float | None:
            if (ind, period) in levels:
                return levels[(ind, period)][0].value
            parts = [
                r for (i, p), rs in levels.items() if p == period for r in rs
                if r.component_of == ind and i is not None
            ]
            if len(parts) >= 2:
                return sum(r.value for r in parts)
            return None

        matches = []
        for cand in row.candidates:
            if not cand:
                continue
            cur, before = level(cand, row.period.value), level(cand, prev)
            if cur is None or not before:
                continue
            implied = (cur / before - 1) * 100
            tolerance = 0.5 * 10 ** (-row.decimals) + 0.05
            if abs(implied - row.value) <= tolerance:
                matches.append((cand, implied, cur, before))
        if len(matches) == 1:
            cand, implied, cur, before = matches[0]
            row.indicator = cand
            row.label = cat.indicators[cand].name_vi
            row.flags.remove("ambiguous_attachment")
            row.note = (
                f"attached to {cand} by the report's own figures: "
                f"{cur:g} vs {before:g} in {prev} is {implied:+.1f}%"
            )
        else:
            row.indicator = None


# Tests set this: an exception of the sentence reader is then raised, not skipped.
STRICT = False


def _read_safely(sentence, cat, ctx, inherited, head, period):
    """Read one sentence; a sentence the grammar cannot read yields nothing rather than
    costing the whole report (a missing figure is better than a lost report)."""
    check_deadline("reading the report's sentences")
    try:
        return SentenceReader(sentence, cat, ctx, inherited, head, period).read()
    except (ValueError, IndexError, KeyError, TypeError, AttributeError, RecursionError):
        if STRICT:
            raise
        return None


def _rows_for(
    tm: TextModel, cat: Catalogue, ctx: ReportContext
) -> list[tuple[Row, Sentence]]:
    out: list[tuple[Row, Sentence]] = []
    contexts: dict[int, Context] = {}
    prev_head: str | None = None
    prev_period = None
    prev_comparator = None
    prev_paragraph = None
    list_context: Context | None = None
    for sentence in tm.sentences:
        if sentence.paragraph != prev_paragraph:
            prev_head, prev_period, prev_paragraph = None, None, sentence.paragraph
            prev_comparator = None
        if sentence.in_tasks:
            continue
        inherited = None
        if list_context is not None and _BULLET.match(sentence.text):
            # an item of a list introduced by "…8 tháng:" takes the introduction's context
            inherited = list_context
        elif _CONTINUATION.match(sentence.text) and prev_head:
            # "Trong đó: xuất khẩu …, tăng 25%": the components of the previous sentence's
            # figure, for its period and against its comparison base
            inherited = Context(parent=prev_head, period=prev_period, comparator=prev_comparator)
        result = _read_safely(sentence, cat, ctx, inherited, prev_head, prev_period)
        if result is None:
            continue
        prev_period = result.final_period
        prev_comparator = result.final_comparator
        if sentence.text.rstrip().endswith(":"):
            list_context = Context(parent=result.head, period=result.final_period,
                                   status=result.status_at.get(len(sentence.text), "actual"),
                                   comparator=result.final_comparator)
        elif not _BULLET.match(sentence.text):
            list_context = None
        out.extend((row, sentence) for row in result.rows)
        for pos, number in sentence.anchors:
            contexts.setdefault(
                number,
                Context(
                    parent=result.head,
                    period=result.period_at.get(pos),
                    status=result.status_at.get(pos, "actual"),
                    comparator=result.comparator_at.get(pos),
                ),
            )
        prev_head = result.head or prev_head
    anchored_in_tasks = {
        n for s in tm.sentences if s.in_tasks for _, n in s.anchors
    }
    for number, sentences in tm.footnotes.items():
        if number in anchored_in_tasks and number not in contexts:
            continue
        context = contexts.get(number, Context())
        head = None
        for sentence in sentences:
            result = _read_safely(sentence, cat, ctx, context, head, None)
            if result is None:
                continue
            out.extend((row, sentence) for row in result.rows)
            head = result.head or head
    _resolve_by_arithmetic(out, cat)
    return out


def _obs_id(report_id: str, start: int, end: int, row: Row) -> str:
    key = f"{report_id}|{start}|{end}|{row.indicator}|{row.measure}|{row.base}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def extract_document(doc: Document, report_id: str | None = None) -> pd.DataFrame:
    """All observations of ``doc`` as a frame with :data:`baocao.schema.FIELDS` columns."""
    cat = load_catalogue()
    tm = build_text_model(doc.text)
    ctx = detect_report_context(
        tm.title, tm.headings, doc.text, doc.metadata.get("period"),
        doc.metadata.get("language", "vi") or "vi",
    )
    ctx = replace(ctx, province=doc.metadata.get("province") or _province(doc.text))
    rid = report_id or report_id_for(doc, ctx)
    records = []
    for row, sentence in _rows_for(tm, cat, ctx):
        start, end = sentence.doc_span(row.start, row.end)
        ind = cat.get(row.indicator) if row.indicator else None
        flags = [f for f in dict.fromkeys(row.flags) if f != "subject_unknown"]
        if row.candidates and row.indicator is None:
            flags.append("candidates=" + "|".join(c for c in row.candidates if c))
        records.append(
            {
                "report_id": rid,
                "source": doc.source,
                "page": doc.page_at(start),
                "start": start,
                "end": end,
                "quote": sentence.text,
                "indicator": row.indicator,
                "label_vi": row.label
                or (ind.name_vi if ind else None)
                or " ".join(sentence.text[: row.start].split()[-4:])
                or None,
                "period": row.period.value if row.period else None,
                "period_type": row.period.type if row.period else None,
                "measure": row.measure,
                "base": row.base,
                "value": float(row.value),
                "unit": row.unit,
                "value_as_printed": row.printed,
                "qualifier": row.qualifier,
                "status": row.status,
                "derived": False,
                "flags": ";".join(flags) or None,
                "footnote": sentence.footnote,
                "section": sentence.section or None,
                "source_kind": "report",
                "url": doc.metadata.get("url"),
                "method": None,
                "inputs": None,
                "value_low": None,
                "value_high": None,
                "obs_id": _obs_id(rid, start, end, row),
                "note": row.note or None,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=list(FIELDS))
    for column in ("page", "footnote"):  # whole numbers, null where they do not apply
        frame[column] = frame[column].astype("Int64")
    return frame

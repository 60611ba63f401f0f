"""Stage 6: rows become contract records (``baocao.schema.FIELDS``), with provenance.

Positions map back to the document (start, end, page); the quote is the sentence (or
footnote) as printed; an unknown indicator keeps its printed phrase in ``label_vi`` and,
when the reader hesitated between ids, the candidates in its flags.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from ..ingest import Document
from ..schema import FIELDS
from .catalogue import Catalogue
from .model import Row
from .textmodel import Sentence


def _obs_id(report_id: str, start: int, end: int, row: Row) -> str:
    key = f"{report_id}|{start}|{end}|{row.indicator}|{row.measure}|{row.base}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _flags(row: Row) -> str | None:
    flags = [f for f in dict.fromkeys(row.flags) if f != "subject_unknown"]
    if row.candidates and row.indicator is None:
        flags.append("candidates=" + "|".join(c for c in row.candidates if c))
    return ";".join(flags) or None


def record(row: Row, sentence: Sentence, doc: Document, report_id: str,
           cat: Catalogue) -> dict:
    """The contract record of one row."""
    start, end = sentence.doc_span(row.start, row.end)
    ind = cat.get(row.indicator) if row.indicator else None
    label = (row.label or (ind.name_vi if ind else None)
             or " ".join(sentence.text[: row.start].split()[-4:]) or None)
    return {
        "report_id": report_id, "source": doc.source, "page": doc.page_at(start),
        "start": start, "end": end, "quote": sentence.text, "indicator": row.indicator,
        "label_vi": label,
        "period": row.period.value if row.period else None,
        "period_type": row.period.type if row.period else None,
        "measure": row.measure, "base": row.base, "value": float(row.value), "unit": row.unit,
        "value_as_printed": row.printed, "qualifier": row.qualifier, "status": row.status,
        "derived": False, "flags": _flags(row), "footnote": sentence.footnote,
        "section": sentence.section or None, "source_kind": "report",
        "url": doc.metadata.get("url"), "method": None, "inputs": None,
        "value_low": None, "value_high": None,
        "obs_id": _obs_id(report_id, start, end, row), "note": row.note or None,
    }


def frame(records: list[dict]) -> pd.DataFrame:
    """Records as a frame with the contract's columns and types."""
    out = pd.DataFrame.from_records(records, columns=list(FIELDS))
    for column in ("page", "footnote"):  # whole numbers, null where they do not apply
        out[column] = out[column].astype("Int64")
    return out

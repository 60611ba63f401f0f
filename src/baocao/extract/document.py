"""A whole report read into contract rows: text model → discourse → sentences → emission."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pandas as pd

from ..ingest import Document
from .catalogue import load_catalogue
from .context import report_context
from .discourse import Discourse, detect_province, detect_publisher
from .emit import frame, record
from .periods import ReportContext
from .textmodel import build_text_model


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text).strip("-").lower()


def report_id_for(doc: Document, ctx: ReportContext) -> str:
    """The sidecar's report id, else one built from province, publisher and period, else
    from the file name."""
    if doc.metadata.get("report_id"):
        return str(doc.metadata["report_id"])
    publisher = detect_publisher(doc.text[:4000])
    if ctx.province and publisher and ctx.year and ctx.month:
        province = _slug(ctx.province).replace("-", "")
        return f"{province}-{publisher}-{ctx.year:04d}-{ctx.month:02d}"
    stem = re.sub(r"\.[^.]+$", "", doc.source.replace("\\", "/").rsplit("/", 1)[-1])
    return _slug(stem) or "report"


def extract_document(doc: Document, report_id: str | None = None) -> pd.DataFrame:
    """All observations of ``doc`` as a frame with :data:`baocao.schema.FIELDS` columns."""
    cat = load_catalogue()
    model = build_text_model(doc.text)
    ctx = report_context(model, doc.text, doc.metadata.get("period"),
                         doc.metadata.get("language", "vi") or "vi")
    ctx = replace(ctx, province=doc.metadata.get("province") or detect_province(doc.text))
    rid = report_id or report_id_for(doc, ctx)
    rows = Discourse(model, cat, ctx).read()
    return frame([record(row, sentence, doc, rid, cat) for row, sentence in rows])

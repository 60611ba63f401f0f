"""Stage 2, extract: every figure of a Document as observations (the contract).

``extract_document`` reads the prose (text model → discourse → sentence reader) and, for
PDFs, the appendix tables (:mod:`baocao.extract.tables`), each row keeping its provenance.
"""

from __future__ import annotations

import sys
import types

import pandas as pd

from ..ingest import Document
from .document import extract_document as _extract_prose

__all__ = ["extract_document"]


def extract_document(doc: Document, report_id: str | None = None) -> pd.DataFrame:
    """All observations of ``doc`` as a frame with :data:`baocao.schema.FIELDS` columns."""
    prose = _extract_prose(doc, report_id=report_id)
    if not doc.tables:
        return prose
    try:
        from .tables import table_observations
    except ImportError:
        return prose
    rid = report_id or (prose["report_id"].iloc[0] if len(prose) else None)
    tables = table_observations(doc, rid)
    if tables is None or not len(tables):
        return prose
    return pd.concat([prose, tables], ignore_index=True)


class _ExtractModule(types.ModuleType):
    """``baocao.extract`` is both this stage's package and the public function
    ``baocao.extract(path)``: calling the package extracts a report file."""

    def __call__(self, path, **kwargs) -> pd.DataFrame:
        from ..api import extract

        return extract(path, **kwargs)


sys.modules[__name__].__class__ = _ExtractModule

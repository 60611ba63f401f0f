"""Stage 2, extract: every figure of a Document as observations (the contract)."""

from __future__ import annotations

import pandas as pd

from ..ingest import Document


def extract_document(doc: Document, report_id: str | None = None) -> pd.DataFrame:
    """All observations of ``doc`` as a frame with :data:`baocao.schema.FIELDS` columns."""
    from ..api import empty_frame

    return empty_frame()

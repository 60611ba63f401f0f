"""The small public API: ``extract`` a report into observations, ``load`` the dataset,
read one ``series``. Modelled on camelot's ``read_pdf``: one call, a frame back."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from .ingest import InputError, read_document
from .schema import FIELDS

# A monthly report is 20-200 thousand characters; ten million is a corpus or a hostile file,
# and would hold a worker for minutes.
MAX_CHARACTERS = 10_000_000


def empty_frame() -> pd.DataFrame:
    """An observations frame with every column and no rows."""
    return pd.DataFrame({name: pd.Series(dtype="object") for name in FIELDS})


def extract(
    path: str | os.PathLike[str],
    *,
    report_id: str | None = None,
    password: str | None = None,
) -> pd.DataFrame:
    """Extract every figure of one report into a frame of observations (the contract).

    Raises :class:`baocao.ingest.InputError` when the file cannot be read.
    """
    from .extract import extract_document

    doc = read_document(path, password=password)
    if len(doc.text) > MAX_CHARACTERS:
        raise InputError(
            doc.source,
            f"too large for one report ({len(doc.text) / 1e6:.1f} million characters; "
            f"the limit is {MAX_CHARACTERS / 1e6:.0f} million)",
        )
    return extract_document(doc, report_id=report_id)


@dataclass
class ExtractResult:
    """Outcome of one report in a batch: observations, or the one-line reason it failed."""

    source: str
    frame: pd.DataFrame | None
    error: str | None
    seconds: float = 0.0


def extract_safely(
    path: str, password: str | None = None, report_id: str | None = None
) -> ExtractResult:
    """Extract one report, turning every failure into a one-line reason (for batches)."""
    import time

    t0 = time.perf_counter()
    try:
        frame = extract(path, password=password, report_id=report_id)
        return ExtractResult(path, frame, None, time.perf_counter() - t0)
    except InputError as err:
        return ExtractResult(path, None, err.reason, time.perf_counter() - t0)
    except MemoryError:
        return ExtractResult(path, None, "file too large to process", time.perf_counter() - t0)
    except Exception as err:  # noqa: BLE001 - a bug must still be one line, not a traceback
        reason = f"internal error while extracting ({type(err).__name__}: {err})"
        return ExtractResult(path, None, reason, time.perf_counter() - t0)

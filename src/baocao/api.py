"""The small public API: ``extract`` a report into observations, ``load`` the dataset,
read one ``series``. Modelled on camelot's ``read_pdf``: one call, a frame back."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pandas as pd

from .ingest import Document, InputError, one_line, read_document
from .limits import Deadline, Limits, deadline_scope
from .schema import FIELDS

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
ROW_OVERHEAD_BYTES = 400  # a JSON Lines row's fixed fields, keys and punctuation


def empty_frame() -> pd.DataFrame:
    """An observations frame with every column and no rows."""
    return pd.DataFrame({name: pd.Series(dtype="object") for name in FIELDS})


def extract(
    path: str | os.PathLike[str],
    *,
    report_id: str | None = None,
    password: str | None = None,
    limits: Limits | None = None,
) -> pd.DataFrame:
    """Extract every figure of one report into a frame of observations (the contract).

    ``limits`` bound the time and memory the report may take (:mod:`baocao.limits`;
    by default from the environment). Raises :class:`baocao.ingest.InputError` when the
    file cannot be read or exceeds a limit.
    """
    from .extract import extract_document

    limits = limits or Limits.from_env()
    spath = os.fspath(path)
    with deadline_scope(Deadline(spath, limits.timeout)):
        doc = read_document(path, password=password, limits=limits)
        check_text_size(doc, limits)
        frame = extract_document(doc, report_id=report_id)
    check_result_size(doc.source, frame, limits)
    return frame


def check_text_size(doc: Document, limits: Limits) -> None:
    """Refuse a text no report has, before the grammar spends time and memory on it:
    more characters than ``max_characters``, or more numbers than ``max_rows``."""
    if len(doc.text) > limits.max_characters:
        raise InputError(
            doc.source,
            f"too large for one report ({len(doc.text):,} characters; the limit is "
            f"{limits.max_characters:,}, BAOCAO_MAX_CHARACTERS)",
        )
    numbers = sum(1 for _ in _NUMBER.finditer(doc.text))
    if numbers > limits.max_rows:
        raise InputError(
            doc.source,
            f"too many figures for one report ({numbers:,} numbers in its text; the limit "
            f"is {limits.max_rows:,} observations, BAOCAO_MAX_ROWS)",
        )


def check_result_size(source: str, frame: pd.DataFrame, limits: Limits) -> None:
    """Refuse observations past ``max_rows`` (tables' rows come on top of the prose's)
    or whose text would write more than ``max_output_mb`` (each row quotes its sentence,
    so a run-on sentence of many figures multiplies)."""
    if len(frame) > limits.max_rows:
        raise InputError(
            source,
            f"too many observations for one report ({len(frame):,}; the limit is "
            f"{limits.max_rows:,}, BAOCAO_MAX_ROWS)",
        )
    size = ROW_OVERHEAD_BYTES * len(frame)
    for column in ("quote", "label_vi", "value_as_printed", "source", "section", "note"):
        if column in frame:
            size += int(frame[column].dropna().astype(str).str.len().sum()) * 2
    if size > limits.max_output_mb * 2**20:
        raise InputError(
            source,
            f"its observations would write about {size / 2**20:,.0f} MB (the limit is "
            f"{limits.max_output_mb:g} MB, BAOCAO_MAX_OUTPUT_MB)",
        )


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
        reason = f"internal error while extracting ({one_line(err)})"
        return ExtractResult(path, None, reason, time.perf_counter() - t0)

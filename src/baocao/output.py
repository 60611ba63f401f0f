"""Writing observation frames: JSON Lines, CSV or Parquet, atomically.

A write goes to a temporary file beside the target and is renamed into place only when
complete, so a failure never leaves a partial output file behind.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = ("jsonl", "csv", "parquet")


def _json_default(value):
    """Values json cannot encode itself: numpy scalars left in object columns."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODE = json.JSONEncoder(ensure_ascii=False, default=_json_default).encode


def _column_values(column: pd.Series) -> list:
    """A column as plain Python values, every missing value (NaN, NA, NaT) as None."""
    values = column.tolist()  # numpy scalars become int/float/bool
    missing = column.isna()
    if missing.any():
        values = [None if gap else v for v, gap in zip(values, missing.tolist(), strict=True)]
    return values


def frame_to_jsonl(frame: pd.DataFrame) -> str:
    """One JSON object per row, UTF-8, NaN as null.

    Column-wise conversion (``tolist``/``isna``), not a per-cell Python check: a batch of
    1,000 reports has ~80,000 rows, and this is the writer's whole cost.
    """
    cols = [str(c) for c in frame.columns]
    columns = [_column_values(frame[c]) for c in frame.columns]
    lines = [_ENCODE(dict(zip(cols, row, strict=True))) for row in zip(*columns, strict=True)]
    return "\n".join(lines) + ("\n" if lines else "")


def write_frame(frame: pd.DataFrame, out: str | None, fmt: str) -> None:
    """Write ``frame`` to ``out`` (stdout when None, text formats only), atomically."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if out is None or out == "-":
        if fmt == "parquet":
            raise ValueError("parquet output needs -o FILE")
        text = frame_to_jsonl(frame) if fmt == "jsonl" else frame.to_csv(index=False)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        if fmt == "jsonl":
            Path(tmp).write_text(frame_to_jsonl(frame), encoding="utf-8")
        elif fmt == "csv":
            frame.to_csv(tmp, index=False)
        else:
            frame.to_parquet(tmp, index=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

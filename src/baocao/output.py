"""Writing observation frames: JSON Lines, CSV or Parquet, atomically.

A write goes to a temporary file beside the target and is renamed into place only when
complete, so a failure never leaves a partial output file behind.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = ("jsonl", "csv", "parquet")


def _jsonable(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def frame_to_jsonl(frame: pd.DataFrame) -> str:
    """One JSON object per row, UTF-8, NaN as null."""
    cols = list(frame.columns)
    lines = []
    for row in frame.itertuples(index=False, name=None):
        obj = {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
        lines.append(json.dumps(obj, ensure_ascii=False))
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

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


class FrameWriter:
    """Writes observation frames one after another, so a batch streams in flat memory.

    JSON Lines and CSV are written as each frame arrives (CSV: the first frame's columns
    and header); Parquet, a whole-file format, is gathered and written at :meth:`commit`.
    A file target is written to a temporary file beside it and renamed into place only on
    :meth:`commit`; :meth:`discard` (or an exception inside a ``with`` block) removes it,
    so a failure never leaves a partial output file. ``out`` None or ``-`` is stdout.
    """

    def __init__(self, out: str | None, fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.rows = 0
        self._columns: list | None = None
        self._parts: list[pd.DataFrame] = []
        self._target: Path | None = None
        self._tmp: Path | None = None
        if out is None or out == "-":
            if fmt == "parquet":
                raise ValueError("parquet output needs -o FILE")
            self._stream = sys.stdout
            return
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self._target, self._tmp = target, Path(tmp)
        self._stream = os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame`` (the first frame, even empty, fixes CSV columns)."""
        first = self._columns is None
        if first:
            self._columns = list(frame.columns)
        elif self.fmt == "csv" and list(frame.columns) != self._columns:
            frame = frame.reindex(columns=self._columns)
        self.rows += len(frame)
        if self.fmt == "parquet":
            self._parts.append(frame)
        elif self.fmt == "jsonl":
            self._stream.write(frame_to_jsonl(frame))
        else:
            self._stream.write(frame.to_csv(index=False, header=first))
        if self._tmp is None:
            self._stream.flush()

    def commit(self) -> None:
        """Finish the output: flush stdout, or write Parquet and rename the file into place."""
        if self._tmp is None:
            self._stream.flush()
            return
        try:
            if self.fmt == "parquet":
                self._stream.close()
                frame = pd.concat(self._parts, ignore_index=True) if self._parts else pd.DataFrame()
                frame.to_parquet(self._tmp, index=False)
            else:
                self._stream.close()
            os.replace(self._tmp, self._target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Abandon the output: nothing is left at the target (stdout cannot be taken back)."""
        if self._tmp is not None:
            self._stream.close()
            self._tmp.unlink(missing_ok=True)

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

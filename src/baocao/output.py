"""Writing observation frames: JSON Lines, CSV or Parquet, atomically.

A write goes to a temporary file in the target's folder and is renamed into place only
when complete, so a failure never leaves a partial output file behind; what a target may
be, and how the temporary file is made, is :mod:`baocao.outfile`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import pandas as pd

from .cells import escape_formulas
from .outfile import AtomicFile, resolve_target

FORMATS = ("jsonl", "csv", "parquet")


def _json_default(value):
    """Values json cannot encode itself: numpy scalars left in object columns."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=_json_default).encode


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


def write_frame(
    frame: pd.DataFrame, out: str | None, fmt: str, inputs: Sequence[str] = ()
) -> None:
    """Write ``frame`` to ``out`` (stdout when None, text formats only), atomically."""
    with FrameWriter(out, fmt, inputs=inputs) as writer:
        writer.write(frame)
        writer.commit()


class FrameWriter:
    """Writes observation frames one after another, so a batch streams in flat memory.

    JSON Lines and CSV are written as each frame arrives (CSV: the first frame's columns
    and header); Parquet, a whole-file format, is gathered and written at :meth:`commit`.
    A file target is checked first (:func:`baocao.outfile.resolve_target`: never a
    directory, device, FIFO, read-only file or one of ``inputs``; a symlink is written
    through), written to a temporary file in its folder and renamed into place only on
    :meth:`commit`; :meth:`discard` (or an exception inside a ``with`` block) removes it,
    so a failure never leaves a partial output file. ``out`` None or ``-`` is stdout.
    CSV text cells that a spreadsheet would run as a formula are escaped
    (:func:`baocao.cells.escape_formulas`).
    """

    def __init__(self, out: str | None, fmt: str, inputs: Sequence[str] = ()) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        self.fmt = fmt
        self.rows = 0
        self._columns: list | None = None
        self._parts: list[pd.DataFrame] = []
        self._file: AtomicFile | None = None
        if out is None or out == "-":
            if fmt == "parquet":
                raise ValueError("parquet output needs -o FILE")
            self._stream = sys.stdout
            return
        target = resolve_target(out, inputs)
        self._file = AtomicFile(target, binary=fmt == "parquet")
        self._stream = self._file.file

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
            self._stream.write(escape_formulas(frame).to_csv(index=False, header=first))
        if self._file is None:
            self._stream.flush()

    def commit(self) -> None:
        """Finish the output: flush stdout, or write Parquet and rename the file into place."""
        if self._file is None:
            self._stream.flush()
            return
        try:
            if self.fmt == "parquet":
                frame = pd.concat(self._parts, ignore_index=True) if self._parts else pd.DataFrame()
                frame.to_parquet(self._file.file, index=False)
            self._file.commit()
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        """Abandon the output: nothing is left at the target (stdout cannot be taken back)."""
        if self._file is not None:
            self._file.discard()

    def __enter__(self) -> FrameWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.discard()

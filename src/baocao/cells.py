"""CSV cells that a spreadsheet would run: escaped before they are written.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is a
formula to Excel and LibreOffice: ``=cmd|' /C calc'!A0`` in a manifest's title, copied
into a sidecar and on into ``observations.csv``, runs a program when the file is opened.
Such a cell is written with a leading apostrophe, the spreadsheets' own mark for "this
is text" (OWASP's advice). Numbers and printed figures (``-2,3%``, ``+5``, ``-1.234,5``)
are left as they are: a spreadsheet reads them as numbers, not code. Only the CSV files
are escaped; Parquet, JSON Lines and the frames in Python keep the text as printed.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STARTS_LIKE_FORMULA = r"^[=+\-@\t\r]"
_NUMBERISH = re.compile(r"[+\-−]?\s*\d[\d.,\s]*%?")


def escape_cell(value: object) -> object:
    """``value`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if not _NUMBERISH.fullmatch(value.strip()):
            return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe to open in a spreadsheet (only the
    cells that need it are touched; most frames come back unchanged)."""
    out = frame
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not pd.api.types.is_string_dtype(values):
            continue
        risky = values.astype("string").str.contains(_STARTS_LIKE_FORMULA, regex=True, na=False)
        if not risky.any():
            continue
        if out is frame:
            out = frame.copy()
        out.loc[risky, column] = values[risky].map(escape_cell)
    return out

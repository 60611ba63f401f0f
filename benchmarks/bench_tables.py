"""``tables``: camelot lattice vs camelot stream vs pdfplumber on the appendix table.

The seed PDF's last page holds a ruled table of seed figures
(``tests/fixtures/appendix_table.csv``). Each reader is timed on that one page and
scored by how many of the table's data cells (row number, label, unit, month, year to
date, ratio to last year, plan share: 7 per row) it puts in the right column of one row.
"""

from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from _util import ROOT, median_seconds, render_seed_pdf

TABLE_CSV = ROOT / "tests" / "fixtures" / "appendix_table.csv"


def expected_rows() -> list[list[str]]:
    with TABLE_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [
        [str(i), r["label"], r["unit"], r["month"], r["ytd"], r["yoy_ratio"], r["plan_pct"]]
        for i, r in enumerate(rows, 1)
    ]


def _norm(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip()


def cells_right(tables: list[list[list[object]]], expected: list[list[str]]) -> int:
    """Expected data cells found at their column in the best-matching extracted row."""
    rows = [[_norm(c) for c in row] for table in tables for row in table]
    score = 0
    for want in expected:
        best = 0
        for row in rows:
            best = max(best, sum(1 for j, w in enumerate(want) if j < len(row) and row[j] == w))
        score += best
    return score


def run() -> dict:
    import camelot
    import pdfplumber
    import pypdfium2 as pdfium

    expected = expected_rows()
    total = sum(len(r) for r in expected)
    result: dict = {"cells_expected": total}
    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        pdf, _ = render_seed_pdf(Path(tmp))
        page = len(pdfium.PdfDocument(str(pdf)))  # the appendix is the last page

        for flavor in ("lattice", "stream"):
            def read(flavor: str = flavor):
                return camelot.read_pdf(str(pdf), pages=str(page), flavor=flavor)

            seconds = median_seconds(read, repeat=3)
            found = read()
            grids = [t.df.values.tolist() for t in found]
            result[f"camelot_{flavor}_ms_per_page"] = round(seconds * 1000, 1)
            result[f"camelot_{flavor}_cells_right"] = cells_right(grids, expected)
            result[f"camelot_{flavor}_tables"] = found.n

        def plumber():
            # opened each time: pdfplumber caches a page's objects after a first read
            with pdfplumber.open(str(pdf)) as doc:
                return doc.pages[page - 1].extract_tables()

        seconds = median_seconds(plumber, repeat=3)
        grids = plumber()
        result["pdfplumber_ms_per_page"] = round(seconds * 1000, 1)
        result["pdfplumber_cells_right"] = cells_right(grids, expected)
        result["pdfplumber_tables"] = len(grids)
    return result

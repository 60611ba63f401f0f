"""Ruled tables of a PDF ("Biểu số liệu" appendices) read with camelot's lattice parser.

Only pages on which the layout pass found crossing ruling lines are given to camelot
(``pages=``), so prose pages cost nothing and never yield camelot's one-column "tables".
A table is kept when camelot's own parsing report says it was read cleanly (accuracy and
whitespace thresholds); cells are whitespace-normalised NFC strings.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence

from .document import Table

MIN_ACCURACY = 80.0  # camelot's share of text placed in cells, %
MAX_WHITESPACE = 70.0  # share of empty cells, %; merged header cells leave some empty


class _PdfiumRenderer:
    """camelot's page renderer for encrypted PDFs: its own pdfium backend opens files
    without the password, so lattice (which works on the page image) would find nothing."""

    def __init__(self, password: str) -> None:
        self.password = password

    def _image(self, pdf_path: str, page: int, resolution: int):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(pdf_path, password=self.password)
        try:
            return doc[page - 1].render(scale=resolution / 72).to_pil()
        finally:
            doc.close()

    def convert(self, pdf_path: str, png_path: str, resolution: int = 300, page: int = 1):
        self._image(pdf_path, page, resolution).save(png_path)

    def to_array(self, pdf_path: str, resolution: int = 300, page: int = 1):
        import numpy as np

        rgb = np.asarray(self._image(pdf_path, page, resolution).convert("RGB"))
        return np.ascontiguousarray(rgb[:, :, ::-1])  # OpenCV's BGR order


def read_tables(
    path: str,
    pages: Sequence[int],
    *,
    password: str | None = None,
    deadline=None,
) -> list[Table]:
    """Tables on ``pages`` (1-based) of the PDF at ``path``, in page then reading order."""
    if not pages:
        return []
    import camelot

    tables: list[Table] = []
    for number in pages:
        if deadline is not None:
            deadline.check(f"reading the tables of page {number}")
        found = None
        for _attempt in range(2):  # pdfium rendering can fail transiently; try once more
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    found = camelot.read_pdf(
                        path,
                        pages=str(number),
                        flavor="lattice",
                        backend=_PdfiumRenderer(password) if password else "pdfium",
                        use_fallback=False,
                        password=password,
                        suppress_stdout=True,
                    )
                break
            except Exception:  # noqa: BLE001 - a table we cannot read is not a fatal error
                found = None
        for order, table in enumerate(found or [], 1):
            report = table.parsing_report
            accuracy = float(report.get("accuracy", 0.0))
            whitespace = float(report.get("whitespace", 100.0))
            if accuracy < MIN_ACCURACY or whitespace > MAX_WHITESPACE:
                continue
            cells = [
                [unicodedata.normalize("NFC", " ".join(str(v).split())) for v in row]
                for row in table.df.values.tolist()
            ]
            bbox = tuple(float(v) for v in table._bbox) if getattr(table, "_bbox", None) else None
            tables.append(
                Table(
                    page=number,
                    order=int(report.get("order", order)),
                    cells=cells,
                    flavor="lattice",
                    bbox=bbox,
                    accuracy=accuracy,
                    whitespace=whitespace,
                )
            )
    return tables

"""``extract_vs_text``: extracting every figure of the seed PDF, against reading its text.

The floor for any PDF extractor is reading the text layer; pypdfium2 is the fastest
reader we have. The ratio says what our ingest + extraction costs on top of that
(target: at most 3×). pdfplumber, the common pure-Python alternative, is timed for scale.
All timings are in-process, warm (after one untimed run), median of several runs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _util import SEED_MD, median_seconds, render_seed_pdf

TARGET_RATIO = 3.0


def pypdfium2_text(path: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        parts = []
        for page in doc:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return "\n".join(parts)
    finally:
        doc.close()


def pdfplumber_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def run() -> dict:
    import baocao

    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        pdf, made_by = render_seed_pdf(Path(tmp))
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(str(pdf)))
        pdfium_s = median_seconds(lambda: pypdfium2_text(pdf), repeat=20)
        plumber_s = median_seconds(lambda: pdfplumber_text(pdf), repeat=3)
        result = {
            "pdf": made_by,
            "pages": pages,
            "pypdfium2_text_ms": round(pdfium_s * 1000, 2),
            "pdfplumber_text_ms": round(plumber_s * 1000, 1),
            "pdfplumber_vs_pdfium_ratio": round(plumber_s / pdfium_s, 1),
        }
        try:
            frame = baocao.extract(pdf)
        except baocao.InputError as err:
            result.update(extract_vs_pdfium_ratio=None,
                          reason=f"baocao cannot read the seed PDF yet: {err.reason}")
            return result
        if len(frame) == 0:
            result.update(extract_vs_pdfium_ratio=None,
                          reason="the extractor found no figures in the seed PDF")
            return result
        extract_s = median_seconds(lambda: baocao.extract(pdf), repeat=5)
        md_s = median_seconds(lambda: baocao.extract(SEED_MD), repeat=5)
        md_rows = len(baocao.extract(SEED_MD))
    result.update(
        extract_ms=round(extract_s * 1000, 1),
        figures=len(frame),
        extract_markdown_ms=round(md_s * 1000, 1),
        figures_markdown=md_rows,
        extract_vs_pdfium_ratio=round(extract_s / pdfium_s, 2),
        extract_vs_pdfplumber_ratio=round(extract_s / plumber_s, 2),
    )
    return result

"""``pdf``: reading a PDF report, its prose and its table page each against its own floor.

The seed typeset as a PDF (``tests/fixtures/make_fixtures.py``) is cut in two files: its
prose pages and its last page, the ruled appendix table. Each is timed against the
fastest tool for what it holds, in the same run, the two sides alternating so that a
busy machine slows both alike (medians of several runs, after an untimed one):

- the prose PDF: ``baocao.extract`` (reading the text layer, laying it out, extracting
  every figure) against pypdfium2 dumping the same file's text (target: at most 8×);
  ``read_document`` alone (the PDF reading, without the extractor) is reported too;
- the table page: ``baocao.extract`` against camelot's lattice parser alone on that page
  (target: within 1.2×): the layout pass and the extractor add little to camelot.

The whole seed PDF is also read once, for the split ``read_document`` reports in
``metadata["seconds"]`` (text layer, ruled tables). pdfplumber, the common pure-Python
reader, is timed on the prose for scale, and the markdown seed's extraction time is the
text path's own figure.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _util import SEED_MD, interleaved_medians, median_seconds, render_seed_pdf, split_pdf

TARGET_PROSE_RATIO = 8.0
TARGET_TABLE_PAGE_RATIO = 1.2


def pypdfium2_text(path: Path) -> str:
    """The floor for a text layer: pypdfium2's text of every page."""
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


def camelot_lattice(path: Path):
    """The floor for a ruled table: camelot's lattice parser alone on the file's page 1."""
    import camelot

    return camelot.read_pdf(str(path), pages="1", flavor="lattice")


def pdfplumber_text(path: Path) -> str:
    """pdfplumber's text of every page (the common pure-Python reader, for scale)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def run() -> dict:
    """Both measures and the whole seed's split, on fixtures made in a scratch folder."""
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory(prefix="baocao-bench-") as tmp:
        seed, made_by = render_seed_pdf(Path(tmp))
        pages = len(pdfium.PdfDocument(str(seed)))
        prose = split_pdf(seed, range(pages - 1), Path(tmp) / "prose.pdf")
        table = split_pdf(seed, [pages - 1], Path(tmp) / "table.pdf")
        result: dict = {"pdf": made_by, "prose_pages": pages - 1}
        result.update(prose_measures(prose))
        result.update(table_page_measures(table))
        result.update(whole_seed_measures(seed))
    return result


def prose_measures(prose: Path) -> dict:
    """The prose PDF against pypdfium2's text dump of it."""
    import baocao
    from baocao.ingest import read_document

    try:
        frame = baocao.extract(prose)
    except baocao.InputError as err:
        return {"prose_extract_vs_pdfium_ratio": None,
                "reason": f"baocao cannot read the prose PDF: {err.reason}"}
    if len(frame) == 0:
        return {"prose_extract_vs_pdfium_ratio": None,
                "reason": "the extractor found no figures in the prose PDF"}
    times = interleaved_medians({
        "dump": lambda: pypdfium2_text(prose),
        "read": lambda: read_document(prose),
        "extract": lambda: baocao.extract(prose),
    }, repeat=15)
    plumber_s = median_seconds(lambda: pdfplumber_text(prose), repeat=3)
    markdown_s = median_seconds(lambda: baocao.extract(SEED_MD), repeat=5)
    dump = times["dump"]
    return {
        "pypdfium2_text_ms": round(dump * 1000, 2),
        "prose_read_ms": round(times["read"] * 1000, 1),
        "prose_extract_ms": round(times["extract"] * 1000, 1),
        "prose_read_vs_pdfium_ratio": round(times["read"] / dump, 2),
        "prose_extract_vs_pdfium_ratio": round(times["extract"] / dump, 2),
        "figures": len(frame),
        "extract_markdown_ms": round(markdown_s * 1000, 1),
        "figures_markdown": len(baocao.extract(SEED_MD)),
        "pdfplumber_text_ms": round(plumber_s * 1000, 1),
        "pdfplumber_vs_pdfium_ratio": round(plumber_s / dump, 1),
    }


def table_page_measures(table: Path) -> dict:
    """The table page against camelot's lattice parser alone on it."""
    import baocao

    try:
        frame = baocao.extract(table)
    except baocao.InputError as err:
        return {"table_page_vs_camelot_ratio": None,
                "reason": f"baocao cannot read the table page: {err.reason}"}
    times = interleaved_medians({
        "camelot": lambda: camelot_lattice(table),
        "extract": lambda: baocao.extract(table),
    }, repeat=7)
    return {
        "table_page_camelot_lattice_ms": round(times["camelot"] * 1000, 1),
        "table_page_extract_ms": round(times["extract"] * 1000, 1),
        "table_page_vs_camelot_ratio": round(times["extract"] / times["camelot"], 3),
        "table_page_figures": len(frame),
    }


def whole_seed_measures(seed: Path) -> dict:
    """The whole seed PDF: where ``read_document`` spends its time (text, tables)."""
    from baocao.ingest import read_document

    read_document(seed)
    doc = read_document(seed)
    seconds = doc.metadata["seconds"]
    return {
        "seed_pages": doc.metadata["page_count"],
        "seed_ruled_pages": ",".join(map(str, doc.metadata["ruled_pages"])),
        "seed_text_layer_ms": round(seconds["text"] * 1000, 1),
        "seed_tables_ms": round(seconds["tables"] * 1000, 1),
    }

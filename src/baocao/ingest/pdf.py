"""PDF reports: the text layer as Document.text (same conventions as the markdown seed),
ruled tables as Document.tables.

pypdfium2 opens the file first (fast, and the clearest errors for damaged or encrypted
files) and then gives the text as runs, read in bulk (:mod:`baocao.ingest.pdf_runs`), and
the ruling lines (:mod:`baocao.ingest.pdf_chars`); :mod:`baocao.ingest.pdf_layout`
rebuilds lines, superscript markers, paragraphs, footnotes and removes running headers
and footers. pdfplumber, many times slower, is the fallback when pdfium's text or path
API fails on a file (``metadata["char_reader"]`` says which read it). Ruled areas
(tables) are left out of the text and read cell by cell by
:mod:`baocao.ingest.pdf_tables`, on those pages only: a page is ruled when its paths
cross in a grid, found while walking its objects (text objects, known from the text
layer, are skipped unasked). ``metadata["seconds"]`` gives the text layer's and the
tables' time apart.

Before any PDF library parses the file, its streams are measured (:mod:`.pdf_guard`: a
decompression bomb is refused unread); a per-report deadline is checked between pages and
table pages, a page too large to render is refused before camelot renders it, and a
garbled text layer is refused (:mod:`.garbled`), so a hostile or enormous file ends with
one clear error instead of a hung batch (limits: :mod:`baocao.limits`). The libraries' own
log messages are collected, not printed (:mod:`.quiet`).
"""

from __future__ import annotations

import gc
import time
import unicodedata
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from ..limits import Deadline, Limits
from .document import Document, Page
from .errors import InputError
from .garbled import refuse_garbled
from .pdf_chars import PageContent
from .pdf_guard import check_streams
from .pdf_layout import (
    PageLayout,
    Run,
    Splitter,
    body_paragraphs,
    body_size,
    build_lines,
    note_paragraphs,
    remove_running_lines,
    split_notes,
)
from .quiet import quiet_libraries

__all__ = ["Deadline", "OCR_HINT", "read_pdf"]

OCR_HINT = "no text layer (a scanned PDF?); run OCR first, e.g. `ocrmypdf -l vie IN OUT`"


def read_pdf(
    path: str,
    password: str | None = None,
    timeout: float = 45.0,
    *,
    deadline: Deadline | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read a PDF report into a :class:`Document` (text, pages, tables, metadata).

    ``deadline`` (else one of ``timeout`` seconds) is checked between pages and table
    pages; ``limits`` bound the inflated stream size and the area of a page rendered for
    its table (:mod:`baocao.limits`). ``metadata["seconds"]`` says how long the text layer
    (every page) and the ruled tables (camelot, on the ruled pages only) took, apart.
    """
    deadline = deadline or Deadline(path, timeout)
    limits = limits or Limits.from_env()
    _check_complete(path)
    check_streams(path, limits, deadline)
    with quiet_libraries() as heard:
        metadata = _open_with_pdfium(path, password)
        started = time.perf_counter()
        with _cycle_collector_paused():
            layouts, grids, reader = _read_layouts(path, password, deadline)
            metadata["char_reader"] = reader
            chars = sum(ln.char_count for p in layouts for ln in p.lines)
            if chars < 20 * max(1, len(layouts)):
                raise InputError(path, OCR_HINT)
            refuse_garbled(path, layouts)
            metadata["pages_without_text"] = [p.number for p in layouts if not p.lines]
            text, pages = _assemble(layouts)
        text_done = time.perf_counter()
        from .pdf_tables import read_tables

        ruled = [number for number, boxes in grids.items() if boxes]
        sizes = {p.number: (p.width, p.height) for p in layouts}
        check_table_pages(path, ruled, sizes, limits)
        tables = read_tables(path, ruled, password=password, deadline=deadline)
    metadata["ruled_pages"] = ruled
    metadata["seconds"] = {
        "text": round(text_done - started, 4),
        "tables": round(time.perf_counter() - text_done, 4),
    }
    if heard:
        metadata["library_messages"] = heard
    return Document(
        source=path, text=text, kind="pdf", pages=pages, tables=tables, metadata=metadata
    )


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the text layer is laid out.

    The layout pass makes some hundred thousand small objects (runs, lines, tuples) that
    reference counting alone frees; the cyclic collector would walk them again and again
    as they accumulate (about a tenth of the reading time). It resumes afterwards, and is
    left alone when something else had already paused it.
    """
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_table_pages(
    path: str, ruled: list[int], sizes: dict[int, tuple[float, float]], limits: Limits
) -> None:
    """Refuse before rendering: a ruled page is read as an image (camelot's lattice), and
    a page of 14,400 pt square took 10.5 GB to render."""
    for number in ruled:
        width, height = sizes.get(number, (0.0, 0.0))
        if width * height > limits.max_page_area:
            raise InputError(
                path,
                f"page {number} ({width:.0f} x {height:.0f} pt) is too large to render for "
                f"its table (more than {limits.max_page_area:.0f} square points; limit "
                "BAOCAO_MAX_PAGE_AREA)",
            )


def _check_complete(path: str) -> None:
    """Refuse a PDF cut short (an interrupted download): its end marker is missing."""
    with Path(path).open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - 8192))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise InputError(path, "truncated or damaged PDF (no %EOF end marker)")


def _open_with_pdfium(path: str, password: str | None) -> dict:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path, password=password)
    except pdfium.PdfiumError as err:
        message = str(err).lower()
        if "password" in message:
            if password:
                raise InputError(path, "encrypted PDF: the password given is wrong") from err
            raise InputError(path, "encrypted PDF: give the password with --password") from err
        if "format" in message or "data" in message:
            raise InputError(path, "damaged PDF (pdfium cannot parse it)") from err
        raise InputError(path, f"cannot open PDF ({err})") from err
    try:
        n_pages = len(pdf)
        raw = _metadata_of(pdf)
    finally:
        pdf.close()
    if n_pages == 0:
        raise InputError(path, "PDF has no pages")
    meta: dict = {"page_count": n_pages}
    for key in ("Title", "Author", "Creator", "Producer", "CreationDate"):
        if raw.get(key):
            meta[key.lower()] = unicodedata.normalize("NFC", str(raw[key]))
    return meta


def _metadata_of(pdf) -> dict:
    """The document information dictionary; a field pdfium cannot decode (a UTF-16
    title cut in the middle of a character) is left out, not fatal."""
    import pypdfium2.raw as pdfium_c

    out: dict[str, str] = {}
    for key in ("Title", "Author", "Creator", "Producer", "CreationDate"):
        try:
            value = _meta_text(pdf, pdfium_c, key)
        except (UnicodeDecodeError, ValueError, OSError):
            continue
        if value:
            out[key] = value
    return out


def _meta_text(pdf, pdfium_c, key: str) -> str:
    """One metadata field read through pdfium's raw API, decoded leniently (pypdfium2's
    own reader raises UnicodeDecodeError for an odd number of UTF-16 bytes)."""
    import ctypes

    name = key.encode("ascii")
    size = pdfium_c.FPDF_GetMetaText(pdf.raw, name, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDF_GetMetaText(pdf.raw, name, buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace").replace("\ufffd", "")


class _ReaderFailed(Exception):
    """A character reader failed on page ``number``."""

    def __init__(self, number: int, error: Exception) -> None:
        super().__init__(f"page {number}: {error!r}")
        self.number = number
        self.error = error


def _read_layouts(path: str, password: str | None, deadline: Deadline):
    """Page layouts, ruled-grid boxes and the name of the reader used: pdfium's runs,
    or pdfplumber's characters if pdfium's text or path API fails on this file (the
    document is then read again from the start)."""
    from .pdf_chars import pdfplumber_pages
    from .pdf_runs import pdfium_pages

    try:
        return (*_layouts_from(pdfium_pages(path, password), deadline), "pdfium")
    except _ReaderFailed:
        pass  # pdfium opened the file (read_pdf checked), so pdfplumber may read it
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path, password=password or "")
    except PDFPasswordIncorrect as err:
        raise InputError(path, "encrypted PDF: give the password with --password") from err
    except Exception as err:  # noqa: BLE001 - pdfminer raises many types for bad files
        raise InputError(path, f"damaged PDF ({type(err).__name__})") from err
    with pdf:
        try:
            return (*_layouts_from(pdfplumber_pages(pdf), deadline), "pdfplumber")
        except _ReaderFailed as failed:
            raise InputError(
                path, f"damaged PDF (page {failed.number}: {type(failed.error).__name__})"
            ) from failed.error


def _layouts_from(pages: Generator[PageContent, None, None], deadline: Deadline):
    """Layouts and grid boxes of every page a reader gives; its failures (any exception)
    come out as :class:`_ReaderFailed`, the deadline's as :class:`InputError`."""
    layouts: list[PageLayout] = []
    grids: dict[int, list[tuple[float, float, float, float]]] = {}
    with closing(pages):  # release the reader's document even on a deadline error
        while True:
            number = len(layouts) + 1
            deadline.check(f"reading page {number}")
            try:
                content = next(pages, None)
                if content is None:
                    break
                layout, boxes = _page_layout(content)
            except Exception as err:  # noqa: BLE001 - readers raise many types for bad files
                raise _ReaderFailed(number, err) from err
            layouts.append(layout)
            grids[content.number] = boxes
    return layouts, grids


def _page_layout(page: PageContent):
    """A page's lines and footnote-rule candidates, and the boxes of its ruled grids."""
    h_edges, v_edges = [], []
    for e in page.edges:
        if e.orientation == "h" and e.x1 - e.x0 >= 3:
            h_edges.append((e.x0, e.x1, e.top))
        elif e.orientation == "v" and e.bottom - e.top >= 3:
            v_edges.append((e.x0, e.top, e.bottom))
    boxes, loose = _grids(h_edges, v_edges)
    runs = _outside_grids(page.runs, boxes, page.split) if boxes else page.runs
    rules = [(top, x0, x1) for x0, x1, top in loose if x1 - x0 >= 20]
    lines = build_lines(runs, page.split)
    return PageLayout(page.number, page.width, page.height, lines, rules), boxes


def _outside_grids(runs: list[Run], boxes, split: Splitter) -> list[Run]:
    """The runs outside ruled grids (table cells are read by camelot, not as prose): a
    character is in a grid when its centre is. A run wholly inside or wholly outside is
    judged at once, one that crosses a grid's edge character by character."""
    kept: list[Run] = []
    for run in runs:
        middle = (run.top + run.bottom) / 2
        crossed = [b for b in boxes if b[0] <= run.right and run.left <= b[2]
                   and b[1] <= middle <= b[3]]
        if not crossed:
            kept.append(run)
        elif not any(x0 <= run.left and run.right <= x1 for x0, _, x1, _ in crossed):
            kept.extend(c for c in split(run) if not _centre_in(c, crossed))
    return kept


def _centre_in(run: Run, boxes) -> bool:
    """Whether a one-character run's centre lies in one of ``boxes``."""
    cx, cy = (run.x0 + run.x1) / 2, (run.top + run.bottom) / 2
    return any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in boxes)


def _grids(h_edges, v_edges, tol: float = 2.0):
    """Bounding boxes of ruled grids (≥2 horizontal and ≥2 vertical lines that cross),
    and the horizontal lines that belong to no grid (candidate footnote rules)."""
    n_h = len(h_edges)
    parent = list(range(n_h + len(v_edges)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (hx0, hx1, ht) in enumerate(h_edges):
        for j, (vx, vt, vb) in enumerate(v_edges):
            if hx0 - tol <= vx <= hx1 + tol and vt - tol <= ht <= vb + tol:
                parent[find(i)] = find(n_h + j)
    groups: dict[int, list[int]] = {}
    for i in range(len(parent)):
        groups.setdefault(find(i), []).append(i)
    boxes, in_grid = [], set()
    for members in groups.values():
        hs = [h_edges[i] for i in members if i < n_h]
        vs = [v_edges[i - n_h] for i in members if i >= n_h]
        if len(hs) < 2 or len(vs) < 2:
            continue
        x0 = min([h[0] for h in hs] + [v[0] for v in vs])
        x1 = max([h[1] for h in hs] + [v[0] for v in vs])
        top = min([h[2] for h in hs] + [v[1] for v in vs])
        bottom = max([h[2] for h in hs] + [v[2] for v in vs])
        if x1 - x0 < 30 or bottom - top < 10:
            continue
        boxes.append((x0 - 1, top - 1, x1 + 1, bottom + 1))
        in_grid.update(i for i in members if i < n_h)
    loose = [h for i, h in enumerate(h_edges) if i not in in_grid]
    return boxes, loose


def _assemble(layouts: list[PageLayout]) -> tuple[str, list[Page]]:
    """Document text page by page (body, then ``---`` and the page's footnotes)."""
    remove_running_lines(layouts)
    size = body_size(layouts)
    next_note = 1
    text = ""
    pages: list[Page] = []
    for layout in layouts:
        notes_before = bool(pages) and bool(layouts[len(pages) - 1].notes)
        body_lines, zone = split_notes(layout, size, next_note, notes_before)
        layout.body = body_paragraphs(body_lines, size)
        layout.notes, next_note = note_paragraphs(zone, next_note)
        parts = list(layout.body)
        if layout.notes:
            parts += ["---", *layout.notes]
        chunk = unicodedata.normalize("NFC", "\n\n".join(parts))
        if chunk and text:
            text += "\n\n"
        start = len(text)
        text += chunk
        pages.append(Page(layout.number, start, len(text)))
    return text + "\n", pages

"""Characters and ruling edges of PDF pages, and the character readers.

Both readers give :class:`PageContent` in pdfplumber's coordinates (points, origin at the
top-left of the displayed page, ``top``/``bottom`` growing downwards, ``/Rotate`` applied),
its text as :class:`~.pdf_layout.Run` objects:

- :mod:`.pdf_runs` (the default) reads runs from pdfium in bulk and uses
  :func:`pdfium_chars` here, pypdfium2's raw API a handful of C calls per character, for
  a page whose text it cannot take in one piece and to take a run apart;
- :func:`pdfplumber_pages`, the former reader, is kept as the fallback for a file that
  pdfium's text or path API cannot walk; its runs are single characters.

Conventions shared by both, which the layout pass relies on:

- a character's ``x0``/``x1`` run from its origin over its advance (pdfium's loose box
  may widen that by an accent overhang, never narrowing it); ``bottom`` is the font's
  descent below the baseline and ``top = bottom - size``, so a box is one font size
  high whatever the glyph; ``baseline`` is the origin's ``top`` coordinate;
- only characters of the content stream count: the spaces and line ends pdfium
  synthesises between words and lines (``FPDFText_IsGenerated``) are dropped, as
  pdfplumber never has them. pdfium also swaps some written spaces for synthesised ones
  (where a space ends one text object and a gap follows); those disappear too, which
  changes nothing as the layout pass puts a space at any gap wider than 0.15 em;
- pdfium splits ligatures (``ﬁ`` → ``f``, ``i``) and skips characters it cannot map to
  Unicode, where pdfplumber gives ``ﬁ`` and ``(cid:N)``;
- ``upright`` follows pdfminer: the glyph's x axis points right and its y axis up
  (within ±90°), after the page rotation; other characters are left out;
- pdfium's coordinates are relative to the MediaBox corner; pdfplumber's are not, and
  misplace text on pages whose MediaBox does not start at (0, 0);
- edges are the straight horizontal and vertical segments of every painted path
  (lines, rectangle sides, polygon sides, in form XObjects too); curves give none.
"""

from __future__ import annotations

import ctypes
import functools
import math
import unicodedata
from collections.abc import Collection, Generator, Iterable
from dataclasses import dataclass
from itertools import repeat

from .pdf_layout import BOLD_FONT, Run, Splitter, single_characters

EDGE_TOLERANCE = 0.01  # points: a segment this close to axis-parallel is an h/v edge


@dataclass(slots=True)
class PdfChar:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    baseline: float
    fontname: str
    upright: bool


@dataclass(slots=True)
class Edge:
    orientation: str  # "h" or "v"
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    runs: list[Run]
    edges: list[Edge]
    split: Splitter = single_characters  # takes a run apart into its characters


class DisplaySpace:
    """Maps PDF user space to pdfplumber's page space (``/Rotate`` as pdfminer does it,
    then the y axis flipped so that ``top`` is measured from the displayed top edge)."""

    def __init__(self, mediabox: tuple[float, float, float, float], quarter_turns: int) -> None:
        x0, y0, x1, y1 = mediabox
        turns = quarter_turns % 4
        # pdfminer's ctm for each /Rotate, as (a, b, c, d, e, f): x' = a x + c y + e
        self.a, self.b, self.c, self.d, self.e, self.f = [
            (1, 0, 0, 1, -x0, -y0),
            (0, -1, 1, 0, -y0, x1),
            (-1, 0, 0, -1, x1, y1),
            (0, 1, -1, 0, y1, -x0),
        ][turns]
        self.width, self.height = (x1 - x0, y1 - y0) if turns % 2 == 0 else (y1 - y0, x1 - x0)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, top) of a user-space point."""
        return (
            self.a * x + self.c * y + self.e,
            self.height - (self.b * x + self.d * y + self.f),
        )

    def linear(self, a: float, b: float, c: float, d: float) -> tuple[float, ...]:
        """A matrix's linear part followed by the rotation (pdfminer's glyph matrix)."""
        return (
            a * self.a + b * self.c,
            a * self.b + b * self.d,
            c * self.a + d * self.c,
            c * self.b + d * self.d,
        )


def char_runs(chars: Iterable[PdfChar]) -> list[Run]:
    """One run per upright character with text (each NFC-normalised on its own)."""
    runs: list[Run] = []
    bold_fonts: dict[str, bool] = {}
    for c in chars:
        if not c.upright or not c.text:
            continue
        bold = bold_fonts.get(c.fontname)
        if bold is None:
            bold = bold_fonts[c.fontname] = BOLD_FONT.search(c.fontname) is not None
        runs.append(
            Run(
                unicodedata.normalize("NFC", c.text),
                c.x0, c.x1, c.top, c.bottom, c.size or (c.bottom - c.top), c.baseline, bold,
                c.x0, c.x1,
            )
        )
    return runs


def pdfium_chars(
    textpage, space: DisplaySpace, first: int = 0, stop: int | None = None
) -> list[PdfChar]:
    """The content-stream characters of a text page, or of its indices ``first`` to
    ``stop`` (a hot loop: ~5 C calls a char)."""
    import pypdfium2.raw as raw

    get_unicode, is_generated = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
    get_origin, get_loose_box = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetLooseCharBox
    get_object = _address_returning(raw.FPDFText_GetTextObject)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    origin_x, origin_y = ctypes.byref(ox), ctypes.byref(oy)
    box = raw.FS_RECTF()
    box_ref = ctypes.byref(box)
    a, b, c, d, e, f, height = space.a, space.b, space.c, space.d, space.e, space.f, space.height
    styles: dict[int, tuple[float, str, bool]] = {}
    read_style = StyleReader(textpage, space)
    chars: list[PdfChar] = []
    count = raw.FPDFText_CountChars(textpage)
    skip = -1
    for i in range(first, count if stop is None else min(stop, count)):
        key = get_object(textpage, i)
        if key is None or i == skip or is_generated(textpage, i):
            continue  # pdfium's own spaces and line ends belong to no text object
        code = get_unicode(textpage, i)
        if code == 0:
            continue
        if 0xD800 <= code <= 0xDBFF and i + 1 < count:  # a UTF-16 pair: one character
            low = get_unicode(textpage, i + 1)
            if 0xDC00 <= low <= 0xDFFF:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                skip = i + 1
        style = styles.get(key)
        if style is None:
            style = styles[key] = read_style(i)
        size, fontname, upright = style
        get_origin(textpage, i, origin_x, origin_y)
        get_loose_box(textpage, i, box_ref)
        x, y = ox.value, oy.value
        left, right, low, high = box.left, box.right, box.bottom, box.top
        x0 = a * x + c * y + e
        x1 = max(a * left, a * right) + max(c * low, c * high) + e
        bottom = height - (min(b * left, b * right) + min(d * low, d * high) + f)
        chars.append(
            PdfChar(
                chr(code) if not 0xD800 <= code <= 0xDFFF else "\ufffd",
                x0,
                x1 if x1 > x0 else x0,
                bottom - size,
                bottom,
                size,
                height - (b * x + d * y + f),  # baseline
                fontname,
                upright,
            )
        )
    return chars


def _address_returning(function):
    """A copy of a pypdfium2 function returning a pointer that gives the address as an
    int (or None), much cheaper than casting its typed pointer result each call."""
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes = function.argtypes
    copy.restype = ctypes.c_void_p
    return copy


class StyleReader:
    """(size in points on the page, font name, upright) of the text object holding a
    character: the same for all of its characters, so read once per object."""

    def __init__(self, textpage, space: DisplaySpace) -> None:
        import pypdfium2.raw as raw

        self.raw, self.textpage, self.space = raw, textpage, space
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.flags = ctypes.byref(ctypes.c_int())
        self.buffer = ctypes.create_string_buffer(128)

    def __call__(self, index: int) -> tuple[float, str, bool]:
        raw, textpage, m = self.raw, self.textpage, self.matrix
        raw.FPDFText_GetMatrix(textpage, index, self.matrix_ref)
        a, b, c, d = self.space.linear(m.a, m.b, m.c, m.d)
        size = raw.FPDFText_GetFontSize(textpage, index) * math.hypot(c, d)
        buffer = self.buffer
        n = raw.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), self.flags)
        if n > len(buffer):  # the name did not fit (nothing was written): ask again
            buffer = ctypes.create_string_buffer(n)
            raw.FPDFText_GetFontInfo(textpage, index, buffer, n, self.flags)
        fontname = buffer.value.decode("utf-8", "replace") if n > 0 else ""
        # pdfminer: upright when the glyph keeps its orientation within a quarter turn
        return float(size), fontname, a * d > 0 and b * c <= 0


def pdfium_edges(page, space: DisplaySpace, text_objects: Collection = ()) -> list[Edge]:
    """The ruling edges of a page's paths. Text objects, most of a page's objects, are
    passed over in one batch of C calls, without asking the type of those known to be
    text objects already (``text_objects``, addresses): a prose page costs little."""
    import pypdfium2.raw as raw

    get_object, get_type = _page_object_calls()
    handle = ctypes.c_void_p(ctypes.cast(page, ctypes.c_void_p).value)
    n = raw.FPDFPage_CountObjects(page)
    objects = [obj for obj in map(get_object, repeat(handle, n), range(n))
               if obj not in text_objects]
    kinds = list(map(get_type, objects))
    edges: list[Edge] = []
    for address, kind in zip(objects, kinds, strict=True):
        if kind in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            obj = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
            _object_edges(obj, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), space, edges, depth=0)
    return edges


@functools.cache
def _page_object_calls():
    """FPDFPage_GetObject and FPDFPageObj_GetType without argument conversion (the
    object's address as an int in and out)."""
    import pypdfium2.raw as raw

    get_object = type(raw.FPDFPage_GetObject)(
        ctypes.cast(raw.FPDFPage_GetObject, ctypes.c_void_p).value
    )
    get_object.argtypes, get_object.restype = None, ctypes.c_void_p
    get_type = type(raw.FPDFPageObj_GetType)(
        ctypes.cast(raw.FPDFPageObj_GetType, ctypes.c_void_p).value
    )
    get_type.argtypes, get_type.restype = [ctypes.c_void_p], ctypes.c_int
    return get_object, get_type


def _compose(inner, outer) -> tuple[float, ...]:
    """The matrix applying ``inner`` then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer  # noqa: N806
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def _object_edges(obj, outer, space: DisplaySpace, edges: list[Edge], depth: int) -> None:
    import pypdfium2.raw as raw

    kind = raw.FPDFPageObj_GetType(obj)
    if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM) or depth > 8:
        return
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        raise RuntimeError("pdfium could not read a page object's matrix")
    matrix = _compose((m.a, m.b, m.c, m.d, m.e, m.f), outer)
    if kind == raw.FPDF_PAGEOBJ_FORM:
        for j in range(raw.FPDFFormObj_CountObjects(obj)):
            _object_edges(raw.FPDFFormObj_GetObject(obj, j), matrix, space, edges, depth + 1)
        return
    a, b, c, d, e, f = matrix
    px, py = ctypes.c_float(), ctypes.c_float()
    start = current = None
    for j in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, j)
        raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(px), ctypes.byref(py))
        x, y = px.value, py.value
        point = space.point(a * x + c * y + e, b * x + d * y + f)
        step = raw.FPDFPathSegment_GetType(segment)
        if step == raw.FPDF_SEGMENT_MOVETO or current is None:
            start = point
        elif step == raw.FPDF_SEGMENT_LINETO:
            _add_edge(current, point, edges)
        current = point  # a Bézier's control points are skipped: it draws no rule
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            _add_edge(current, start, edges)
            current = start


def _add_edge(p: tuple[float, float], q: tuple[float, float], edges: list[Edge]) -> None:
    (x0, t0), (x1, t1) = p, q
    if abs(t0 - t1) <= EDGE_TOLERANCE:
        edges.append(Edge("h", min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1)))
    elif abs(x0 - x1) <= EDGE_TOLERANCE:
        edges.append(Edge("v", min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1)))


def pdfplumber_pages(pdf) -> Generator[PageContent, None, None]:
    """The same pages read from an open ``pdfplumber.PDF`` (slower; the fallback)."""
    for number, page in enumerate(pdf.pages, 1):
        chars = []
        for c in page.chars:
            m = c.get("matrix") or (1, 0, 0, 1, 0, c["y0"])
            chars.append(
                PdfChar(
                    text=c["text"],
                    x0=c["x0"],
                    x1=c["x1"],
                    top=c["top"],
                    bottom=c["bottom"],
                    size=float(c.get("size") or (c["bottom"] - c["top"])),
                    baseline=c["bottom"] + (c["y0"] - m[5]),
                    fontname=c.get("fontname") or "",
                    upright=bool(c.get("upright", True)),
                )
            )
        edges = [
            Edge(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"])
            for e in page.edges
            if e["orientation"] in ("h", "v")
        ]
        runs = char_runs(chars)
        content = PageContent(number, float(page.width), float(page.height), runs, edges)
        page.flush_cache()
        yield content

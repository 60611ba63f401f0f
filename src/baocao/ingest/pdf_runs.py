"""Text runs of PDF pages read from pdfium in bulk, the input of :mod:`.pdf_layout`.

Reading every character's box, size and font one C call at a time costs several times
what pdfium needs to dump the text. This reader asks per page for the whole text in one
call and then only for what changes between runs:

- the page text (``FPDFText_GetText``) holds one UTF-16 unit per character index when the
  page has no control or astral characters (checked; such a page is read character by
  character instead, as :func:`.pdf_chars.pdfium_chars` does);
- pdfium writes its own spaces and line ends between words and lines (generated
  characters, belonging to no text object): only the text's spaces and line ends are
  asked whether they are, and they cut the text into segments (as do characters without
  a Unicode value, which the character reader skips too);
- a text object's characters are consecutive, so a segment is one object when its first
  and last characters are; otherwise the object boundaries are found by bisection, asking
  only a few characters for their object;
- per run (a text object's part of a segment) the origin of its first and the loose box
  of its last visible character give its extent and baseline, and its size, boldness and
  orientation come from its font, font size and matrix (computed once per combination).

The calls go to pdfium in batches (``map`` over prepared pointers into C arrays, the
index work in numpy), never one Python object per character. The runs hold the same
characters as :func:`.pdf_chars.pdfium_chars` reads, with the same coordinates at their
ends. A run is one unit for the layout: its characters are not compared with each other,
so a gap inside one text object (kerning in a ``TJ`` array) makes a space only where
pdfium writes one there (pdfium's threshold, about half a space, where the character
reader used 0.15 em). Runs that overlap on a line, or cross a ruled grid, are taken apart
character by character (``PageContent.split``), which keeps overprinted and interleaved
text exact.
"""

from __future__ import annotations

import ctypes
import math
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Generator
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np

from .pdf_chars import DisplaySpace, PageContent, char_runs, pdfium_chars, pdfium_edges
from .pdf_layout import BOLD_FONT, Run

SURROGATE = re.compile(r"[\ud800-\udfff]")
# str.isspace() of every UTF-16 unit, as a lookup table (tests check it against Python)
SPACE_CODES = (
    *range(9, 14), *range(28, 33), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B),
    0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
)
SPACES = np.zeros(0x10000, dtype=bool)
SPACES[list(SPACE_CODES)] = True


def pdfium_pages(path: str, password: str | None = None) -> Generator[PageContent, None, None]:
    """Every page's runs and edges, read with pdfium. Raises whatever pypdfium2 raises on a
    file it cannot read (the caller falls back to pdfplumber). A page's text stays open
    until the next page is asked for, so that ``PageContent.split`` can read characters."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path, password=password)
    styles, fonts = {}, {}  # shared by the document's pages
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                space = DisplaySpace(page.get_mediabox(), page.get_rotation() // 90)
                textpage = page.get_textpage()
                try:
                    reader = RunReader(textpage.raw, space, styles=styles, fonts=fonts)
                    runs = reader.runs()
                    edges = pdfium_edges(page.raw, space, reader.text_objects)
                    size = (space.width, space.height)
                    yield PageContent(index + 1, *size, runs, edges, reader.split)
                finally:
                    textpage.close()
            finally:
                page.close()
    finally:
        pdf.close()


def _fast(function, restype, argtypes=None):
    """A copy of a pypdfium2 function without its argument conversion: calls take ints and
    ready-made pointers, two to three times cheaper than through its declared types.
    Only for functions whose arguments are pointers and C ints (never size_t)."""
    copy = type(function)(ctypes.cast(function, ctypes.c_void_p).value)
    copy.argtypes = argtypes
    copy.restype = restype
    return copy


class _Calls:
    """The pdfium functions called per run or per cut candidate, in their fast form."""

    def __init__(self) -> None:
        import pypdfium2.raw as raw

        self.count_chars = _fast(raw.FPDFText_CountChars, ctypes.c_int)
        self.get_text = _fast(raw.FPDFText_GetText, ctypes.c_int)
        self.text_object = _fast(raw.FPDFText_GetTextObject, ctypes.c_void_p)
        self.is_generated = _fast(raw.FPDFText_IsGenerated, ctypes.c_int)
        self.origin = _fast(raw.FPDFText_GetCharOrigin, ctypes.c_int)
        self.loose_box = _fast(raw.FPDFText_GetLooseCharBox, ctypes.c_int)
        self.font_size = _fast(raw.FPDFText_GetFontSize, ctypes.c_double)
        self.matrix = _fast(raw.FPDFText_GetMatrix, ctypes.c_int)
        self.font = _fast(raw.FPDFTextObj_GetFont, ctypes.c_void_p, [ctypes.c_void_p])


_CALLS: _Calls | None = None


def _calls() -> _Calls:
    """The fast functions, made on first use (importing pypdfium2 is not free)."""
    global _CALLS
    if _CALLS is None:
        _CALLS = _Calls()
    return _CALLS


BATCH = 2048  # characters asked per batch of calls: bounds the slots whatever the page


class _Slots:
    """C arrays that a batch of calls writes into, with a ready pointer to each element
    (making pointers costs more than the call they serve), made once per thread."""

    def __init__(self, n: int = BATCH) -> None:
        self.xs, self.ys = (ctypes.c_double * n)(), (ctypes.c_double * n)()
        self.boxes = (ctypes.c_float * (4 * n))()
        self.matrices = (ctypes.c_float * (6 * n))()
        self.x_ptrs = _pointers(self.xs, 8, n)
        self.y_ptrs = _pointers(self.ys, 8, n)
        self.box_ptrs = _pointers(self.boxes, 16, n)
        self.matrix_ptrs = _pointers(self.matrices, 24, n)


def _batches(items: list) -> list[list]:
    """``items`` in slices of at most :data:`BATCH` (one empty slice for no items)."""
    return [items[i : i + BATCH] for i in range(0, len(items), BATCH)] or [[]]


_LOCAL = threading.local()


def _slots() -> _Slots:
    """This thread's slots (created once: a thread reads one page at a time)."""
    slots = getattr(_LOCAL, "slots", None)
    if slots is None:
        slots = _LOCAL.slots = _Slots()
    return slots


def _pointers(array, stride: int, n: int) -> list[ctypes.c_void_p]:
    """A pointer to each of the ``n`` elements (``stride`` bytes apart) of a C array."""
    base = ctypes.addressof(array)
    return [ctypes.c_void_p(base + stride * i) for i in range(n)]


@dataclass(slots=True)
class _Style:
    size: float
    bold: bool
    upright: bool
    boxed: bool  # pdfium gives its characters loose boxes one font size high (sound metrics)


@dataclass
class RunReader:
    """Reads the runs of one text page (``textpage``: a raw ``FPDF_TEXTPAGE``)."""

    textpage: object
    space: DisplaySpace
    slots: _Slots = field(default_factory=_slots)
    styles: dict[tuple, _Style] = field(default_factory=dict)
    fonts: dict[int | None, tuple[str, bool]] = field(default_factory=dict)
    calls: _Calls = field(default_factory=_calls)

    def __post_init__(self) -> None:
        """The text page as a plain pointer (the fast calls' first argument)."""
        self.handle = ctypes.c_void_p(ctypes.cast(self.textpage, ctypes.c_void_p).value)
        self.objects: dict[int, int | None] = {}  # character index -> its text object
        self.spaces: list[int] = []  # written (kept) spaces, ascending
        self.text_objects: set[int | None] = set()  # the text objects of the page's runs

    def runs(self) -> list[Run]:
        """The page's runs; character by character when the page text is not one unit
        per character index."""
        count = self.calls.count_chars(self.handle)
        text = self._page_text(count)
        if text is None:
            return char_runs(pdfium_chars(self.textpage, self.space))
        return self._runs(text, *self._pieces(text, *self._segments(text)))

    def split(self, run: Run) -> list[Run]:
        """``run`` as one run per character (pdfium's per-character boxes)."""
        if run.span is None:
            return [run]
        first, last = run.span
        return char_runs(pdfium_chars(self.textpage, self.space, first, last + 1))

    # -- the page text and where it is cut ------------------------------------------------

    def _page_text(self, count: int) -> str | None:
        """All characters of the page, one per index, or None when pdfium's text is not
        aligned with its character indices (control or astral characters)."""
        if count <= 0:
            self.codes = np.zeros(0, np.uint16)
            return ""
        buffer = ctypes.create_string_buffer(4 * count + 4)  # room for surrogate pairs
        written = self.calls.get_text(self.handle, 0, count, buffer)
        text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", "surrogatepass")
        if len(text) != count or SURROGATE.search(text):
            return None
        self.codes = np.frombuffer(buffer, np.uint16, count)
        return text

    def _segments(self, text: str) -> tuple[list[int], list[int]]:
        """The first and the last index of each stretch between characters the layout skips:
        pdfium's generated spaces and line ends, and characters without a Unicode value
        (the cases :func:`pdfium_chars` skips: a generated character is the only kind
        pdfium keeps no text object for). The written spaces, kept inside the stretches,
        are listed in ``self.spaces``."""
        handle, codes = self.handle, self.codes
        # the characters pdfium may have generated: spaces between words, CR LF between lines
        candidates = np.flatnonzero((codes == 32) | (codes == 13) | (codes == 10)).tolist()
        generated = list(map(self.calls.is_generated, repeat(handle, len(candidates)), candidates))
        cuts = candidates
        self.spaces = []
        if not all(generated):
            self.spaces = [i for i, gen in zip(candidates, generated, strict=True) if not gen]
            cuts = [i for i, gen in zip(candidates, generated, strict=True) if gen]
        if "\x00" in text:
            cuts = sorted(cuts + np.flatnonzero(codes == 0).tolist())
        bounds = np.array([-1, *cuts, len(text)])
        firsts, lasts = bounds[:-1] + 1, bounds[1:] - 1
        keep = lasts >= firsts
        return firsts[keep].tolist(), lasts[keep].tolist()

    def _pieces(self, text: str, starts: list[int], ends: list[int]):
        """(starts, ends, text objects) of each text object's part of each segment, given
        the segments' starts and ends. A text object's characters are consecutive, so a
        segment whose first and last characters share an object is that object's
        throughout."""
        handle, text_object = repeat(self.handle), self.calls.text_object
        keys = list(map(text_object, handle, starts))
        last_keys = list(map(text_object, handle, ends))
        if keys != last_keys:
            mixed = [k for k, (a, b) in enumerate(zip(keys, last_keys, strict=True)) if a != b]
            for k in reversed(mixed):  # splice from the end: earlier indices stay valid
                first, last = starts[k], ends[k]
                self.objects[first], self.objects[last] = keys[k], last_keys[k]
                parts = self._objects(text, first, last)
                starts[k : k + 1] = [start for start, _, _ in parts]
                ends[k : k + 1] = [end for _, end, _ in parts]
                keys[k : k + 1] = [key for _, _, key in parts]
        self.text_objects = set(keys)
        return starts, ends, keys

    def _object_of(self, index: int) -> int | None:
        """The text object (its address) of character ``index``, asked once."""
        if index not in self.objects:
            self.objects[index] = self.calls.text_object(self.handle, index)
        return self.objects[index]

    def _objects(self, text: str, first: int, last: int):
        """The pieces of a segment of several text objects: boundaries are found by
        bisection between characters of different objects, starting from the segment's
        ends and its written spaces (where a word's object usually ends)."""
        spaces = self.spaces[bisect_right(self.spaces, first) : bisect_left(self.spaces, last)]
        probes = [first, *spaces, last]
        starts = [first]
        for p, q in zip(probes, probes[1:], strict=False):
            self._boundaries(text, p, q, starts)
        ends = [s - 1 for s in starts[1:]] + [last]
        return [(s, e, self._object_of(s)) for s, e in zip(starts, ends, strict=True)]

    def _boundaries(self, text: str, p: int, q: int, starts: list[int]) -> None:
        """Append to ``starts`` every index in (p, q] where a new text object begins."""
        if q <= p or self._object_of(p) == self._object_of(q):
            return
        if q == p + 1:
            starts.append(q)
            return
        # a word's space usually closes its object: try just after a space first
        middle = p + 1 if text[p].isspace() else (p + q) // 2
        self._boundaries(text, p, middle, starts)
        self._boundaries(text, middle, q, starts)

    # -- the runs ---------------------------------------------------------------------------

    def _runs(self, text: str, starts: list[int], ends: list[int], keys) -> list[Run]:
        """A run per piece, from batched calls: the origin of its first and the loose box
        of its last visible character (and of its first and last characters when those
        are spaces), its text object's size, matrix and font."""
        n = len(starts)
        if not n:
            return []
        firsts, lasts, leads, trails = self._visible_ends(text, starts, ends)
        xs, baselines = self._origins(firsts + [i for _, i in leads])
        rights, bottoms = self._right_bottoms(lasts + [i for _, i in trails])
        x0, x1 = np.array(xs[:n]), np.array(rights[:n])
        left, right = x0.copy(), x1.copy()
        for j, (k, _) in enumerate(leads):
            left[k] = xs[n + j]
        for j, (k, _) in enumerate(trails):
            right[k] = rights[n + j]
        styles = self._styles(starts, keys)
        sizes = [style.size for style in styles]
        if not (text.isascii() or unicodedata.is_normalized("NFC", text)):
            texts = [_as_read(text[s : e + 1]) for s, e in zip(starts, ends, strict=True)]
        else:  # each piece, and each of its characters, is NFC already
            texts = [text[s : e + 1] for s, e in zip(starts, ends, strict=True)]
        runs = list(map(
            Run, texts, x0.tolist(), np.maximum(x1, x0).tolist(),
            (np.array(bottoms[:n]) - sizes).tolist(), bottoms[:n], sizes, baselines[:n],
            [style.bold for style in styles], left.tolist(), np.maximum(right, left).tolist(),
            (np.array(ends) - starts + 1).tolist(), zip(starts, ends, strict=True),
        ))
        # read character by character: a font without sound metrics (pdfium then gives
        # each glyph its own box, so the last one's bottom is not the run's), and a run
        # whose last character is not on its first one's line (vertical writing)
        bottom_gap = np.array(bottoms[:n]) - baselines[:n]
        odd = (bottom_gap < -1e-3) | (bottom_gap > np.array(sizes) + 1e-3)
        odd |= ~np.array([style.boxed for style in styles])
        if odd.any() or None in keys or not all(style.upright for style in styles):
            runs = self._exceptions(runs, keys, styles, odd.tolist())
        return runs

    def _visible_ends(self, text: str, starts: list[int], ends: list[int]):
        """First and last visible character of each piece (a piece of spaces only: its
        first and last), and (piece, character) for the pieces starting or ending with
        spaces: their first and last characters, measured too."""
        firsts, lasts = list(starts), list(ends)
        leads, trails = [], []
        space = SPACES[self.codes]
        for k in np.flatnonzero(space[starts] | space[ends]).tolist():
            chars = text[starts[k] : ends[k] + 1]
            if not chars.isspace():
                firsts[k] += len(chars) - len(chars.lstrip())
                lasts[k] -= len(chars) - len(chars.rstrip())
                if firsts[k] != starts[k]:
                    leads.append((k, starts[k]))
                if lasts[k] != ends[k]:
                    trails.append((k, ends[k]))
        return firsts, lasts, leads, trails

    def _exceptions(self, runs: list[Run], keys, styles, odd: list[bool]) -> list[Run]:
        """Drop the runs of glyphs that are not upright; read character by character (as
        pdfium_chars does) a piece pdfium keeps no text object for, or whose font has no
        sound metrics (its characters' boxes differ)."""
        out: list[Run] = []
        for run, key, style, odd_box in zip(runs, keys, styles, odd, strict=True):
            if key is None or (odd_box and style.upright):
                out.extend(self.split(run))
            elif style.upright:
                out.append(run)
        return out

    def _origins(self, indices: list[int]) -> tuple[list[float], list[float]]:
        """(x, baseline) of characters' origins on the displayed page."""
        slots, s = self.slots, self.space
        xs: list[float] = []
        baselines: list[float] = []
        for batch in _batches(indices):
            n = len(batch)
            list(map(self.calls.origin, repeat(self.handle, n), batch, slots.x_ptrs, slots.y_ptrs))
            x, y = np.frombuffer(slots.xs, count=n), np.frombuffer(slots.ys, count=n)
            xs += (s.a * x + s.c * y + s.e).tolist()
            baselines += (s.height - (s.b * x + s.d * y + s.f)).tolist()
        return xs, baselines

    def _right_bottoms(self, indices: list[int]) -> tuple[list[float], list[float]]:
        """(right, bottom) of characters' loose boxes on the displayed page."""
        slots, s = self.slots, self.space
        rights: list[float] = []
        bottoms: list[float] = []
        for batch in _batches(indices):
            n = len(batch)
            list(map(self.calls.loose_box, repeat(self.handle, n), batch, slots.box_ptrs))
            box = np.frombuffer(slots.boxes, np.float32, 4 * n).reshape(n, 4).astype(np.float64)
            left, high, right, low = box[:, 0], box[:, 1], box[:, 2], box[:, 3]
            x1 = np.maximum(s.a * left, s.a * right) + np.maximum(s.c * low, s.c * high) + s.e
            bottom = s.height - (
                np.minimum(s.b * left, s.b * right) + np.minimum(s.d * low, s.d * high) + s.f
            )
            rights += x1.tolist()
            bottoms += bottom.tolist()
        return rights, bottoms

    def _styles(self, starts: list[int], keys: list[int | None]) -> list[_Style]:
        """Each piece's size on the page, boldness and orientation, computed once per
        font, font size and matrix."""
        slots, calls, handle, styles = self.slots, self.calls, self.handle, self.styles
        out: list[_Style] = []
        for first in range(0, len(starts), BATCH):
            batch = starts[first : first + BATCH]
            n = len(batch)
            sizes = list(map(calls.font_size, repeat(handle, n), batch))
            list(map(calls.matrix, repeat(handle, n), batch, slots.matrix_ptrs))
            fonts = list(map(calls.font, keys[first : first + BATCH]))
            m = slots.matrices[: 6 * n]
            out += [
                styles.get(key) or styles.setdefault(key, self._style(*key))
                for key in zip(fonts, sizes, m[0::6], m[1::6], m[2::6], m[3::6], strict=True)
            ]
        return out

    def _style(self, font: int | None, font_size: float, ma, mb, mc, md) -> _Style:
        """Size on the displayed page, boldness (by the font's name) and orientation, as
        :class:`.pdf_chars.StyleReader` computes them for the character reader."""
        a, b, c, d = self.space.linear(ma, mb, mc, md)
        size = float(font_size * math.hypot(c, d))
        # pdfminer: upright when the glyph keeps its orientation within a quarter turn
        upright = a * d > 0 and b * c <= 0
        name, sound = self._font(font)
        # pdfium falls back to each glyph's own box without a font size or font metrics
        boxed = sound and abs(font_size) > 1e-6
        return _Style(size, BOLD_FONT.search(name) is not None, upright, boxed)

    def _font(self, font: int | None) -> tuple[str, bool]:
        """A font's base name (``ABCDEF+DejaVuSerif-Bold``) and whether its metrics are
        sound (ascent and descent differ), read once per font."""
        known = self.fonts.get(font)
        if known is None:
            known = self.fonts[font] = _font_facts(font)
        return known


def _font_facts(font: int | None) -> tuple[str, bool]:
    """(base name, sound metrics) of a font (its address): pdfium's loose boxes are one
    font size high only when the font's ascent and descent differ."""
    if font is None:
        return "", False
    import pypdfium2.raw as raw

    handle = ctypes.cast(font, raw.FPDF_FONT)
    name = ""
    n = raw.FPDFFont_GetBaseFontName(handle, None, 0)
    if n > 0:
        buffer = ctypes.create_string_buffer(n)
        raw.FPDFFont_GetBaseFontName(handle, buffer, n)
        name = buffer.value.decode("utf-8", "replace")
    ascent, descent = ctypes.c_float(), ctypes.c_float()
    known = raw.FPDFFont_GetAscent(handle, 1000.0, ctypes.byref(ascent)) and (
        raw.FPDFFont_GetDescent(handle, 1000.0, ctypes.byref(descent))
    )
    return name, bool(known) and ascent.value != descent.value


def _as_read(chars: str) -> str:
    """Characters as :func:`.pdf_chars.pdfium_chars` gives them: each NFC-normalised on
    its own (a decomposed accent stays a separate character until the page is joined)."""
    if unicodedata.is_normalized("NFC", chars):
        return chars
    return "".join(unicodedata.normalize("NFC", c) for c in chars)

"""Page layout of a PDF text layer: runs → lines → paragraphs and footnotes.

Works on plain text runs (text, position, size, bold), so it does not depend on the tool
that wrote the PDF (Word, LibreOffice, reportlab, browsers). A :class:`Run` is a stretch of
characters on one baseline in one style: a whole text object's stretch between pdfium's
word and line breaks, or a single character (the pdfplumber reader, or a run taken apart
because it overlaps another). Every decision is made per run or per line:

- lines are runs sharing a baseline; a smaller or raised line whose baseline sits just
  above a line's baseline is that line's superscript (a footnote marker, or the 3 of m³),
  written ``<sup>3</sup>``;
- within a line, a space goes where a run holds a space or where the gap between two runs
  is wider than 0.15 em; runs that overlap each other are taken apart into characters
  first, so overprinted (fake bold) and interleaved text reads as it did character by
  character;
- running headers and footers are lines in the top or bottom band of the page that
  repeat on many pages once digits are masked, or that are bare page numbers;
- the footnote zone is what lies below a short horizontal rule in the lower part of
  the page, or else a run of smaller-font lines at the page bottom starting with a
  marker; a footnote starts at a line that begins with a marker, zone text before the
  first marker continues the previous page's last footnote;
- paragraphs break on extra vertical space, a first-line indent, a short last line of
  justified text, or a change between bold and regular type; all-bold short paragraphs
  are headings (``###``).
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter, eq, ge

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)
BULLET = re.compile(r"[-–+•·]\s")
PAGE_NUMBER = re.compile(
    r"^(?:trang|page|tr\.)?\s*[-–—]?\s*\d{1,4}\s*(?:(?:/|of|trên)\s*\d{1,4})?\s*[-–—]?$",
    re.I,
)


@dataclass(slots=True)
class Run:
    """Characters on one baseline in one style, in reading order.

    ``text`` may hold spaces (a text object often carries its word spaces), never a line
    break. ``x0``/``x1`` bound its visible (non-space) characters, ``left``/``right`` all of
    them; a run of spaces only has ``x0 == left`` and ``x1 == right``. ``count`` is the
    number of characters it stands for (weights the line's baseline and the body size).
    ``span`` locates the characters for :data:`Splitter` (None: one character already).
    """

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    baseline: float
    bold: bool
    left: float
    right: float
    count: int = 1
    span: tuple[int, int] | None = None
    sup: bool = False


# attribute getters for C-speed passes over a line's runs (map, min, max, sorted)
_X0, _X1, _LEFT, _RIGHT = (attrgetter(name) for name in ("x0", "x1", "left", "right"))
_TOP, _BOTTOM, _BASELINE = (attrgetter(name) for name in ("top", "bottom", "baseline"))
_TEXT, _SIZE, _BOLD, _COUNT = (attrgetter(name) for name in ("text", "size", "bold", "count"))

# Takes a run apart into one run per character (pdfium's exact per-character boxes).
Splitter = Callable[[Run], list[Run]]


def single_characters(run: Run) -> list[Run]:
    """The :data:`Splitter` of a reader whose runs are single characters already."""
    return [run]


@dataclass(slots=True)
class Line:
    runs: list[Run]
    baseline: float
    size: float
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    text: str = ""
    bold: bool = False
    marker: int | None = None  # number of a superscript marker opening the line

    @property
    def char_count(self) -> int:
        """Characters on the line (runs stand for several)."""
        return sum(map(_COUNT, self.runs))

    def finish(self, split: Splitter) -> Line:
        """Order the runs, drop overprinted duplicates, measure and render the line."""
        self.runs = _dedupe(_untangle(self.runs, split))
        visible = self.runs
        if any(map(str.isspace, map(_TEXT, visible))):
            visible = [r for r in self.runs if not r.text.isspace()] or self.runs
        self.x0 = min(map(_X0, visible))
        self.x1 = max(map(_X1, visible))
        self.top = min(map(_TOP, visible))
        self.bottom = max(map(_BOTTOM, visible))
        body = [r for r in visible if not r.sup] or visible
        self.bold = all(map(_BOLD, body))
        self.text = _render(self.runs, self.size)
        m = re.match(r"<sup>(\d{1,3})</sup>", self.text)
        self.marker = int(m.group(1)) if m else None
        return self


@dataclass
class PageLayout:
    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (top, x0, x1)
    body: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _untangle(runs: list[Run], split: Splitter) -> list[Run]:
    """Runs in left-to-right order; runs whose extents overlap are first taken apart into
    characters, so that interleaved or overprinted text is ordered character by
    character (a run is otherwise one unit, its characters in its own order)."""
    if all(map(ge, map(_LEFT, runs[1:]), map(_RIGHT, runs))):
        return runs  # in order and apart: the usual line
    runs = sorted(runs, key=_LEFT)
    if all(run.span is None for run in runs):
        return runs
    reach = float("-inf")
    for run in runs:
        if run.left < reach:
            break
        if run.right > reach:
            reach = run.right
    else:
        return runs
    overlapping = [
        any(a is not b and a.left < b.right and b.left < a.right for b in runs) for a in runs
    ]
    parts: list[Run] = []
    for run, overlaps in zip(runs, overlapping, strict=True):
        if overlaps and run.span is not None:
            for char in split(run):
                char.sup = run.sup
                parts.append(char)
        else:
            parts.append(run)
    return sorted(parts, key=_LEFT)


def _dedupe(runs: list[Run]) -> list[Run]:
    """Drop runs printed twice at the same place (fake bold by overprinting)."""
    texts = list(map(_TEXT, runs))
    if not any(map(eq, texts, texts[1:])):
        return runs
    out: list[Run] = []
    for r in runs:
        if out and r.text == out[-1].text and abs(r.left - out[-1].left) < 0.1 * max(r.size, 1):
            continue
        out.append(r)
    return out


def _render(runs: list[Run], size: float) -> str:
    """Text of one line: spaces from gaps or space characters, superscripts marked."""
    out: list[str] = []
    prev: Run | None = None
    pending_space = False
    in_sup = False
    gap = 0.15 * size
    for r in runs:
        text = r.text
        if text.isspace():
            pending_space = True
            continue
        if prev is not None and (pending_space or text[0].isspace() or r.x0 - prev.x1 > gap):
            if in_sup:
                out.append("</sup>")
                in_sup = False
            out.append(" ")
        if r.sup != in_sup:
            out.append("<sup>" if r.sup else "</sup>")
            in_sup = r.sup
        words = text.split()
        out.append(words[0] if len(words) == 1 else ("</sup> <sup>" if r.sup else " ").join(words))
        prev, pending_space = r, text[-1].isspace()
    if in_sup:
        out.append("</sup>")
    return "".join(out).strip()


def build_lines(runs: list[Run], split: Splitter = single_characters) -> list[Line]:
    """Group runs into lines by baseline; attach raised small lines as superscripts."""
    if not runs:
        return []
    # by baseline, then left: two stable sorts on one float each are much faster
    runs = sorted(sorted(runs, key=_LEFT), key=_BASELINE)
    groups: list[list[Run]] = [[runs[0]]]
    ref = runs[0]
    for r in runs[1:]:
        if r.baseline == ref.baseline or (
            abs(r.baseline - ref.baseline) <= 0.15 * max(r.size, ref.size, 1.0)
        ):
            groups[-1].append(r)
        else:
            groups.append([r])
            ref = r
    lines = [Line(g, _median_baseline(g), max(map(_SIZE, g))) for g in groups]
    for line in lines:
        line.x0 = min(map(_LEFT, line.runs))
        line.x1 = max(map(_RIGHT, line.runs))
    baselines = [line.baseline for line in lines]  # ascending: groups follow baselines
    reach = 0.8 * max(line.size for line in lines) + 1.0  # deepest raise, and a margin
    kept: list[Line] = []
    for line in lines:
        below = lines[
            bisect_right(baselines, line.baseline) : bisect_right(baselines, line.baseline + reach)
        ]
        host = _superscript_host(line, below)
        if host is None:
            kept.append(line)
            continue
        for r in line.runs:
            r.sup = True
        host.runs.extend(line.runs)
    finished = sorted((line.finish(split) for line in kept), key=attrgetter("x0"))
    return sorted(finished, key=attrgetter("baseline"))


def _median_baseline(runs: list[Run]) -> float:
    """The median baseline of a line's characters (each run weighs its character count)."""
    first = runs[0].baseline
    if all(r.baseline == first for r in runs):
        return first
    values = sorted((r.baseline, r.count) for r in runs)
    total = sum(count for _, count in values)
    upper = _value_at(values, total // 2)
    if total % 2:
        return upper
    return (_value_at(values, total // 2 - 1) + upper) / 2


def _value_at(values: list[tuple[float, int]], index: int) -> float:
    """The ``index``-th value (0-based) of the multiset of (value, count) pairs."""
    for value, count in values:
        if index < count:
            return value
        index -= count
    raise IndexError(index)


def _superscript_host(small: Line, lines: list[Line]) -> Line | None:
    """The line ``small`` is a superscript of, if any, among ``lines`` (the first of the
    least raised hosts)."""
    best = None
    for host in lines:
        if host is small or host.size <= 0:
            continue
        raise_by = host.baseline - small.baseline
        if not (0.12 * host.size <= raise_by <= 0.8 * host.size):
            continue
        if small.size > 0.85 * host.size and raise_by < 0.25 * host.size:
            continue
        if small.size > host.size:
            continue
        if small.x0 < host.x0 - 3 * host.size or small.x1 > host.x1 + 3 * host.size:
            continue
        if best is None or raise_by < best.baseline - small.baseline:
            best = host
    return best


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(re.sub(r"</?sup>", "", text).lower().split()))


def remove_running_lines(pages: list[PageLayout]) -> None:
    """Drop running headers/footers and page numbers from every page, in place."""
    band = 0.12
    counts: Counter[str] = Counter()
    for page in pages:
        seen = set()
        for line in page.lines:
            if _in_band(line, page, band):
                seen.add(_mask(line.text))
        counts.update(seen)
    need = max(2, round(0.4 * len(pages)))
    for page in pages:
        page.lines = [
            ln
            for ln in page.lines
            if not (
                _in_band(ln, page, band)
                and (counts[_mask(ln.text)] >= need or PAGE_NUMBER.match(_plain(ln.text)))
            )
        ]


def _in_band(line: Line, page: PageLayout, band: float) -> bool:
    return line.bottom < band * page.height or line.top > (1 - band) * page.height


def _plain(text: str) -> str:
    return re.sub(r"</?sup>", "", text).strip()


def body_size(pages: list[PageLayout]) -> float:
    """The font size most characters of the document are set in."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[round(line.size * 2) / 2] += line.char_count
    return sizes.most_common(1)[0][0] if sizes else 0.0


def split_notes(
    page: PageLayout, size: float, next_note: int, notes_before: bool = False
) -> tuple[list[Line], list[Line]]:
    """(body lines, footnote-zone lines) of a page. ``notes_before``: the previous page
    ended with footnotes, so a page of nothing but small-font notes (endnotes running
    over) is all zone."""
    lines = page.lines
    if not lines:
        return [], []
    for rule_top, rx0, rx1 in sorted(page.rules, reverse=True):
        if rx1 - rx0 > 0.6 * page.width or rule_top < 0.4 * page.height:
            continue
        below = [ln for ln in lines if ln.top >= rule_top - 1]
        above = [ln for ln in lines if ln.top < rule_top - 1]
        if below and above and (below[0].marker is not None or below[0].size < 0.95 * size):
            return above, below
    # no rule: a bottom run of smaller lines that contains a marker
    start = len(lines)
    while start > 0 and lines[start - 1].size <= 0.92 * size:
        start -= 1
    zone = lines[start:]
    opens_with_note = bool(zone) and _note_number(zone[0], next_note) is not None
    if zone and (start > 0 or (notes_before and opens_with_note)) and any(
        _note_number(ln, next_note) is not None for ln in zone
    ):
        return lines[:start], zone
    return lines, []


def _note_number(line: Line, expected: int) -> int | None:
    if line.marker is not None:
        return line.marker
    m = re.match(r"(\d{1,3})[\s.)]", line.text)
    if m and int(m.group(1)) == expected:
        return expected
    return None


def note_paragraphs(zone: list[Line], next_note: int) -> tuple[list[str], int]:
    """Footnote paragraphs (``<sup>n</sup> text``) of a zone; returns the next number."""
    paras: list[list[str]] = []
    for line in zone:
        number = _note_number(line, next_note)
        if number is not None:
            text = line.text
            if line.marker is None:
                text = re.sub(r"^\d{1,3}[\s.)]\s*", f"<sup>{number}</sup> ", text)
            else:
                text = re.sub(r"^<sup>(\d+)</sup>\s*", r"<sup>\1</sup> ", text)
            paras.append([text])
            next_note = number + 1
        elif paras:
            paras[-1].append(line.text)
        else:
            paras.append([line.text])  # continuation of the previous page's last note
    return [" ".join(p) for p in paras], next_note


def body_paragraphs(lines: list[Line], size: float) -> list[str]:
    """Join body lines into paragraphs; all-bold short paragraphs become headings."""
    if not lines:
        return []
    left = _percentile([ln.x0 for ln in lines], 0.1)
    right = _percentile([ln.x1 for ln in lines], 0.9)
    width = max(right - left, 1.0)
    justified = sum(ln.x1 >= right - 0.02 * width for ln in lines) >= 0.5 * len(lines)
    diffs = [
        b.baseline - a.baseline
        for a, b in zip(lines, lines[1:], strict=False)
        if abs(a.size - b.size) < 0.5 and b.baseline > a.baseline
    ]
    pitch = statistics.median(diffs) if diffs else 1.2 * size
    paras: list[list[Line]] = [[lines[0]]]
    for prev, line in zip(lines, lines[1:], strict=False):
        gap = line.baseline - prev.baseline
        short = prev.x1 < right - (0.05 if justified else 0.15) * width
        short = short and not (prev.bold and line.bold)  # titles are set ragged
        ends_sentence = re.search(r"[.:;!?…]\s*(</sup>)?$", prev.text) is not None
        new = (
            gap > 1.3 * max(pitch, 0.8 * line.size)
            or line.x0 - left > 0.8 * line.size
            or prev.bold != line.bold
            or abs(prev.size - line.size) > 0.1 * max(prev.size, line.size)
            or (short and (justified or ends_sentence))
            or (ends_sentence and BULLET.match(line.text) is not None)
        )
        if new:
            paras.append([line])
        else:
            paras[-1].append(line)
    out = []
    for group in paras:
        text = " ".join(ln.text for ln in group)
        if all(ln.bold for ln in group) and looks_like_heading(text):
            level = "##" if group[0].size >= 1.2 * size else "###"
            text = f"{level} {text}"
        out.append(text)
    return out


def looks_like_heading(text: str) -> bool:
    """Whether an all-bold paragraph is a title rather than an emphasised sentence."""
    plain = _plain(text)
    if len(plain) > 200 or re.search(r"[.;,]$", plain):
        return False
    return not (plain.endswith(":") and len(plain) > 80)


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(q * len(values))))]

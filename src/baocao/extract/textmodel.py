"""The report as text the reader can read: sections, sentences and footnotes.

Markup is understood, not deleted blindly: ``<sup>n</sup>`` after a word is a footnote
anchor (after ``m``/``km`` it is the exponent of ``m3``), ``[n]`` is a web-page note,
``**``/``*`` are emphasis, ``#`` lines are headings and ``---`` is the rule above a page's
footnote block. Every clean character keeps its offset in the document text, so a figure
maps back to the exact place it was printed.

Two page-break repairs the genre needs:
- a body paragraph cut by a page break (``... không xảy ra các`` / footnotes /
  ``bệnh truyền nhiễm ...``) is joined again when the next body block starts in lower case;
- a footnote continued on the next page (seed footnote 14: ``... tăng`` / page / ``---`` /
  ``39,5%); ...``) is the unmarked block right after a rule while the last footnote is open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import load_lexicon

_TOKEN = re.compile(
    r"<sup>\s*([^<]*?)\s*</sup>"  # 1: superscript content
    r"|<sub>\s*([^<]*?)\s*</sub>"  # 2: subscript content
    r"|<[^>\n]{1,200}>"  # any other tag
    r"|\[(\d{1,3})\](?!\()"  # 3: web-page note [n] (not a markdown link)
    r"|\*+|_{2,}"  # emphasis
    r"|\\([\\`*_{}\[\]()#+\-.!])"  # 4: markdown escape
    r"|(\s+)",  # 5: whitespace run
)
_BLOCK = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_BULLET = re.compile(r"^\s*(?:[-+•*]|\d{1,2}[.)])\s+\S")
_FOOTNOTE_START = re.compile(r"^\s*(?:<sup>\s*(\d{1,3})\s*</sup>|\[(\d{1,3})\])\s*")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_LEX = load_lexicon()
_TERMINAL = re.compile(r"[.!?…:;]\W*$")
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’)]*\s+")
_EXPONENT_UNITS = ("m", "km", "dm", "cm")


@dataclass
class Clean:
    """Clean text with, for each character, its offset in the document text."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    anchors: list[tuple[int, int]] = field(default_factory=list)  # (clean pos, footnote no)

    def add(self, chars: str, offset: int, step: int = 1) -> None:
        self.text += chars
        if step:
            self.offsets.extend(range(offset, offset + len(chars)))
        else:
            self.offsets.extend([offset] * len(chars))

    def extend(self, other: Clean, joiner: str = " ") -> None:
        base = len(self.text)
        if self.text and joiner:
            self.add(joiner, self.offsets[-1] + 1 if self.offsets else 0, 0)
            base = len(self.text)
        self.text += other.text
        self.offsets.extend(other.offsets)
        self.anchors.extend((base + p, n) for p, n in other.anchors)


def clean_markup(raw: str, base: int) -> Clean:
    """Clean one block of document text starting at document offset ``base``."""
    out = Clean()
    parts: list[str] = []  # joined once at the end: appending to a str is quadratic
    length = 0
    pos = 0

    def add(chars: str, offset: int, step: int = 1) -> None:
        nonlocal length
        parts.append(chars)
        length += len(chars)
        if step:
            out.offsets.extend(range(offset, offset + len(chars)))
        else:
            out.offsets.extend([offset] * len(chars))

    def tail(n: int) -> str:
        return "".join(parts[-4:])[-n:]

    for m in _TOKEN.finditer(raw):
        if m.start() > pos:
            add(raw[pos : m.start()], base + pos)
        pos = m.end()
        sup, sub, note, escaped, space = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)
        if sup is not None:
            end = tail(8).rstrip()[-3:].lower()
            is_exponent = sup in ("2", "3") and any(
                end.endswith(u) and not end[: -len(u)][-1:].isalpha() for u in _EXPONENT_UNITS
            )
            if sup.isdigit() and not is_exponent:
                out.anchors.append((length, int(sup)))
            else:
                add(sup, base + m.start(1))
        elif sub is not None:
            add(sub, base + m.start(2))
        elif note is not None:
            out.anchors.append((length, int(note)))
        elif escaped is not None:
            add(escaped, base + m.start(4))
        elif space is not None:
            if length and not tail(1) == " ":
                add(" ", base + m.start(5), 0)
    if pos < len(raw):
        add(raw[pos:], base + pos)
    out.text = "".join(parts)
    # trim
    while out.text.endswith(" "):
        out.text = out.text[:-1]
        out.offsets.pop()
    lead = len(out.text) - len(out.text.lstrip(" "))
    if lead:
        out.text = out.text[lead:]
        out.offsets = out.offsets[lead:]
        out.anchors = [(max(0, p - lead), n) for p, n in out.anchors]
    return out


@dataclass
class Sentence:
    """One sentence (or footnote sentence), the unit the reader reads."""

    text: str
    offsets: list[int]
    anchors: list[tuple[int, int]]
    section: str
    paragraph: int
    footnote: int | None = None
    in_tasks: bool = False

    def doc_span(self, start: int, end: int) -> tuple[int, int]:
        """Document offsets of the clean span ``[start, end)``."""
        end = max(end, start + 1)
        return self.offsets[start], self.offsets[min(end, len(self.offsets)) - 1] + 1


@dataclass
class Paragraph:
    clean: Clean
    section: str
    footnote: int | None
    in_tasks: bool
    is_open: bool = False


@dataclass
class TextModel:
    """Sentences of the body (in order) and of each footnote."""

    title: str
    sentences: list[Sentence]
    footnotes: dict[int, list[Sentence]]
    headings: list[str]


MAX_SENTENCE = 2500  # characters; real sentences stay under ~1,200, a run-on file does not


def _cap(text: str, a: int, b: int) -> list[int]:
    """Extra cuts inside ``[a, b)`` so that no piece is longer than MAX_SENTENCE: at "; "
    where possible, else at ", " (a run-on text cannot cost quadratic time)."""
    cuts = []
    while b - a > MAX_SENTENCE:
        window = text[a : a + MAX_SENTENCE]
        at = max(window.rfind("; "), window.rfind(". "))
        if at < MAX_SENTENCE // 4:
            at = window.rfind(", ")
        if at < MAX_SENTENCE // 4:
            at = MAX_SENTENCE - 1
        a = a + at + 1
        cuts.append(a)
    return cuts


def _split_sentences(par: Paragraph, index: int) -> list[Sentence]:
    text = par.clean.text
    cuts = [0]
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end() : m.end() + 2]
        if nxt[:1].isupper() or (nxt[:1] in "\"“(" and nxt[1:2].isupper()):
            cuts.append(m.end())
    cuts.append(len(text))
    capped = [0]
    for a, b in zip(cuts, cuts[1:], strict=False):
        capped.extend(_cap(text, a, b))
        capped.append(b)
    cuts = capped
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        seg = text[a:b].rstrip()
        if not seg.strip():
            continue
        anchors = [
            (p - a, n) for p, n in par.clean.anchors if a <= p <= a + len(seg) or (p == b and b)
        ]
        out.append(
            Sentence(
                text=seg,
                offsets=par.clean.offsets[a : a + len(seg)],
                anchors=anchors,
                section=par.section,
                paragraph=index,
                footnote=par.footnote,
                in_tasks=par.in_tasks,
            )
        )
    # anchors exactly at a cut belong to the sentence before it
    return out


def _may_continue(before: str, after: str) -> bool:
    """Whether ``after`` can be the rest of ``before``: a text left with an open bracket
    goes on with its closing one ("… (chi thường xuyên …, tăng" / "39,5%); …")."""
    if before.count("(") <= before.count(")"):
        return True
    close, reopen = after.find(")"), after.find("(")
    return close >= 0 and (reopen < 0 or close < reopen)


def _is_heading(block: str) -> bool:
    if _MD_HEADING.match(block):
        return True
    if "\n" in block.strip() or len(block.strip()) > 160:
        return False
    s = block.strip()
    if s.startswith("**") and s.endswith("**") and len(s) > 4:
        return True
    return bool(_LEX.pattern("SectionNumber").match(s)) and not _TERMINAL.search(s.rstrip("*"))


def _blocks(text: str):
    """Paragraph blocks with their offsets; a block of bulleted lines ("- …", "+ …", "• …")
    gives one block per line, since each item is its own statement."""
    for m in _BLOCK.finditer(text):
        raw = m.group(0)
        if not raw.strip():
            continue
        lines = raw.split("\n")
        if sum(1 for line in lines if _BULLET.match(line)) >= 2:
            offset = m.start()
            for line in lines:
                if line.strip():
                    lead = len(line) - len(line.lstrip())
                    yield line[lead:], offset + lead
                offset += len(line) + 1
            continue
        lead = len(raw) - len(raw.lstrip())
        yield raw[lead:], m.start() + lead


def build_text_model(text: str) -> TextModel:
    """Split a document's normalised text into sentences and footnotes."""
    paragraphs: list[Paragraph] = []
    footnote_paras: dict[int, Paragraph] = {}
    section = ""
    title = ""
    headings: list[str] = []
    in_tasks = False
    after_rule = False
    last_body: Paragraph | None = None
    last_footnote: Paragraph | None = None
    blocks = list(_blocks(text))
    for index, (raw, start) in enumerate(blocks):
        if _RULE.match(raw):
            after_rule = True
            continue
        fn = _FOOTNOTE_START.match(raw)
        if fn:
            number = int(fn.group(1) or fn.group(2))
            clean = clean_markup(raw[fn.end() :], start + fn.end())
            par = Paragraph(clean, section, number, False, not _TERMINAL.search(clean.text))
            if number in footnote_paras:  # a repeated number: keep the first, extend it
                footnote_paras[number].clean.extend(clean)
            else:
                footnote_paras[number] = par
            last_footnote = footnote_paras[number]
            after_rule = False
            continue
        if _is_heading(raw):
            clean = clean_markup(raw.lstrip("# "), start + (len(raw) - len(raw.lstrip("# "))))
            heading = clean.text.strip(" *")
            headings.append(heading)
            is_task = bool(_LEX.pattern("TaskHeading").match(heading.upper().lstrip("*# ")))
            if not title and not is_task and not _LEX.pattern("ReportWord").match(heading):
                title = heading
            if is_task and headings[:-1]:
                in_tasks = True
            elif re.match(r"^[IVX]{1,5}[.)]", heading) and not _LEX.pattern("TaskHeading").match(
                heading.upper()
            ):
                in_tasks = False
            section = heading
            after_rule = False
            last_body = None
            continue
        clean = clean_markup(raw, start)
        if not clean.text:
            continue
        next_is_footnote = index + 1 < len(blocks) and bool(
            _FOOTNOTE_START.match(blocks[index + 1][0])
        )
        first = clean.text[:1]
        footnote_open = last_footnote is not None and last_footnote.is_open
        body_open = last_body is not None and last_body.is_open
        # a number cut from its unit by a page break ("… 226 triệu" / "USD.")
        cut_unit = _LEX.pattern("ScaleWordAtEnd").search
        if footnote_open and (after_rule or cut_unit(last_footnote.clean.text)):
            target = last_footnote  # right after the page's rule: the footnote goes on
        elif first.islower() and footnote_open and body_open:
            # both a body sentence and a footnote were cut by the page break: the body goes
            # on (the footnote's rest comes after the next page's rule), unless the
            # footnote left a bracket open that this piece closes
            opened = last_footnote.clean.text.count("(") > last_footnote.clean.text.count(")")
            closes = opened and _may_continue(last_footnote.clean.text, clean.text)
            target = last_footnote if closes else last_body
        elif first.islower() and body_open:
            target = last_body  # a body sentence cut by a page break (and its footnotes)
        elif first.islower() and footnote_open:
            target = last_footnote  # a footnote cut by a page break, with no body open
        elif body_open and cut_unit(last_body.clean.text):
            target = last_body
        elif footnote_open and next_is_footnote and not first.isupper():
            # a converter drew the rule as a line: an unmarked piece that the next footnote
            # follows (seed footnote 14: "… tăng" / "39,5%); …" / footnote 15)
            target = last_footnote
        else:
            target = None
        after_rule = False
        if target is not None:
            target.clean.extend(clean)
            target.is_open = not _TERMINAL.search(clean.text)
            continue
        par = Paragraph(clean, section, None, in_tasks, not _TERMINAL.search(clean.text))
        paragraphs.append(par)
        last_body = par
    sentences: list[Sentence] = []
    for i, par in enumerate(paragraphs):
        sentences.extend(_split_sentences(par, i))
    footnotes = {
        n: _split_sentences(par, -n) for n, par in sorted(footnote_paras.items())
    }
    return TextModel(title=title, sentences=sentences, footnotes=footnotes, headings=headings)

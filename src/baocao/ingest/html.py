"""HTML reports: statistics-office and provincial portal article pages.

The article body is found and everything around it dropped (menus, header, footer,
sidebars, scripts, share buttons). The text follows the Document conventions: headings
as markdown ``#`` lines (also paragraphs that are entirely bold and short, which these
sites use for numbered section titles), ``[n]`` note anchors as ``<sup>n</sup>``, notes
after a ``---`` rule, each starting with ``<sup>n</sup>``. The title and the publication
date line ("Thứ năm - 27/07/2023 22:26") go to ``Document.metadata``.
"""

from __future__ import annotations

import re
import unicodedata

from ..limits import check_deadline
from .document import Document, Table
from .errors import InputError
from .pdf_layout import looks_like_heading
from .text import decode_bytes

DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
    "svg", "button", "select", "input", "template", "object", "embed",
)
JUNK_CLASS = re.compile(
    r"(^|[\s_-])(menu|nav|navbar|sidebar|breadcrumbs?|footer|header|share|social|comments?|"
    r"related|banner|advert|ads|tags?|toolbar|print|rating|pagination)([\s_-]|$)",
    re.I,
)
BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "blockquote", "li", "ul", "ol", "table",
    "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "dd", "dt", "dl", "figure",
    "figcaption", "center", "tbody", "thead",
}
DATE_LINE = re.compile(
    r"(?:(?:Thứ\s+\w+|Chủ\s+nhật)\s*[-,]\s*)?(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*[-,]?\s*(\d{1,2}):(\d{2}))?",
    re.I,
)
NOTE_MARK = re.compile(r"\[(\d{1,3})\]")
# Elements nested deeper than this are read as plain text: real article markup is a few
# dozen levels deep, and Python's recursion limit (1,000) is not a reason to lose a page.
MAX_DEPTH = 200


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a file are an HTML document."""
    sample = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"\x00" in sample[:64]:
        sample = sample.replace(b"\x00", b"")
    return sample.startswith((b"<!doctype html", b"<html")) or (
        sample.startswith(b"<") and (b"<html" in sample or b"<body" in sample)
    )


def read_html(path: str, data: bytes) -> Document:
    """Read an HTML article page into a :class:`Document`."""
    from selectolax.lexbor import LexborHTMLParser

    text = decode_bytes(data, path)
    tree = LexborHTMLParser(text)
    title = _title(tree)
    published = _published(tree)
    for tag in DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[class], [id]"):
        names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if JUNK_CLASS.search(names) and node.tag not in ("body", "html"):
            node.decompose()
    body = _article(tree)
    if body is None:
        raise InputError(path, "HTML page without readable text")
    tables = _tables(body)
    blocks = _blocks(body)
    if title and (not blocks or _plain(blocks[0]).lstrip("# ") != title):
        blocks = [f"# {title}"] + [b for b in blocks if _plain(b).lstrip("# ") != title]
    paras, notes = _split_notes(blocks, published)
    if not any(not p.startswith("#") for p in paras):
        raise InputError(path, "HTML page without readable text (no article body found)")
    parts = paras + (["---", *notes] if notes else [])
    out = unicodedata.normalize("NFC", "\n\n".join(parts)) + "\n"
    metadata = {"title": title, "published": published}
    return Document(source=path, text=out, kind="html", metadata=metadata, tables=tables)


def _tables(body) -> list[Table]:
    """Data tables of the article ("Biểu số liệu") as cell grids, taken out of the prose:
    their rows are read by :mod:`baocao.extract.tables` like a PDF's ruled tables."""
    out: list[Table] = []
    for order, node in enumerate(body.css("table")):
        rows = []
        for tr in node.css("tr"):
            cells = []
            for cell in tr.css("td, th"):
                value = " ".join(cell.text(separator=" ").split())
                span = cell.attributes.get("colspan") or "1"
                width = int(span) if span.isdigit() and 0 < int(span) <= 20 else 1
                cells.extend([value] * width)
            if any(cells):
                rows.append(cells)
        numbers = sum(1 for row in rows for c in row if re.fullmatch(r"[\d.,\s%+-]+", c or ""))
        if len(rows) >= 2 and numbers >= 2:
            width = max(len(r) for r in rows)
            out.append(Table(page=None, order=order,
                             cells=[r + [""] * (width - len(r)) for r in rows], flavor="html"))
            node.decompose()
    return out


def _plain(text: str) -> str:
    return re.sub(r"</?sup>", "", text).strip()


def _title(tree) -> str | None:
    for selector in ("h1", "meta[property='og:title']", "title"):
        node = tree.css_first(selector)
        if node is None:
            continue
        value = node.attributes.get("content") if node.tag == "meta" else node.text()
        value = " ".join((value or "").split())
        if selector == "title":
            value = re.split(r"\s+[-|–]\s+(?=[^-|–]*$)", value)[0]
        if value:
            return unicodedata.normalize("NFC", value)
    return None


def _published(tree) -> str | None:
    for selector in ("meta[property='article:published_time']", "meta[name='pubdate']",
                     "time[datetime]"):
        node = tree.css_first(selector)
        if node is not None:
            value = node.attributes.get("content") or node.attributes.get("datetime")
            if value:
                return value.strip()
    for selector in (".date", ".time", ".post-date", ".news-date", ".publish-date"):
        node = tree.css_first(selector)
        if node is not None:
            found = _date_from(node.text())
            if found:
                return found
    body = tree.body
    return _date_from(body.text()[:5000]) if body is not None else None


def _date_from(text: str) -> str | None:
    m = DATE_LINE.search(text or "")
    if not m:
        return None
    day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    if m.group(4):
        return f"{year:04d}-{month:02d}-{day:02d}T{int(m.group(4)):02d}:{m.group(5)}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _article(tree):
    """The element holding the article: the container with the most paragraph text."""
    for selector in ("[itemprop='articleBody']", "article"):
        node = tree.css_first(selector)
        if node is not None and len(node.text(strip=True)) > 200:
            return node
    scores: dict[int, tuple[int, object]] = {}
    for p in tree.css("p, h2, h3, h4, h5, h6, li"):
        parent = p.parent
        if parent is None:
            continue
        key = parent.mem_id
        length = len(p.text(strip=True))
        prev = scores.get(key)
        scores[key] = ((prev[0] if prev else 0) + length, parent)
    if not scores:
        return tree.body
    return max(scores.values(), key=lambda item: item[0])[1]


def _blocks(root) -> list[str]:
    """Paragraph strings of ``root`` in document order."""
    blocks: list[str] = []
    _walk(root, blocks)
    return [b for b in blocks if b]


def _walk(node, blocks: list[str], depth: int = 0) -> None:
    current: list[str] = []

    def flush() -> None:
        text = " ".join("".join(current).split())
        if text:
            blocks.append(text)
        current.clear()

    child = node.first_child
    while child is not None:
        check_deadline("reading the HTML page")
        tag = child.tag
        if tag == "-text":
            current.append(child.text(deep=False))
        elif depth >= MAX_DEPTH:
            current.append(" " + child.text(separator=" ") + " ")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            flush()
            text = _inline(child)
            if text:
                blocks.append("#" * int(tag[1]) + " " + text)
        elif tag == "tr":
            flush()
            cells = [_inline(c) for c in child.css("td, th")]
            if any(cells):
                blocks.append("| " + " | ".join(cells) + " |")
        elif tag == "p":
            flush()
            text = _inline(child)
            if text:
                if _all_bold(child) and looks_like_heading(text) and not text.startswith("<sup>"):
                    text = "### " + text
                blocks.append(text)
        elif tag in BLOCK_TAGS:
            flush()
            _walk(child, blocks, depth + 1)
        elif tag == "br":
            current.append(" ")
        elif tag == "hr":
            flush()
        else:
            current.append(_inline(child, top=False))
        child = child.next
    flush()


def _inline(node, top: bool = True, depth: int = 0) -> str:
    """Text of an inline element; note anchors become ``<sup>n</sup>``."""
    tag = node.tag
    if tag == "-text":
        return node.text(deep=False)
    if tag == "br":
        return " "
    if depth >= MAX_DEPTH:
        return node.text(separator=" ")
    if tag == "sup" or (tag == "a" and NOTE_MARK.fullmatch(node.text(strip=True) or "")):
        inner = node.text(strip=True)
        m = NOTE_MARK.fullmatch(inner) or re.fullmatch(r"(\w{1,3})", inner)
        if m:
            return f"<sup>{m.group(1)}</sup>"
    parts = []
    child = node.first_child
    while child is not None:
        parts.append(_inline(child, top=False, depth=depth + 1))
        child = child.next
    text = "".join(parts)
    if top:
        text = " ".join(text.split())
        text = NOTE_MARK.sub(lambda m: f"<sup>{m.group(1)}</sup>", text)
    return text


def _all_bold(node) -> bool:
    """Whether every visible character of a paragraph sits in <strong>/<b>."""
    total = len(node.text(strip=True))
    bold = sum(len(b.text(strip=True)) for b in node.css("strong, b"))
    return total > 0 and bold >= total


def _split_notes(blocks: list[str], published: str | None) -> tuple[list[str], list[str]]:
    """Body paragraphs and note paragraphs (those opening with a marker)."""
    body, notes = [], []
    for block in blocks:
        if published and _date_from(block) == published and len(block) < 60:
            continue  # the date line itself
        m = re.match(r"(?:#+\s*)?<sup>(\d{1,3})</sup>\s*(.*)", block)
        if m and notes is not None and m.group(2):
            notes.append(f"<sup>{m.group(1)}</sup> {m.group(2)}")
        else:
            body.append(block)
    return body, notes

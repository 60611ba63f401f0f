"""What a chapter displays, in two renditions: one for the book, one for JupyterLab.

Every block a chapter shows (a sentence, a chart, a table) is a display object whose
MIME bundle carries

- ``text/markdown``: MyST, which the book renders in place (the book is configured to
  prefer it): a numbered ``{figure}`` with its caption and ``{download}`` links, a
  sentence with ``{numref}`` cross-references;
- ``text/html``: what JupyterLab (and nbconvert, and GitHub) shows: the same sentence
  with plain references, the chart inline as SVG with links to its files;
- ``text/plain``: the sentence as text (``{glue:text}`` pastes this), never a Python repr.

:func:`show` displays a block and glues it under a name, so a rerun notebook shows its
outputs where its cells are and the book can still paste any of them by name.
"""

from __future__ import annotations

import base64
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

_ROLE = re.compile(r"\{(numref|ref|doc)\}`([^`]*)`")
_MARKDOWN = MarkdownIt("commonmark")


def markdown_to_html(text: str, labels: dict[str, str] | None = None) -> str:
    """Render a MyST sentence as HTML for a notebook: roles become plain text.

    ``{numref}`fig-x``` becomes "the chart “title”" when ``labels`` knows the figure.
    """
    labels = labels or {}

    def plain(match: re.Match) -> str:
        role, target = match.group(1), match.group(2)
        explicit = re.match(r"(.*?)\s*<([^>]+)>$", target)
        if explicit:
            return explicit.group(1)
        if role == "numref":
            title = labels.get(target)
            return f"the chart “{title}”" if title else "the chart"
        return target.rsplit("/", 1)[-1].replace("_", " ")

    return _MARKDOWN.render(_ROLE.sub(plain, text)).strip()


def markdown_to_text(text: str, labels: dict[str, str] | None = None) -> str:
    """The sentence as plain text (tags and emphasis marks removed)."""
    rendered = markdown_to_html(text, labels)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@dataclass
class Prose:
    """A paragraph computed from the data."""

    markdown: str
    labels: dict[str, str] = field(default_factory=dict)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "text/markdown": self.markdown,
            "text/html": markdown_to_html(self.markdown, self.labels),
            "text/plain": str(self),
        }

    def __str__(self) -> str:
        return markdown_to_text(self.markdown, self.labels)

    __repr__ = __str__


@dataclass
class HtmlBlock:
    """A table or other HTML shown as it is in both renditions; ``text`` is its summary."""

    html: str
    text: str

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ChartLinks:
    """A chart's files as the book refers to them (from its source folder) and as the
    notebook does (relative to the notebook's working directory)."""

    book: dict[str, str]  # kind -> "/_build/charts/…" (Sphinx: relative to the book root)
    notebook: dict[str, str]  # kind -> relative path for JupyterLab


def chart_links(files: dict[str, Path], book_root: Path) -> ChartLinks:
    """Links to a chart's files (``svg``, ``png``, ``csv``) for both renditions."""
    book, notebook = {}, {}
    for kind, path in files.items():
        path = path.resolve()
        try:
            book[kind] = "/" + path.relative_to(book_root.resolve()).as_posix()
        except ValueError:  # outside the book (a notebook run elsewhere): notebook only
            book[kind] = path.as_posix()
        notebook[kind] = Path(os.path.relpath(path, Path.cwd())).as_posix()
    return ChartLinks(book, notebook)


DOWNLOAD_LABELS = {"svg": "SVG", "png": "PNG (2×)", "csv": "CSV of the plotted figures"}


@dataclass
class FigureBlock:
    """A chart with its caption, downloads and citation."""

    label: str  # the figure's name, for {numref}
    title: str
    caption: str  # MyST, without the source line
    alt: str
    source: str
    citation: str
    links: ChartLinks
    svg: bytes

    def markdown(self) -> str:
        downloads = " · ".join(
            f"{{download}}`{DOWNLOAD_LABELS[k]} <{v}>`" for k, v in self.links.book.items()
        )
        return (
            f":::{{figure}} {self.links.book['svg']}\n:name: {self.label}\n"
            f":alt: {' '.join(self.alt.split())}\n:class: bc-chart-image\n:figclass: bc-chart\n\n"
            f"{self.caption} {self.source}\n\nDownload: {downloads}\n:::\n\n"
            + self.citation_html()
        )

    def citation_html(self) -> str:
        return (
            '<details class="bc-cite"><summary>Cite this chart</summary>'
            f"<p>{html.escape(self.citation)}</p></details>"
        )

    def html(self) -> str:
        image = base64.b64encode(self.svg).decode("ascii")
        downloads = " · ".join(
            f'<a href="{html.escape(v)}" download>{DOWNLOAD_LABELS[k]}</a>'
            for k, v in self.links.notebook.items()
        )
        caption = markdown_to_html(self.caption).removeprefix("<p>").removesuffix("</p>")
        return (
            f'<figure id="{self.label}" style="margin:0 0 0.5em 0">'
            f'<img src="data:image/svg+xml;base64,{image}" alt="{html.escape(self.alt)}" '
            'style="max-width:100%;height:auto">'
            f"<figcaption>{caption} {html.escape(self.source)}<br>Download: {downloads}"
            f"</figcaption></figure>" + self.citation_html()
        )

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {
            "text/markdown": self.markdown(),
            "text/html": self.html(),
            "text/plain": f"[chart] {self.title}. {self.source}",
        }

    def __repr__(self) -> str:
        return f"[chart] {self.title}"


def show(key: str, block: object) -> None:
    """Display ``block`` where the cell is, and glue it as ``key`` for the book."""
    from myst_nb import glue

    glue(key, block, display=True)

"""What every reader in :mod:`baocao.ingest` returns: one report as normalised text.

The extractor sees only :class:`Document`, never the container, so a report yields the
same figures whether it arrived as PDF, HTML, markdown or plain text. Conventions of
``Document.text`` (shared by all readers):

- Unicode NFC, ``\\n`` line ends, no BOM.
- Footnote anchors as ``<sup>n</sup>`` (PDF superscripts and ``[n]`` notes of HTML pages
  are rewritten to this form), footnote bodies as paragraphs that start with
  ``<sup>n</sup>`` after a ``---`` rule, as in the markdown transcriptions.
- Pages (PDF only) are listed in ``Document.pages`` as character ranges of ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """A page of the original file as a character range ``[start, end)`` of the text."""

    number: int
    start: int
    end: int


@dataclass
class Table:
    """A table read from a PDF page (camelot) or an HTML page, with its provenance and
    quality report. ``page`` is None for HTML."""

    page: int | None
    order: int
    cells: list[list[str]]
    flavor: str = "lattice"
    bbox: tuple[float, float, float, float] | None = None
    accuracy: float | None = None
    whitespace: float | None = None


@dataclass
class Document:
    """A report as the extractor sees it."""

    source: str
    text: str
    kind: str  # "markdown", "text", "html", "pdf"
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)

    def page_at(self, offset: int) -> int | None:
        """1-based page holding character ``offset``, or None for unpaginated inputs."""
        for page in self.pages:
            if page.start <= offset < page.end:
                return page.number
        if self.pages and offset >= self.pages[-1].end:
            return self.pages[-1].number
        return None

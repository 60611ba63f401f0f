"""Stage 1, ingest: turn a report file (text, markdown, HTML, PDF) into a Document.

:func:`read_document` decides the reader by the file's content (``%PDF-`` magic, HTML
tags), not only by its name, and turns every way a file can be unreadable into one
:class:`InputError` whose reason the CLI prints as ``baocao: PATH: reason``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .document import Document, Page, Table
from .errors import InputError
from .html import looks_like_html, read_html
from .pdf import read_pdf
from .text import read_text

__all__ = ["Document", "InputError", "Page", "Table", "read_document"]

DEFAULT_MAX_MB = 200.0
DEFAULT_TIMEOUT_S = 120.0
HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def max_bytes() -> int:
    """Largest file read (``BAOCAO_MAX_MB``, default 200 MB): bigger is not a report."""
    return int(_env_float("BAOCAO_MAX_MB", DEFAULT_MAX_MB) * 1024 * 1024)


def default_timeout() -> float:
    """Seconds one document may take to read (``BAOCAO_TIMEOUT``, default 120)."""
    return _env_float("BAOCAO_TIMEOUT", DEFAULT_TIMEOUT_S)


def read_document(
    path: str | os.PathLike[str],
    password: str | None = None,
    timeout: float | None = None,
) -> Document:
    """Read one report file into a :class:`Document`.

    ``password`` opens encrypted PDFs; ``timeout`` (seconds, default ``BAOCAO_TIMEOUT``
    or 120) bounds the time spent on one PDF. Raises :class:`InputError` (never anything
    else) for a file that cannot be read.
    """
    spath = os.fspath(path)
    p = Path(spath)
    if timeout is None:
        timeout = default_timeout()
    try:
        if not p.exists():
            raise InputError(spath, "no such file")
        if p.is_dir():
            raise InputError(spath, "is a directory, not a report file")
        size = p.stat().st_size
        limit = max_bytes()
        if size > limit:
            raise InputError(
                spath,
                f"file too large ({size / 2**20:.3g} MB > {limit / 2**20:.3g} MB limit, "
                "BAOCAO_MAX_MB)",
            )
        if size == 0:
            raise InputError(spath, "empty file")
        with p.open("rb") as f:
            head = f.read(4096)
        suffix = p.suffix.lower()
        if b"%PDF-" in head[:1024]:
            return read_pdf(spath, password=password, timeout=timeout)
        if suffix == ".pdf":
            raise InputError(spath, _not_a_pdf_reason(head))
        if head.startswith(b"PK\x03\x04"):
            raise InputError(
                spath, "a ZIP/Office file (.docx/.xlsx?), not a report text; save it as PDF"
            )
        data = p.read_bytes()
        if suffix in HTML_SUFFIXES or looks_like_html(head):
            return read_html(spath, data)
        return read_text(spath, data)
    except InputError:
        raise
    except MemoryError as err:
        raise InputError(spath, "file too large to read into memory") from err
    except OSError as err:
        raise InputError(spath, f"cannot read file ({err.strerror or err})") from err


def _not_a_pdf_reason(head: bytes) -> str:
    if looks_like_html(head):
        return "not a PDF: it is an HTML page (an error page saved as .pdf?)"
    if not head.strip(b" \t\r\n\x00"):
        return "not a PDF: the file is blank"
    return "not a PDF (no %PDF- header; damaged or another format)"

"""Stage 1, ingest: turn a report file (text, markdown, HTML, PDF) into a Document.

:func:`read_document` decides the reader by the file's content (``%PDF-`` magic, HTML
tags), not only by its name, and turns every way a file can be unreadable into one
:class:`InputError` whose reason the CLI prints as ``baocao: PATH: reason``.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..limits import Deadline, Limits, current_deadline, deadline_scope
from .document import Document, Page, Table
from .errors import InputError
from .html import looks_like_html, read_html
from .pdf import read_pdf
from .text import read_text

__all__ = ["Document", "InputError", "Page", "Table", "read_document"]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def max_bytes() -> int:
    """Largest file read (``BAOCAO_MAX_MB``, default 200 MB): bigger is not a report."""
    return int(Limits.from_env().max_mb * 1024 * 1024)


def default_timeout() -> float:
    """Seconds one report may take (``BAOCAO_TIMEOUT``, default 45; see :mod:`baocao.limits`)."""
    return Limits.from_env().timeout


def read_document(
    path: str | os.PathLike[str],
    password: str | None = None,
    timeout: float | None = None,
    limits: Limits | None = None,
) -> Document:
    """Read one report file into a :class:`Document`.

    ``password`` opens encrypted PDFs; ``timeout`` (seconds) bounds the time spent on the
    file, by default the deadline of the report being extracted or ``BAOCAO_TIMEOUT``;
    ``limits`` are the memory limits (:mod:`baocao.limits`, from the environment by
    default). Raises :class:`InputError` (never anything else) for a file that cannot be
    read, including one that exceeds a limit.
    """
    spath = os.fspath(path)
    limits = limits or Limits.from_env()
    deadline = current_deadline()
    if timeout is not None or deadline is None:
        deadline = Deadline(spath, timeout if timeout is not None else limits.timeout)
    try:
        with deadline_scope(deadline):
            return _read(spath, password, limits, deadline)
    except InputError:
        raise
    except MemoryError as err:
        raise InputError(spath, "file too large to read into memory") from err
    except RecursionError as err:
        raise InputError(spath, "structure nested too deeply to read") from err
    except OSError as err:
        raise InputError(spath, f"cannot read file ({err.strerror or err})") from err
    except Exception as err:  # noqa: BLE001 - a reader library's failure on a bad file
        raise InputError(spath, f"damaged file ({one_line(err)})") from err


def one_line(err: BaseException) -> str:
    """``Type: message`` of an exception on one short line (library messages can hold
    newlines, a whole traceback, or megabytes of the input)."""
    message = " ".join(str(err).split())
    if len(message) > 160:
        message = message[:157] + "..."
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def _read(spath: str, password: str | None, limits: Limits, deadline: Deadline) -> Document:
    if "\x00" in spath:
        raise InputError(spath, "not a usable path (it contains a NUL character)")
    p = Path(spath)
    if not p.exists():
        raise InputError(spath, "no such file")
    if p.is_dir():
        raise InputError(spath, "is a directory, not a report file")
    if not p.is_file():
        raise InputError(spath, "not a regular file (a FIFO, device or socket?)")
    size = p.stat().st_size
    limit = int(limits.max_mb * 1024 * 1024)
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
        return read_pdf(spath, password=password, deadline=deadline, limits=limits)
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


def _not_a_pdf_reason(head: bytes) -> str:
    if looks_like_html(head):
        return "not a PDF: it is an HTML page (an error page saved as .pdf?)"
    if not head.strip(b" \t\r\n\x00"):
        return "not a PDF: the file is blank"
    return "not a PDF (no %PDF- header; damaged or another format)"

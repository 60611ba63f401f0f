"""Stage 1, ingest: turn a report file (text, markdown, HTML, PDF) into a Document."""

from __future__ import annotations

import os
from pathlib import Path

from .document import Document, Page, Table
from .errors import InputError
from .text import read_text

__all__ = ["Document", "InputError", "Page", "Table", "read_document"]


def read_document(path: str | os.PathLike[str], password: str | None = None) -> Document:
    """Read one report file into a :class:`Document`.

    Raises :class:`InputError` (never anything else) for a file that cannot be read.
    """
    spath = os.fspath(path)
    p = Path(spath)
    if not p.exists():
        raise InputError(spath, "no such file")
    if p.is_dir():
        raise InputError(spath, "is a directory, not a report file")
    try:
        return read_text(spath)
    except InputError:
        raise
    except OSError as err:
        raise InputError(spath, f"cannot read file ({err.strerror or err})") from err

"""Plain-text and markdown reports: decode, normalise, hand over as a Document."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .document import Document
from .errors import InputError


def decode_bytes(data: bytes, path: str) -> str:
    """Decode report bytes to NFC text with ``\\n`` line ends."""
    if not data.strip():
        raise InputError(path, "empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise InputError(path, "not UTF-8 text and no known encoding fits") from err
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def read_text(path: str) -> Document:
    """Read a ``.txt``/``.md`` report."""
    data = Path(path).read_bytes()
    text = decode_bytes(data, path)
    kind = "markdown" if "<sup>" in text or "**" in text or "\n#" in text else "text"
    return Document(source=path, text=text, kind=kind)

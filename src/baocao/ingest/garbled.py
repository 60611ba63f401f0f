"""Text layers that are not text: broken character maps and legacy font encodings.

A PDF whose fonts lack a usable character map gives control codes, private-use or
replacement characters where letters were (``\\x01Y BAN NH\\x02N``), or pdfminer's
``(cid:N)``; one typed with a legacy Vietnamese font (.VnTime, VNI-Times) gives
mojibake such as ``Tæng thu ng©n s¸ch``. Read as prose, such a file yields some of its
figures under wrong or missing labels and the rest not at all, with nothing to say so.
It is refused with the page and the reason instead: OCR gives it a real text layer.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .errors import InputError
from .text import legacy_font_encoding

OCR_FORCE = "run OCR on it first, e.g. `ocrmypdf -l vie --force-ocr IN OUT`"
PAGE_SHARE = 0.05  # of a page's visible characters
DOCUMENT_SHARE = 0.01  # of all visible characters
MIN_PAGE_CHARS = 50  # shorter pages are judged with the document only
_CID = re.compile(r"\(cid:\d+\)")
_BAD_CATEGORIES = ("Cc", "Co", "Cs", "Cn")


def unreadable_count(text: str) -> tuple[int, int]:
    """(characters that are no letters of any script: control, private-use, surrogate,
    unassigned, U+FFFD and ``(cid:N)`` codes; visible characters in all)."""
    text = _CID.sub("\ufffd", text)  # each code counts as one unreadable character
    bad = total = 0
    for ch in text:
        if ch in " \t\n\r":
            continue
        total += 1
        if ch == "\ufffd" or unicodedata.category(ch) in _BAD_CATEGORIES:
            bad += 1
    return bad, total


def refuse_garbled(path: str, pages: Iterable) -> None:
    """Raise :class:`InputError` when the text of ``pages`` (page layouts with
    ``number`` and ``lines``) is garbled; see the module docstring."""
    all_bad = all_total = 0
    texts = []
    for page in pages:
        text = "\n".join(line.text for line in page.lines)
        texts.append(text)
        bad, total = unreadable_count(text)
        all_bad, all_total = all_bad + bad, all_total + total
        if total >= MIN_PAGE_CHARS and bad > PAGE_SHARE * total:
            raise InputError(
                path,
                f"garbled text layer on page {page.number} ({100 * bad / total:.0f}% of its "
                "characters are control or unmapped codes: a font without a usable "
                f"character map); {OCR_FORCE}",
            )
    if all_total and all_bad > DOCUMENT_SHARE * all_total:
        raise InputError(
            path,
            f"garbled text layer ({100 * all_bad / all_total:.1f}% of its characters are "
            f"control or unmapped codes); {OCR_FORCE}",
        )
    legacy = legacy_font_encoding("\n".join(texts))
    if legacy:
        raise InputError(
            path,
            f"text layer typed in a legacy {legacy} font (mojibake such as 'Tæng thu'); "
            f"{OCR_FORCE}",
        )

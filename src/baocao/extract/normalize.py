"""Text once for matching: NFC, new-style tone placement, lower case.

Reports place tone marks both ways (``hoá``/``hóa``, ``luỹ``/``lũy``); matching on one form
catches both. :func:`tone_fold` keeps the length of the text, so a position found in the
folded copy is the same position in the printed text, and every figure keeps its offsets.
"""

from __future__ import annotations

import re
import unicodedata

# Upper-case letters of Vietnamese, for character classes (re has no \p{Lu}, and a range
# such as À-Ỹ also holds lower-case letters)
UPPER_LETTERS = "A-Z" + "".join(
    c for c in map(chr, range(0xC0, 0x1EFA)) if c.isupper() and c.isalpha()
)


def _tone_table() -> dict[str, str]:
    table = {}
    for first, second in [("o", "a"), ("o", "e"), ("u", "y")]:
        for a in (first, first.upper()):
            for b in (second, second.upper()):
                for tone in ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323"):
                    old = unicodedata.normalize("NFC", a + b + tone)
                    new = unicodedata.normalize("NFC", a + tone + b)
                    table[old] = new
    return table


_TONES = _tone_table()
_OLD_STYLE = re.compile(r"(?<![qQ])(?:" + "|".join(sorted(_TONES)) + r")(?![^\W\d_])")


def tone_fold(text: str) -> str:
    """Move old-style tone marks onto the first vowel (``hoá`` → ``hóa``, ``luỹ`` → ``lũy``).

    The result has the same length as ``text``.
    """
    return _OLD_STYLE.sub(lambda m: _TONES[m.group(0)], text)


def fold(text: str) -> str:
    """Lower-case NFC form used for matching, with new-style tone placement."""
    return tone_fold(unicodedata.normalize("NFC", text)).lower()

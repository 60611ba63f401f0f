"""Vietnamese numbers: ``.`` groups thousands, ``,`` is the decimal mark.

``1.775.300`` → 1775300, ``5.152,5`` → 5152.5, ``156,202`` → 156.202 (a comma followed by
three digits is still a decimal), ``04`` → 4. English-convention copies are read with
``convention="en"``. A number with more than 15 significant digits is not a figure (no
report prints one; a float cannot hold it, and 10,000 digits became ``1e+35``, a dotted
run ``Infinity``).
"""

from __future__ import annotations

import math
import re

MAX_SIGNIFICANT_DIGITS = 15  # what a float64 holds exactly

# A number as printed: groups of three after dots, optional decimal part after a comma.
VI_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
EN_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_VI_FULL = re.compile(rf"(?:{VI_NUMBER})")
_EN_FULL = re.compile(rf"(?:{EN_NUMBER})")


def parse_number(text: str, convention: str = "vi") -> float | None:
    """The value of a printed number, or None when ``text`` is not one number.

    >>> parse_number("1.775.300"), parse_number("5.152,5"), parse_number("156,202")
    (1775300.0, 5152.5, 156.202)
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    sign = 1.0
    if not s:
        return None
    if s[0] in "+-−–":
        sign = -1.0 if s[0] != "+" else 1.0
        s = s[1:]
    if not s:
        return None
    pattern = _VI_FULL if convention == "vi" else _EN_FULL
    if not pattern.fullmatch(s):
        return None
    if convention == "vi":
        s = s.replace(".", "").replace(",", ".")
    else:
        s = s.replace(",", "")
    if len(s.replace(".", "").lstrip("0")) > MAX_SIGNIFICANT_DIGITS:
        return None
    value = float(s)
    return sign * value if math.isfinite(value) else None


def decimals(text: str, convention: str = "vi") -> int:
    """Number of decimals printed (``5.152,5`` → 1, ``300,0`` → 1, ``1.200`` → 0)."""
    mark = "," if convention == "vi" else "."
    s = text.strip()
    return len(s.split(mark, 1)[1]) if mark in s else 0

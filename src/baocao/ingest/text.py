"""Plain-text and markdown reports: decode, normalise, hand over as a Document.

Reports reach us in every encoding Vietnamese offices have used: UTF-8 with or without a
byte-order mark, UTF-16 (Word's "Unicode text", with or without BOM), Windows-1258 (tone
marks stored as combining characters), decomposed (NFD) text from macOS, CRLF line ends.
All of them decode to the same NFC text, hence the same figures. Text typed with the
legacy TCVN3 (ABC) or VNI fonts is not Unicode at all: it decodes to mojibake such as
"Tæng thu ng©n s¸ch" or "Toång thu ngaân saùch", whose digits would still parse, so it is
refused with a message naming the encoding rather than read into wrong labels.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .document import Document
from .errors import InputError

UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Characters a TCVN3 (ABC) font maps to Vietnamese letters, from the symbol range that
# neither Vietnamese Unicode text nor VNI uses: "¸" is á, "µ" à, "©" â, "ª" ê, "«" ô,
# "¬" ơ, soft hyphen ư, "®" đ, "¨" ă, "¡"-"§" the capitals Ă Â Ê Ô Ơ Ư Đ.
_TCVN3_MARKS = set("¡¢£¤¥¦§¨©ª«¬\xad®µ¶·¸¹»¼½¾")
# VNI stores a base letter followed by a byte for the vowel shape or tone: "aù" is á,
# "aâ" â, "oå" ổ, "ö" ư, "ñ" đ. These pairs and letters do not occur in Vietnamese Unicode.
_VNI_PATTERN = re.compile(
    r"[aeiouyAEIOUY][ùøûõïÙØÛÕÏ]|[aeoAEO][âäåÂÄÅ]|[aA][êëÊË]|[ñÑöÖ](?=[a-zA-Zôùøûõï])"
)
_WORD = re.compile(r"[^\W\d_][^\s]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def decode_bytes(data: bytes, path: str) -> str:
    """Decode report bytes to NFC text with ``\\n`` line ends, or raise :class:`InputError`.

    Order of trials: BOMs (UTF-8, UTF-16), BOM-less UTF-16 (recognised by its pattern of
    NUL bytes), UTF-8, then the legacy 8-bit encodings (TCVN3 and VNI refused, Windows-1258
    decoded). Binary data is refused as "not a text file".
    """
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(path, "empty file")
    text = _decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text[:65536]) and _control_share(text) > 0.01:
        raise InputError(path, "not a text file (binary content)")
    legacy = legacy_font_encoding(text)
    if legacy:
        raise InputError(
            path,
            f"legacy {legacy} font encoding; convert to Unicode first (e.g. with UniKey)",
        )
    if not text.strip():
        raise InputError(path, "empty file")
    return text


def _decode(data: bytes, path: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path)
    if data.startswith(UTF16_BOMS):
        return _strict(data, "utf-16", path)
    utf16 = _bomless_utf16(data)
    if utf16:
        return _strict(data, utf16, path)
    if b"\x00" in data[:65536]:
        raise InputError(path, "not a text file (binary content)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray bad byte or two (a cut download, a bad copy): keep the text, with
    # U+FFFD where the bytes were, rather than refuse a readable report
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad <= max(3, len(lenient) // 10000) and _VIETNAMESE.search(lenient):
        return lenient
    if _mostly_utf8(lenient, bad):
        # more damage than a stray byte or two, but UTF-8 all the same: its bytes read as
        # an 8-bit code page would look like legacy-font mojibake ("Tá»•ng")
        raise InputError(
            path, f"damaged UTF-8 text ({bad} invalid byte sequences; mixed encodings?)"
        )
    # An 8-bit file. Legacy Vietnamese font encodings first: they decode "successfully"
    # as Windows-1258 but into nonsense.
    as_latin = data.decode("cp1252", errors="replace")
    legacy = legacy_font_encoding(as_latin)
    if legacy:
        raise InputError(
            path,
            f"legacy {legacy} font encoding; convert to Unicode first (e.g. with UniKey)",
        )
    if _control_share(as_latin) > 0.01:
        raise InputError(path, "not a text file (binary content)")
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as err:
        raise InputError(path, "not UTF-8 text and no known encoding fits") from err
    if not _looks_vietnamese(text):
        raise InputError(path, "not UTF-8 text and no known encoding fits")
    return text


def _mostly_utf8(lenient: str, bad: int) -> bool:
    """Whether text decoded with U+FFFD replacements is UTF-8 with some damage: its valid
    multi-byte characters far outnumber the invalid sequences (an 8-bit file's high
    bytes almost never form valid UTF-8 sequences)."""
    valid = sum(1 for ch in lenient[:200_000] if ord(ch) > 0x7F and ch != "\ufffd")
    return valid >= 10 and valid >= 4 * bad


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        name = "UTF-8" if encoding == "utf-8" else "UTF-16"
        raise InputError(path, f"invalid {name} text (damaged or mixed encodings)") from err


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when NUL bytes sit on one parity only, else None.

    Text written in UTF-16 has a NUL high byte for every ASCII character (spaces, digits,
    most letters), so about half of one parity is NUL and almost none of the other.
    """
    sample = data[:65536]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even = sample[0::2].count(0) / (len(sample) / 2)
    odd = sample[1::2].count(0) / (len(sample) / 2)
    if odd > 0.25 and even < 0.02:
        return "utf-16-le"
    if even > 0.25 and odd < 0.02:
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def _looks_vietnamese(text: str) -> bool:
    """Whether Windows-1258 decoding gave words, not symbol soup."""
    nfc = unicodedata.normalize("NFC", text)
    words = _WORD.findall(nfc[:65536])
    if not words:
        return True
    odd = sum(1 for w in words if any(unicodedata.category(c) in ("Mn", "So", "Co") for c in w))
    return odd / len(words) < 0.05


def legacy_font_encoding(text: str) -> str | None:
    """``"TCVN3 (ABC)"`` or ``"VNI"`` when ``text`` is legacy-font mojibake, else None.

    Counts the words carrying characters (TCVN3) or letter pairs (VNI) that Vietnamese
    Unicode text never contains; a few in a long text (a © sign) do not count.
    """
    words = _WORD.findall(text[:200_000])
    if len(words) < 5:
        return None
    tcvn3 = sum(1 for w in words if any(c in _TCVN3_MARKS for c in w))
    vni = sum(1 for w in words if _VNI_PATTERN.search(w))
    threshold = max(3, 0.05 * len(words))
    if tcvn3 < threshold and vni < threshold:
        return None
    return "TCVN3 (ABC)" if tcvn3 >= vni else "VNI"


def read_text(path: str, data: bytes | None = None) -> Document:
    """Read a ``.txt``/``.md`` report."""
    if data is None:
        data = Path(path).read_bytes()
    text = decode_bytes(data, path)
    kind = "markdown" if "<sup>" in text or "**" in text or "\n#" in text else "text"
    return Document(source=path, text=text, kind=kind)

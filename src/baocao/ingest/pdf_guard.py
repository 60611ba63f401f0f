"""A PDF's streams measured before any PDF library parses them.

pdfium inflates a page's content streams in full when it loads the page, and decodes an
image at its declared size when it renders one: a 1 MB file holding a 1 GiB flate stream
took 2.2 GB, a 4 MB one 5.2 GB. This pass walks the file's bytes once (memory-mapped),
inflates every ``/FlateDecode`` stream in 64 KiB steps without keeping the output, and
stops as soon as the total passes the limit; an image is judged by its declared size.
It reads no objects and trusts no ``/Length``, so a damaged file is measured as far as
its bytes allow and left to the readers to refuse.

Streams of an encrypted file are encrypted before they are compressed and cannot be
measured without the key; they are skipped (pdfium then needs the password anyway).
"""

from __future__ import annotations

import mmap
import re
import zlib
from pathlib import Path

from ..limits import Deadline, Limits
from .errors import InputError

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z])")
_IMAGE = re.compile(rb"/Subtype\s*/Image(?![A-Za-z])")
_WIDTH = re.compile(rb"/Width\s+(\d{1,12})(?![\d.])(?!\s+\d+\s+R)")
_HEIGHT = re.compile(rb"/Height\s+(\d{1,12})(?![\d.])(?!\s+\d+\s+R)")
HEAD_WINDOW = 4096  # bytes before ``stream`` searched for the stream's dictionary
IN_STEP = 64 * 1024
OUT_STEP = 1 << 20
BYTES_PER_PIXEL = 4  # what a decoded image costs pdfium (BGRA)


def check_streams(path: str, limits: Limits, deadline: Deadline | None = None) -> None:
    """Raise :class:`InputError` if the PDF's flate streams inflate past
    ``limits.max_stream_mb`` in total, or one of its images would decode past it."""
    limit = int(limits.max_stream_mb * 2**20)
    with Path(path).open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        total = 0
        for count, m in enumerate(_STREAM.finditer(data), 1):
            head = _dictionary_before(data, m.start())
            if _IMAGE.search(head):
                _check_image(path, head, limit)
                continue
            if not _FLATE.search(head):
                continue
            total += _inflated_size(data, m.end(), limit - total + 1)
            if total > limit:
                raise InputError(
                    path,
                    f"PDF streams inflate to more than {limits.max_stream_mb:g} MB "
                    "(a decompression bomb?; limit BAOCAO_MAX_STREAM_MB)",
                )
            if deadline is not None and count % 256 == 0:  # each is bounded; many are not
                deadline.check("measuring the PDF's streams")


def _dictionary_before(data: mmap.mmap, start: int) -> bytes:
    """The bytes from the last ``obj`` keyword before ``start`` (the stream's
    dictionary), within :data:`HEAD_WINDOW` bytes."""
    head = data[max(0, start - HEAD_WINDOW) : start]
    at = head.rfind(b"obj")
    return head[at:] if at >= 0 else head


def _check_image(path: str, head: bytes, limit: int) -> None:
    width, height = _WIDTH.search(head), _HEIGHT.search(head)
    if width is None or height is None:
        return
    pixels = int(width.group(1)) * int(height.group(1))
    if pixels * BYTES_PER_PIXEL > limit:
        raise InputError(
            path,
            f"an image of {int(width.group(1))} x {int(height.group(1))} pixels would take "
            f"more than {limit / 2**20:g} MB to decode (limit BAOCAO_MAX_STREAM_MB)",
        )


def _inflated_size(data: mmap.mmap, start: int, budget: int) -> int:
    """Bytes the zlib stream at ``start`` inflates to, counted up to ``budget`` (more is
    not needed); a damaged stream counts as far as it inflates."""
    inflater = zlib.decompressobj()
    size, pos, end = 0, start, len(data)
    try:
        while pos < end and not inflater.eof and size < budget:
            chunk = data[pos : pos + IN_STEP]
            pos += len(chunk)
            out = inflater.decompress(chunk, OUT_STEP)
            size += len(out)
            # past the stream's end its trailing bytes stay in unconsumed_tail: stop at eof
            while inflater.unconsumed_tail and not inflater.eof and size < budget:
                left = len(inflater.unconsumed_tail)
                out = inflater.decompress(inflater.unconsumed_tail, OUT_STEP)
                size += len(out)
                if not out and len(inflater.unconsumed_tail) >= left:
                    break  # no progress: zlib wants what this file does not have
    except zlib.error:
        pass
    return size

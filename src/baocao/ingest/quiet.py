"""The PDF libraries' own messages, kept off the user's terminal.

pdfminer (under pdfplumber), playa (under camelot), camelot, pypdfium2 and Pillow log
warnings, and playa logs whole tracebacks, for damaged files they still read; with no logging set
up, Python prints them on stderr while baocao exits 0. While a report is read they go
to a list instead (the Document's ``metadata["library_messages"]``, one short line
each): what matters about the file reaches the user as baocao's own one-line reason.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

LIBRARY_LOGGERS = ("pdfminer", "pdfplumber", "playa", "camelot", "pypdfium2", "pypdf", "PIL",
                   "fontTools", "matplotlib")
MAX_KEPT = 20  # messages kept per document; a damaged file can log thousands

_lock = threading.Lock()
_depth = 0
_saved: list[tuple[logging.Logger, bool]] = []  # (logger, its propagate) while quiet


class _Collector(logging.Handler):
    """Keeps the first :data:`MAX_KEPT` messages, one line each, without tracebacks."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        sink = getattr(self.local, "sink", None)
        if sink is None or len(sink) >= MAX_KEPT:
            return
        try:
            message = " ".join(record.getMessage().split())[:200]
        except Exception:  # noqa: BLE001 - a library's bad format string
            message = str(record.msg)[:200]
        sink.append(f"{record.name}: {record.levelname.lower()}: {message}")


_collector = _Collector()


def silence_library_loggers() -> None:
    """Route the libraries' loggers to the collector for good (the CLI calls this once:
    a record logged outside a report, by a worker thread, is then dropped, not printed)."""
    for name in LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if _collector not in logger.handlers:
            logger.addHandler(_collector)
        logger.propagate = False


@contextmanager
def quiet_libraries() -> Iterator[list[str]]:
    """While the block runs, the libraries' log records and warnings in this thread go
    to the list it yields instead of stderr."""
    global _depth
    heard: list[str] = []
    outer = getattr(_collector.local, "sink", None)
    _collector.local.sink = heard
    with _lock:
        if _depth == 0:
            _saved.clear()
            for name in LIBRARY_LOGGERS:
                logger = logging.getLogger(name)
                _saved.append((logger, logger.propagate))
                if _collector not in logger.handlers:
                    logger.addHandler(_collector)
                logger.propagate = False
        _depth += 1
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield heard
        for w in caught[: max(0, MAX_KEPT - len(heard))]:
            heard.append(f"warning: {' '.join(str(w.message).split())[:200]}")
    finally:
        _collector.local.sink = outer
        with _lock:
            _depth -= 1
            if _depth == 0:
                for logger, propagate in _saved:
                    logger.propagate = propagate

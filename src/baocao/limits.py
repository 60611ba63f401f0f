"""Resource limits of one report: how long it may take and how much it may grow.

A monthly report is 20-200 thousand characters on 2-30 pages and yields a few hundred
figures in well under a second per page (a 13-page PDF with its table: half a second). A
file far beyond that is damaged or hostile (a decompression bomb, a page the size of a
wall, millions of one-figure lines), and without limits it would hold a worker for
minutes and take gigabytes; ``--jobs N`` multiplies that. Every limit below is checked
*before* the expensive step it guards where it can be, and an exceeded limit is one
:class:`~baocao.ingest.InputError` (one line ``baocao: PATH: reason``, exit 2) naming the
setting that raises it.

Each limit is read from its environment variable when a report starts, so worker
processes see the caller's settings; a value that is not a positive number is ignored.

=========================  ==========  ==================================================
variable                   default     what it bounds
=========================  ==========  ==================================================
``BAOCAO_TIMEOUT``         45          seconds per report, every format: checked between
                                       PDF pages and table pages, inside the HTML walk
                                       and between the sentences the grammar reads
``BAOCAO_MAX_MB``          200         size of the report file (MB)
``BAOCAO_MAX_CHARACTERS``  3000000     characters of text one report may have
``BAOCAO_MAX_STREAM_MB``   256         bytes PDF streams inflate to, all together (MB),
                                       measured before any PDF library parses the file
``BAOCAO_MAX_PAGE_AREA``   2000000     area (square points) of a page rendered to read
                                       its ruled table; A3 is 1.0 million, A2 2.0
``BAOCAO_MAX_ROWS``        50000       observations of one report (numbers in its text
                                       are counted first, tables' rows after)
``BAOCAO_MAX_OUTPUT_MB``   64          text one report's observations may write (MB)
=========================  ==========  ==================================================
"""

from __future__ import annotations

import contextvars
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


def _env_number(name: str, default: float) -> float:
    """A positive number from the environment, else ``default``."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class Limits:
    """The limits of one report (see the module docstring for their meaning)."""

    timeout: float = 45.0
    max_mb: float = 200.0
    max_characters: int = 3_000_000
    max_stream_mb: float = 256.0
    max_page_area: float = 2_000_000.0
    max_rows: int = 50_000
    max_output_mb: float = 64.0

    @classmethod
    def from_env(cls) -> Limits:
        """The limits as the environment sets them."""
        d = cls()
        return cls(
            timeout=_env_number("BAOCAO_TIMEOUT", d.timeout),
            max_mb=_env_number("BAOCAO_MAX_MB", d.max_mb),
            max_characters=int(_env_number("BAOCAO_MAX_CHARACTERS", d.max_characters)),
            max_stream_mb=_env_number("BAOCAO_MAX_STREAM_MB", d.max_stream_mb),
            max_page_area=_env_number("BAOCAO_MAX_PAGE_AREA", d.max_page_area),
            max_rows=int(_env_number("BAOCAO_MAX_ROWS", d.max_rows)),
            max_output_mb=_env_number("BAOCAO_MAX_OUTPUT_MB", d.max_output_mb),
        )


class Deadline:
    """Raises :class:`~baocao.ingest.InputError` once ``seconds`` have passed since
    creation."""

    def __init__(self, path: str, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self, what: str) -> None:
        """Fail with a reason naming ``what`` was being done when time ran out."""
        if time.monotonic() > self.end:
            from .ingest.errors import InputError  # here: ingest itself imports this module

            raise InputError(
                self.path,
                f"took longer than {self.seconds:g} s while {what} (limit BAOCAO_TIMEOUT); "
                "the file may be damaged or unusually complex",
            )


_CURRENT: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "baocao_deadline", default=None
)


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Make ``deadline`` the one :func:`check_deadline` checks while the block runs (the
    grammar and the readers check it without having it passed down)."""
    token = _CURRENT.set(deadline)
    try:
        yield deadline
    finally:
        _CURRENT.reset(token)


def current_deadline() -> Deadline | None:
    """The deadline of the report being read in this context, if any."""
    return _CURRENT.get()


def check_deadline(what: str) -> None:
    """Raise :class:`~baocao.ingest.InputError` if the current report's time is up
    (no-op outside a report)."""
    deadline = _CURRENT.get()
    if deadline is not None:
        deadline.check(what)

"""The one-line messages of the command line: ``baocao: WHERE: reason``.

A file name may hold a newline (``touch "$(printf 'a\\nb.md')"``), a URL a tab, a
library's message a whole traceback; printed as they are, one error would take several
lines and could pass for another file's. :func:`error_line` keeps every message on one
line: control and other invisible characters of the path are written as escapes
(``a\\nb.md``), and white space runs of the reason become single spaces.
"""

from __future__ import annotations

import sys


def shown(text: str) -> str:
    """``text`` with every unprintable character written as its Python escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def error_line(where: str, reason: object) -> str:
    """``baocao: WHERE: reason`` on one line."""
    return f"baocao: {shown(str(where))}: {' '.join(str(reason).split())}"


def print_error(where: str, reason: object) -> None:
    """Print :func:`error_line` on stderr."""
    print(error_line(where, reason), file=sys.stderr, flush=True)

"""The one exception a reader raises for a file it cannot read."""

from __future__ import annotations


class InputError(Exception):
    """A report that cannot be read; ``str(err)`` is the one-line reason shown to users.

    The CLI prints ``baocao: PATH: reason`` and goes on with the other inputs.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason

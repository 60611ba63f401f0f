"""Output files written safely: complete or absent, and never over what they must not touch.

``baocao extract report.md -o report.md`` once replaced the report with JSON Lines, and a
read-only file, a symlink to ``/dev/null`` or a FIFO named by ``-o`` was replaced by a
new file. The rules now:

- :func:`resolve_target` refuses a target that is a directory, a FIFO, a device or a
  socket, a read-only file, or one of the command's own inputs (one line, exit 2). A
  symlink is written *through*: its final target is replaced and the link stays a link.
- :class:`AtomicFile` writes into a temporary file in the target's folder and puts it in
  place with one rename only when complete. Where the kernel supports it (Linux
  ``O_TMPFILE``) the temporary file has no name at all until then, so even a killed
  process leaves nothing behind; elsewhere it is named ``.<name>.baocao-<pid>-<x>.tmp``.
- The result has the mode of the file it replaces, or for a new file 0666 minus the
  umask, like any file a shell redirection creates.
- Named temporary files whose writing process is gone are deleted by the next writer in
  the folder (:func:`sweep_stale_temps`).
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO

TEMP_SUFFIX = ".tmp"
_TEMP_NAME = re.compile(r"^\..+\.baocao-(\d{1,10})-[0-9a-f]{8}\.tmp$")


class OutputError(Exception):
    """An output target that must not be written; ``reason`` is the one-line why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def temp_name(target_name: str) -> str:
    """The name of a named temporary file for ``target_name``, owned by this process."""
    return f".{target_name}.baocao-{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def sweep_stale_temps(folder: Path, pattern: re.Pattern[str] = _TEMP_NAME) -> list[Path]:
    """Delete our temporary files in ``folder`` whose writing process has ended (killed
    before it could clean up); ``pattern``'s first group is the writer's pid."""
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = pattern.match(name)
        if m is None or process_alive(int(m.group(1))):
            continue
        path = folder / name
        try:
            if path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def resolve_target(out: str | os.PathLike[str], inputs: Iterable[str] = ()) -> Path:
    """The file to write for ``-o out`` (a symlink's final target), or
    :class:`OutputError` saying why it must not be written."""
    shown = os.fspath(out)
    try:
        target = Path(os.path.realpath(shown, strict=False))
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as err:  # a symlink loop, a component that is not a folder
        raise OutputError(shown, f"cannot write there ({err.strerror or err})") from None
    kind = _kind(st.st_mode)
    if kind is not None:
        where = f" (through a symlink to {target})" if os.path.islink(shown) else ""
        raise OutputError(shown, f"{kind}{where}; not writing output there")
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError(shown, "is read-only; not replacing it")
    for source in inputs:
        try:
            same = os.path.samefile(source, target)
        except OSError:
            continue
        if same:
            raise OutputError(shown, "is also one of the inputs; not overwriting it")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UNNAMED_WORKS: dict[int, bool] = {}  # by st_dev: whether an unnamed file can be linked


def _open_unnamed(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where the kernel or
    the filesystem cannot create one or give it a name later (overlay filesystems refuse
    the link with EXDEV: probed once per filesystem)."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir("/proc/self/fd"):
        return None
    device = os.stat(folder).st_dev
    if _UNNAMED_WORKS.get(device) is False:
        return None
    try:
        fd = os.open(folder, flag | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as err:
        if err.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            _UNNAMED_WORKS[device] = False
            return None  # a filesystem (or kernel) without O_TMPFILE
        raise
    if device not in _UNNAMED_WORKS:
        probe = folder / temp_name("probe")
        try:
            os.link(f"/proc/self/fd/{fd}", probe, follow_symlinks=True)
        except OSError:
            _UNNAMED_WORKS[device] = False
            os.close(fd)
            return None
        probe.unlink(missing_ok=True)
        _UNNAMED_WORKS[device] = True
    return fd


class AtomicFile:
    """A file written to a temporary in the target's folder, put in place by
    :meth:`commit`, removed by :meth:`discard` (see the module docstring)."""

    def __init__(self, target: Path, binary: bool = False) -> None:
        self.target = target
        folder = target.parent
        folder.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(folder)
        try:
            self.mode = stat.S_IMODE(os.stat(target).st_mode)
        except FileNotFoundError:
            self.mode = 0o666 & ~_umask()
        fd = _open_unnamed(folder)
        self.named: Path | None = None
        if fd is None:
            self.named = folder / temp_name(target.name)
            fd = os.open(self.named, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.fd = fd
        self.file: IO = (os.fdopen(fd, "wb") if binary
                         else os.fdopen(fd, "w", encoding="utf-8", newline=""))
        self.done = False

    def commit(self) -> None:
        """Flush, give the file its mode and put it in place (one rename)."""
        if self.done:
            return
        try:
            self.file.flush()
            os.fsync(self.fd)
            os.fchmod(self.fd, self.mode)
            if self.named is None:
                self.named = self.target.parent / temp_name(self.target.name)
                os.link(f"/proc/self/fd/{self.fd}", self.named, follow_symlinks=True)
            os.replace(self.named, self.target)
            self.named = None
        except BaseException:
            self.discard()
            raise
        self.file.close()
        self.done = True

    def discard(self) -> None:
        """Abandon the file: nothing is left at the target or beside it."""
        if self.done:
            return
        self.done = True
        try:
            self.file.close()
        except OSError:
            pass
        if self.named is not None:
            self.named.unlink(missing_ok=True)
            self.named = None

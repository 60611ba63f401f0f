"""Publishing a build's files as one unit: a versioned folder and one pointer.

Renaming six files into place one by one left, after a crash between two renames, the
new ``observations.csv`` beside the old ``observations.parquet``. Now every build is
written into its own folder, ``OUT/.builds/<UTC time>-<pid>/``; when all its files are
complete, one atomic rename points ``OUT/.builds/current`` (a symlink) at it. The names
readers use, ``OUT/observations.csv`` and the rest, are fixed symlinks to
``.builds/current/<name>``, so they switch together: a reader, and a crash, sees either
the whole old build or the whole new one, never a mix.

The two newest builds besides the current one are kept (a reader that opened the
previous build can finish); older ones are deleted. A folder whose writing process is
gone (``.builds/.staging-<pid>-…``) is swept by the next build. An output folder of the
earlier layout (plain files) is adopted on the first build without a moment of mixing:
its files are hard-linked into a version of their own before the names become links.
Where symlinks cannot be made (some Windows setups), each file is renamed into place as
before.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from ..outfile import process_alive

BUILDS = ".builds"
CURRENT = "current"
KEEP_PREVIOUS = 2
_STAGING = re.compile(r"^\.(?:staging|current)-(\d{1,10})-[0-9a-f]{8}$")

Writer = Callable[[Path], object]


class PublishError(Exception):
    """The output folder cannot take the build; ``str()`` is the one-line reason."""


def publish(out_dir: Path, writers: dict[str, Writer]) -> Path:
    """Write every output with its writer into a new version of ``out_dir`` and switch
    to it in one step; returns the version folder. Nothing in ``out_dir`` changes if a
    writer fails."""
    out_dir.mkdir(parents=True, exist_ok=True)
    builds = out_dir / BUILDS
    builds.mkdir(exist_ok=True)
    sweep_staging(builds)
    links = _symlinks_work(builds)
    if links:
        _adopt_plain_files(out_dir, builds, writers)
    staging = builds / f".staging-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        for name, write in writers.items():
            write(staging / name)
        version = builds / version_name()
        os.rename(staging, version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not links:
        _replace_each(out_dir, version, writers)
        return version
    _point(builds, version.name)
    _link_names(out_dir, writers)
    prune(builds)
    return version


def version_name() -> str:
    """A version folder's name: sorts in build order, unique per process."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    return f"{stamp}-{os.getpid()}"


def sweep_staging(builds: Path) -> list[Path]:
    """Delete staging folders and pointer temporaries whose writing process is gone."""
    removed = []
    for path in builds.iterdir():
        m = _STAGING.match(path.name)
        if m is None or process_alive(int(m.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _symlinks_work(builds: Path) -> bool:
    probe = builds / f".current-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.symlink(CURRENT, probe)
    except (OSError, NotImplementedError):
        return False
    probe.unlink()
    return True


def _point(builds: Path, target: str) -> None:
    """Make ``builds/current`` point at ``target`` in one rename."""
    tmp = builds / f".current-{os.getpid()}-{secrets.token_hex(4)}"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, builds / CURRENT)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _link_names(out_dir: Path, names: Iterable[str]) -> None:
    """Make each ``out_dir/name`` the fixed symlink ``.builds/current/name``."""
    for name in names:
        link = out_dir / name
        target = f"{BUILDS}/{CURRENT}/{name}"
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            raise PublishError(f"{link} is a directory; cannot publish {name} there")
        tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.link"
        os.symlink(target, tmp)
        try:
            os.replace(tmp, link)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _adopt_plain_files(out_dir: Path, builds: Path, names: Iterable[str]) -> None:
    """First build over the earlier layout: give its plain files a version of their own
    (hard links, else copies) and make the names links to it, so that no moment mixes
    old and new files."""
    plain = [n for n in names if (out_dir / n).is_file() and not (out_dir / n).is_symlink()]
    if not plain or (builds / CURRENT).is_symlink():
        return
    legacy = builds / f"{version_name()}-adopted"
    legacy.mkdir()
    for name in plain:
        try:
            os.link(out_dir / name, legacy / name)
        except OSError:
            shutil.copy2(out_dir / name, legacy / name)
    _point(builds, legacy.name)
    _link_names(out_dir, plain)


def _replace_each(out_dir: Path, version: Path, names: Iterable[str]) -> None:
    """Without symlinks: copy each file beside its place and rename it in (each file
    whole, the set not at once)."""
    for name in names:
        tmp = out_dir / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        shutil.copy2(version / name, tmp)
        os.replace(tmp, out_dir / name)
    shutil.rmtree(version, ignore_errors=True)


def prune(builds: Path, keep: int = KEEP_PREVIOUS) -> list[Path]:
    """Delete versions older than the current one and the ``keep`` newest others."""
    try:
        current = os.readlink(builds / CURRENT)
    except OSError:
        return []
    versions = sorted(p.name for p in builds.iterdir()
                      if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    spare = [v for v in versions if v != current]
    removed = []
    for name in spare[: max(0, len(spare) - keep)]:
        shutil.rmtree(builds / name, ignore_errors=True)
        removed.append(builds / name)
    return removed

"""The destination directory: documents with their ``<stem>.meta.json`` sidecars.

Nothing here ever overwrites a document. A URL keeps the stem it was first stored under
(the sidecar's ``url`` is the key), a changed document becomes a dated version beside the
old one (``<stem>.v2026-11-26.pdf``, sidecar field ``supersedes``), and both documents and
sidecars appear only complete (written to a temporary file, then renamed).

All versions of a document share its ``report_id`` (the first stem); ``baocao build`` uses
the newest. A version's sidecar also names the file it ``supersedes`` and when it was
fetched (``fetched_at``), so the chain of versions can be read back exactly.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from ..console import print_error
from ..outfile import process_alive
from ..paths import PathEscape, id_problem, inside, name_problem
from .client import TEMP_PREFIX, TEMP_SUFFIX, FetchError, temp_name
from .manifest import url_tag

SIDECAR_SUFFIX = ".meta.json"
STALE_TEMP_SECONDS = 3600  # temporaries without a writer's pid: a live one is touched often
_TEMP_WITH_PID = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d{{1,10}})-[0-9a-f]{{8}}"
                            rf"{re.escape(TEMP_SUFFIX)}$")
DOCUMENT_EXTENSIONS = ("pdf", "html", "htm", "txt", "md")

# The seed sidecar's fields first, in its order, then what a download adds.
SIDECAR_FIELDS = (
    "report_id", "file", "publisher", "title_vi", "period", "report_kind", "language",
    "format", "how_obtained", "url", "sha256", "size", "date_accessed",
    "final_url", "http_status", "content_type", "etag", "last_modified", "fetched_at",
    "supersedes", "notes",
)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Store:
    """Sidecars already in ``dest`` indexed by URL, and the stems already taken."""

    def __init__(self, dest: Path) -> None:
        self.dest = dest
        self.by_url: dict[str, list[dict[str, Any]]] = {}
        self._claimed: set[str] = set()
        self._file_mode = 0o666 & ~_umask()

    @classmethod
    def open(cls, dest: Path) -> Store:
        """Create ``dest`` if needed and read its sidecars; an unreadable or unsafe one
        is reported (one line) and ignored: its names never become paths."""
        if dest.exists() and not dest.is_dir():
            raise FetchError("destination exists and is not a directory")
        dest.mkdir(parents=True, exist_ok=True)
        sweep_stale_temps(dest)
        store = cls(dest)
        for path in sorted(dest.glob(f"*{SIDECAR_SUFFIX}")):
            try:
                meta = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                print_error(str(path), "unreadable sidecar, ignored")
                continue
            problem = sidecar_problem(meta)
            if problem is not None:
                print_error(str(path), f"sidecar ignored: {problem}")
                continue
            store._index(meta)
        return store

    def path(self, name: str) -> Path:
        """``dest / name``, a name from data checked to stay in ``dest``."""
        try:
            return inside(self.dest, name)
        except PathEscape as err:
            raise FetchError(str(err)) from None

    def _index(self, meta: dict[str, Any]) -> None:
        self.by_url.setdefault(meta["url"], []).append(meta)
        if isinstance(meta.get("report_id"), str):
            self._claimed.add(meta["report_id"])

    def latest_for(self, url: str) -> dict[str, Any] | None:
        """The newest stored version of ``url``: the one no other version supersedes."""
        versions = self.by_url.get(url)
        if not versions:
            return None
        superseded = {m.get("supersedes") for m in versions}
        heads = [m for m in versions if m.get("file") not in superseded] or versions
        return max(heads, key=lambda m: (str(m.get("fetched_at") or m.get("date_accessed") or ""),
                                         str(m.get("file") or "")))

    def intact(self, meta: dict[str, Any]) -> bool:
        """The document a sidecar describes is present with the recorded size."""
        try:
            path = self.path(meta.get("file"))  # type: ignore[arg-type]
            return path.is_file() and path.stat().st_size == meta.get("size")
        except (OSError, FetchError):
            return False

    def taken(self, stem: str) -> bool:
        """Some sidecar or document in ``dest`` (or claimed in this run) uses ``stem``."""
        if stem in self._claimed or self.path(f"{stem}{SIDECAR_SUFFIX}").exists():
            return True
        return any(self.path(f"{stem}.{ext}").exists() for ext in DOCUMENT_EXTENSIONS)

    def new_stem(self, base: str, url: str) -> str:
        """``base`` if free, else ``base-<url tag>`` (another URL got there first)."""
        if not self.taken(base):
            return base
        tagged = f"{base}-{url_tag(url)}"
        candidate, n = tagged, 2
        while self.taken(candidate):
            candidate, n = f"{tagged}-{n}", n + 1
        return candidate

    def version_stem(self, previous: dict[str, Any], day: str) -> str:
        """``<report_id>.v<day>`` for a new version of ``previous``; a second change on the
        same day gets ``.v<day>b``, then ``c``…, so names still sort oldest to newest."""
        root = str(previous["report_id"]).split(".", 1)[0]
        if id_problem(root) is not None:
            raise FetchError(id_problem(root))
        candidate = f"{root}.v{day}"
        for letter in "bcdefghijklmnopqrstuvwxyz":
            if not self.taken(candidate):
                return candidate
            candidate = f"{root}.v{day}{letter}"
        raise FetchError(f"too many versions of {root} on {day}")

    def place(self, tmp: Path, name: str) -> Path:
        """Move a complete temporary file to ``dest/name``; refuses to overwrite."""
        target = self.path(name)
        if target.exists() or target.is_symlink():
            raise FetchError(f"{target} already exists; not overwriting it")
        os.chmod(tmp, self._file_mode)
        os.replace(tmp, target)
        return target

    def write_sidecar(self, stem: str, meta: dict[str, Any]) -> Path:
        """Write ``<stem>.meta.json`` atomically and index it."""
        target = self.path(f"{stem}{SIDECAR_SUFFIX}")
        ordered = {k: meta[k] for k in SIDECAR_FIELDS if k in meta}
        ordered.update({k: v for k, v in meta.items() if k not in ordered})
        text = json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"
        tmp = self.dest / temp_name()
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
            os.chmod(tmp, self._file_mode)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        self._index(ordered)
        return target

    def claim(self, stem: str) -> None:
        """Reserve ``stem`` for the rest of this run."""
        self._claimed.add(stem)



def sidecar_problem(meta: object) -> str | None:
    """Why a sidecar read from DEST may not be used (None if it may): every field that
    becomes a path or a name must be safe (see :mod:`baocao.paths`)."""
    if not isinstance(meta, dict):
        return "not a JSON object"
    if not isinstance(meta.get("url"), str) or not meta["url"]:
        return "no url"
    problem = id_problem(meta.get("report_id"))
    if problem is None:
        problem = name_problem(meta.get("file"))
    if problem is None and meta.get("supersedes") is not None:
        problem = name_problem(meta["supersedes"], "supersedes")
    for key in ("etag", "last_modified"):  # sent back as request headers
        value = meta.get(key)
        if problem is None and value is not None and (
            not isinstance(value, str) or not value.isprintable()
        ):
            problem = f"{key} {value!r} is not a header value"
    return problem


def sweep_stale_temps(dest: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temporary files a killed run left in ``dest``: at once when the process
    named in the file is gone, else once untouched for ``older_than`` seconds (files of
    older versions, without a pid). Live ones are left alone."""
    removed = []
    cutoff = time.time() - older_than
    for path in dest.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        m = _TEMP_WITH_PID.match(path.name)
        try:
            if path.is_symlink() or not path.is_file():
                continue
            stale = (not process_alive(int(m.group(1))) if m
                     else path.stat().st_mtime < cutoff)
            if stale:
                path.unlink()
                removed.append(path)
        except OSError:
            continue
    return removed

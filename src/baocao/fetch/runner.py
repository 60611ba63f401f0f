"""From manifest rows to stored reports: one outcome per row, and a summary of the run.

Each row ends as exactly one of: ``fetched`` (first copy stored), ``unchanged`` (the server
said 304, or sent the bytes we already hold), ``new version`` (the document changed: stored
beside the old one, which stays untouched), or ``failed`` (with a one-line reason; nothing
left in the destination).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..console import shown
from .client import Download, FetchError, HttpClient, redact
from .content import EXTENSIONS, classify
from .manifest import SourceRow, base_stem, row_problem
from .store import Store

HOW_OBTAINED = "fetched by baocao fetch"
STATUSES = ("fetched", "unchanged", "new version", "failed")


@dataclass(frozen=True)
class Outcome:
    """What became of one manifest row."""

    row: SourceRow
    status: str
    report_id: str | None = None
    file: str | None = None
    reason: str | None = None

    @property
    def where(self) -> str:
        """The row's URL (password hidden, control characters escaped), or its manifest
        line when it has none."""
        return shown(redact(self.row.url)) if self.row.url else f"manifest line {self.row.line}"


@dataclass
class Summary:
    """All outcomes of a run, in manifest order."""

    dest: Path
    outcomes: list[Outcome]

    @property
    def counts(self) -> Counter[str]:
        return Counter(o.status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def text(self) -> str:
        """Human summary: one count line, then one line per row."""
        counts = self.counts
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
        lines = [f"baocao fetch: {len(self.outcomes)} rows: {parts} (in {self.dest})"]
        for o in self.outcomes:
            if o.status == "failed":
                lines.append(f"  {o.status:<12} {o.where}: {o.reason}")
            else:
                lines.append(f"  {o.status:<12} {o.file}  <- {o.where}")
        return "\n".join(lines)


def fetch_rows(
    rows: Iterable[SourceRow],
    dest: Path,
    client: HttpClient,
    *,
    progress: bool = False,
    report: Callable[[str], None] | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Summary:
    """Fetch every row into ``dest``; ``report`` receives one line per failure as it happens.

    Raises :class:`FetchError` only when ``dest`` itself is unusable.
    """
    rows = list(rows)
    store = Store.open(dest)
    outcomes: list[Outcome] = []
    bar = tqdm(rows, desc="fetch", unit="doc", file=sys.stderr, disable=not progress,
               dynamic_ncols=True, leave=False)
    for row in bar:
        try:
            outcome = fetch_one(row, store, client, now)
        except FetchError as err:
            outcome = Outcome(row, "failed", reason=str(err))
        except OSError as err:
            outcome = Outcome(row, "failed", reason=f"cannot store ({err.strerror or err})")
        except ValueError as err:  # a value of the row that no check above foresaw
            outcome = Outcome(row, "failed", reason=f"cannot use this row ({err})")
        outcomes.append(outcome)
        if outcome.status == "failed" and report is not None:
            report(f"baocao: {outcome.where}: {outcome.reason}")
    bar.close()
    return Summary(dest, outcomes)


def fetch_one(
    row: SourceRow, store: Store, client: HttpClient,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Outcome:
    """Fetch one row; raises :class:`FetchError` with the reason when it fails."""
    problem = row_problem(row)
    if problem is not None:
        raise FetchError(problem)
    previous = store.latest_for(redact(row.url))
    have_copy = previous is not None and store.intact(previous)
    if have_copy and row.sha256 and previous.get("sha256") == row.sha256:
        return _kept(row, previous)  # the pinned checksum is already here: no request
    headers: dict[str, str] = {}
    if have_copy:
        if previous.get("etag"):
            headers["If-None-Match"] = previous["etag"]
        if previous.get("last_modified"):
            headers["If-Modified-Since"] = previous["last_modified"]
    download = client.download(row.url, store.dest, headers)
    try:
        return _store(row, store, download, previous, have_copy, now())
    finally:
        if download.path is not None:
            download.path.unlink(missing_ok=True)


def _kept(row: SourceRow, previous: dict[str, Any]) -> Outcome:
    return Outcome(row, "unchanged", previous.get("report_id"), previous.get("file"))


def _store(
    row: SourceRow,
    store: Store,
    download: Download,
    previous: dict[str, Any] | None,
    have_copy: bool,
    moment: datetime,
) -> Outcome:
    if download.status == 304:
        if previous is None or not have_copy:
            raise FetchError("HTTP 304 Not Modified for a document we do not hold")
        return _kept(row, previous)
    assert download.path is not None
    fmt = classify(download.head, download.size, download.content_type, row.url, row.format)
    if row.sha256 and download.sha256 != row.sha256:
        raise FetchError(
            f"sha256 mismatch: manifest expects {row.sha256[:12]}…, got {download.sha256[:12]}…"
        )
    if previous is not None and download.sha256 == previous.get("sha256"):
        if have_copy:
            return _kept(row, previous)
        # The sidecar is here but its document went missing: put the same bytes back.
        store.place(download.path, previous["file"])
        return Outcome(row, "fetched", previous.get("report_id"), previous.get("file"))
    day = moment.date().isoformat()
    if previous is not None:
        stem = store.version_stem(previous, day)
        report_id = str(previous["report_id"])
        status = "new version"
    else:
        stem = report_id = store.new_stem(base_stem(row), row.url)
        status = "fetched"
    store.claim(stem)
    name = f"{stem}.{EXTENSIONS[fmt]}"
    meta = _sidecar(row, download, report_id, name, fmt, moment)
    if previous is not None:
        meta["supersedes"] = previous.get("file")
    placed = store.place(download.path, name)
    try:
        store.write_sidecar(stem, meta)
    except BaseException:
        placed.unlink(missing_ok=True)
        raise
    return Outcome(row, status, report_id, name)


def _sidecar(
    row: SourceRow, download: Download, report_id: str, name: str, fmt: str, moment: datetime
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "report_id": report_id,
        "file": name,
        "publisher": row.publisher,
        "title_vi": row.title_vi,
        "period": row.period,
        "report_kind": row.report_kind,
        "language": row.language,
        "format": fmt,
        "how_obtained": HOW_OBTAINED,
        "url": redact(row.url),
        "sha256": download.sha256,
        "size": download.size,
        "date_accessed": moment.date().isoformat(),
        "final_url": download.final_url,
        "http_status": download.status,
        "content_type": download.content_type or None,
        "etag": download.etag,
        "last_modified": download.last_modified,
        "fetched_at": moment.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }
    if row.notes:
        meta["notes"] = row.notes
    return meta

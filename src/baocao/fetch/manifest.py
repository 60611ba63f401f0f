"""The source manifest: one CSV row per report page to fetch, and the stable names derived from it.

Columns: ``url`` (required), ``publisher``, ``title_vi``, ``period``, ``report_kind``, and the
optional ``sha256`` (expected checksum, verified after download), ``format`` (``pdf`` or
``html``: what the URL must deliver), ``language`` (default ``vi``) and ``report_id`` (an
explicit stem overriding the derived one). Other columns (``notes``) are kept but not needed.

A report's stem is derived from where it comes from and the period it covers, e.g.
``http://vanphong.langson.gov.vn/en/node/53046`` for period ``2018-05`` becomes
``langson-vanphong-2018-05``: the host without ``www.`` and its public suffix, labels in
reverse order (province first), then the period, all ASCII without diacritics.
"""

from __future__ import annotations

import csv
import hashlib
import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .urls import check_url

REQUIRED_COLUMNS = ("url",)
KNOWN_FORMATS = ("pdf", "html")

# Endings that name a registry, not a publisher: dropped from the host before slugifying.
_PUBLIC_SUFFIXES = (
    ".gov.vn", ".org.vn", ".com.vn", ".edu.vn", ".net.vn", ".vn",
    ".com", ".org", ".net", ".int", ".info",
)
_HOST_PREFIXES = ("www.",)
_STEM_OK = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ManifestError(Exception):
    """A manifest that cannot be used at all; ``str(err)`` is the one-line reason."""


@dataclass(frozen=True)
class SourceRow:
    """One manifest row: a document to fetch and what it is."""

    line: int
    url: str
    publisher: str = ""
    title_vi: str = ""
    period: str = ""
    report_kind: str = ""
    sha256: str | None = None
    format: str | None = None
    language: str = "vi"
    report_id: str | None = None
    notes: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated slug; Vietnamese letters lose their diacritics.

    ``đ``/``Đ`` do not decompose under NFKD, so they are mapped to ``d`` explicitly.
    """
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def host_slug(url: str) -> str:
    """Slug of a URL's host, most significant label first: ``vanphong.langson.gov.vn`` ->
    ``langson-vanphong``; ``cucthongkelangson.gov.vn`` -> ``cucthongkelangson``."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return slugify(host)  # an address has no labels to reorder
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
    for suffix in _PUBLIC_SUFFIXES:
        if host.endswith(suffix) and len(host) > len(suffix):
            host = host[: -len(suffix)]
            break
    labels = [slugify(label) for label in reversed(host.split("."))]
    return "-".join(label for label in labels if label)


def base_stem(row: SourceRow) -> str:
    """The stem a row's document is stored under when nothing else claims it.

    Falls back to the publisher's name when the URL has no host, and to a short hash of
    the URL when the row has no period, so that every row gets a name.
    """
    if row.report_id:
        return row.report_id
    who = host_slug(row.url) or slugify(row.publisher) or "source"
    when = slugify(row.period) or url_tag(row.url)
    return f"{who}-{when}"


def url_tag(url: str) -> str:
    """Six hex digits that tell apart two URLs whose stems would otherwise collide."""
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:6]


def _clean(value: str | None) -> str:
    return (value or "").strip()


def read_manifest(path: str | Path) -> list[SourceRow]:
    """Read a manifest CSV (UTF-8, optional BOM) into rows.

    Raises :class:`ManifestError` for a file that is missing, not UTF-8 text, not CSV, or
    has no ``url`` column. Row-level problems (an empty url) are left to the fetcher, which
    reports them per row and goes on with the others.
    """
    p = Path(path)
    if not p.exists():
        raise ManifestError("no such file")
    if p.is_dir():
        raise ManifestError("is a directory, not a manifest CSV")
    try:
        raw = p.read_bytes()
    except OSError as err:
        raise ManifestError(f"cannot read manifest ({err.strerror or err})") from err
    if b"\x00" in raw:
        raise ManifestError("not a CSV file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ManifestError(f"not a UTF-8 CSV file (bad byte at offset {err.start})") from err
    if not text.strip():
        raise ManifestError("empty manifest (no header row)")
    try:
        reader = csv.DictReader(text.splitlines(keepends=True), strict=True)
        header = [(name or "").strip() for name in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            shown = ", ".join(h for h in header if h)[:120] or "none"
            raise ManifestError(
                f"not a source manifest: no {missing[0]!r} column (columns: {shown})"
            )
        repeated = sorted({h for h in header if h and header.count(h) > 1})
        if repeated:
            raise ManifestError(
                f"column {repeated[0]!r} appears more than once; which one is meant?"
            )
        reader.fieldnames = header
        rows = []
        for record in reader:
            rows.append(_row_from_record(record, reader.line_num))
    except csv.Error as err:
        raise ManifestError(f"not a CSV file ({err})") from err
    return rows


def _row_from_record(record: dict[str | None, str | list[str] | None], line: int) -> SourceRow:
    values = {k: _clean(v) for k, v in record.items() if isinstance(k, str)}
    fmt = values.get("format", "").lower() or None
    sha = values.get("sha256", "").lower() or None
    report_id = values.get("report_id") or None
    known = {
        "url", "publisher", "title_vi", "period", "report_kind", "sha256", "format",
        "language", "report_id", "notes",
    }
    return SourceRow(
        line=line,
        url=values.get("url", ""),
        publisher=values.get("publisher", ""),
        title_vi=values.get("title_vi", ""),
        period=values.get("period", ""),
        report_kind=values.get("report_kind", ""),
        sha256=sha,
        format=fmt,
        language=values.get("language") or "vi",
        report_id=report_id,
        notes=values.get("notes", ""),
        extra={k: v for k, v in values.items() if k not in known and v},
    )


def row_problem(row: SourceRow) -> str | None:
    """Why a row cannot be fetched as written (None when it can); checked before any request."""
    if not row.url:
        return "empty url"
    problem = check_url(row.url)
    if problem is not None:
        return problem
    if row.sha256 is not None and not re.fullmatch(r"[0-9a-f]{64}", row.sha256):
        return f"sha256 column is not 64 hex digits: {row.sha256!r}"
    if row.format is not None and row.format not in KNOWN_FORMATS:
        return f"format column must be one of {', '.join(KNOWN_FORMATS)}, not {row.format!r}"
    if row.report_id is not None and not _STEM_OK.match(row.report_id):
        return f"report_id must be lower-case ASCII letters, digits and '-': {row.report_id!r}"
    return None

"""Getting the corpus: fetch the documents a source manifest lists into ``data/raw/``.

Each document is stored under a stable stem with a ``<stem>.meta.json`` sidecar (the seed's
fields plus the HTTP ones), which is all ``baocao build`` needs to pick it up. See
:mod:`.manifest` (rows and names), :mod:`.client` (polite HTTP), :mod:`.content` (what a
body is), :mod:`.store` (never overwrite; dated versions) and :mod:`.runner` (outcomes).
"""

from __future__ import annotations

from .client import (
    ClientSettings,
    Download,
    FetchError,
    HttpClient,
    check_url,
    parse_retry_after,
    redact,
)
from .manifest import ManifestError, SourceRow, base_stem, host_slug, read_manifest, slugify
from .runner import HOW_OBTAINED, Outcome, Summary, fetch_one, fetch_rows

__all__ = [
    "HOW_OBTAINED",
    "ClientSettings",
    "Download",
    "FetchError",
    "HttpClient",
    "ManifestError",
    "Outcome",
    "SourceRow",
    "Summary",
    "base_stem",
    "check_url",
    "fetch_one",
    "fetch_rows",
    "host_slug",
    "parse_retry_after",
    "read_manifest",
    "redact",
    "slugify",
    "user_agent",
]


def user_agent() -> str:
    """``baocao/<version> (+research; contact in README)``: who is asking, and where to write."""
    from .. import __version__

    return f"baocao/{__version__} (+research; contact in README)"

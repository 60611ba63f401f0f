"""``baocao fetch MANIFEST.csv [--dest DIR]``: download the reports a source manifest lists.

Every failure is one line ``baocao: URL: reason`` on stderr as it happens and again in the
summary (stdout) at the end; the exit code is then 2. Nothing partial is left in DEST.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def byte_size(text: str) -> int:
    """``100M``, ``512k``, ``2GiB`` or a plain number of bytes (binary multiples)."""
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100M, 512k, 1048576)")
    unit = (match.group(2) or "").lower()[:1]
    value = int(float(match.group(1)) * _UNITS[unit])
    if value <= 0:
        raise argparse.ArgumentTypeError("size must be positive")
    return value


def _positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
        return value

    return parse


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {text!r}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "fetch",
        help="download the reports a source manifest lists, with provenance sidecars",
        description="Download each document listed in MANIFEST (CSV: url, publisher, title_vi, "
        "period, report_kind, optional sha256/format) into DEST as <stem>.pdf|.html with a "
        "<stem>.meta.json sidecar that `baocao build` picks up. A second run asks the server "
        "whether anything changed (ETag/Last-Modified) and skips what did not; a changed "
        "document is stored as a new dated version beside the old one, never over it.",
    )
    p.add_argument("manifest", metavar="MANIFEST", help="source manifest CSV")
    p.add_argument("--dest", default="data/raw", help="directory for documents (default data/raw)")
    p.add_argument("--rate", type=_positive(float), default=1.0,
                   help="requests per second to any one host (default 1)")
    p.add_argument("--retries", type=_non_negative_int, default=3,
                   help="retries after 429, 5xx, timeouts and dropped connections (default 3)")
    p.add_argument("--backoff", type=_positive(float), default=1.0,
                   help="first retry delay in seconds, doubled at each retry (default 1)")
    p.add_argument("--timeout", type=_positive(float), default=30.0,
                   help="seconds to wait for a connection or for data; a body arriving "
                   "slower than 1 KiB/s over this time also times out (default 30)")
    p.add_argument("--deadline", type=_positive(float), default=600.0,
                   help="seconds one document may take in all, retries and waits "
                   "included (default 600)")
    p.add_argument("--max-bytes", type=byte_size, default=100 * 1024**2,
                   help="largest document accepted, e.g. 100M (default 100M)")
    p.add_argument("--max-redirects", type=_non_negative_int, default=10,
                   help="redirects followed per request (default 10)")
    p.add_argument("--max-retry-after", type=_positive(float), default=120.0,
                   help="longest Retry-After wait honoured, in seconds (default 120)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no summary; failures are still reported")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from ..console import print_error
    from ..fetch import (
        ClientSettings,
        FetchError,
        HttpClient,
        ManifestError,
        fetch_rows,
        read_manifest,
        user_agent,
    )

    try:
        rows = read_manifest(args.manifest)
    except ManifestError as err:
        print_error(args.manifest, err)
        return 2
    settings = ClientSettings(
        user_agent=user_agent(),
        timeout=args.timeout,
        retries=args.retries,
        backoff=args.backoff,
        rate=args.rate,
        max_bytes=args.max_bytes,
        max_redirects=args.max_redirects,
        max_retry_after=args.max_retry_after,
        deadline=args.deadline,
    )
    progress = not args.quiet and sys.stderr.isatty()
    try:
        summary = fetch_rows(
            rows,
            Path(args.dest),
            HttpClient(settings),
            progress=progress,
            report=lambda line: tqdm.write(line, file=sys.stderr),
        )
    except (FetchError, OSError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else err
        print_error(args.dest, reason)
        return 2
    if not args.quiet:
        print(summary.text(), flush=True)
    return 2 if summary.failed else 0

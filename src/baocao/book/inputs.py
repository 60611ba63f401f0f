"""What the book's notebooks read besides their own code, and a stamp of it.

jupyter-cache re-runs a notebook only when its code changes, and Sphinx re-reads only
changed sources. When the data, the chart style or this library change, the cached
outputs are stale: :func:`forget_stale_outputs` drops them (and the doctrees) so the next
build executes every notebook again. ``make html`` and the book tests both call it::

    python -m baocao.book.inputs            # from the repository root
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

#: single files the notebooks read
INPUT_FILES = (
    "data/processed/observations.parquet",
    "data/processed/audit.csv",
    "data/processed/dictionary.csv",
    "data/processed/dictionary.md",
    "data/reference/sources.csv",
    "CITATION.cff",
    "CHANGELOG.md",
    "_config.yml",
    "benchmarks/results/latest.md",
    "benchmarks/results/accuracy.json",
)
#: folders (and the files in them that count) the notebooks read or run
INPUT_GLOBS = (
    ("data/raw", "*.meta.json"),
    ("src/baocao/book", "*.py"),
    ("src/baocao/publish/charts", "*.py"),
)
STAMP = "_build/.notebook-inputs.sha256"
CACHES = ("_build/.jupyter_cache", "_build/.doctrees")
CHARTS = "_build/charts"


def input_paths(root: Path) -> list[Path]:
    """Every file whose change makes the cached notebook outputs stale."""
    paths = [root / name for name in INPUT_FILES]
    for folder, pattern in INPUT_GLOBS:
        paths.extend(sorted((root / folder).rglob(pattern)))
    return paths


def digest(root: Path) -> str:
    """A hash of the inputs' names and contents (a missing file counts as missing)."""
    h = hashlib.sha256()
    for path in input_paths(root):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes() if path.is_file() else b"-")
    return h.hexdigest()


def forget_stale_outputs(root: Path) -> bool:
    """Drop the execution cache and doctrees when the inputs changed, or when the chart
    files the cached outputs refer to are gone. Returns whether anything was dropped."""
    stamp = root / STAMP
    current = digest(root)
    fresh = stamp.is_file() and stamp.read_text().strip() == current
    if fresh and (root / CHARTS).is_dir():
        return False
    for cache in CACHES:
        shutil.rmtree(root / cache, ignore_errors=True)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(current + "\n")
    (root / CHARTS).mkdir(parents=True, exist_ok=True)
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    if forget_stale_outputs(target):
        print("book: notebook inputs changed, the notebooks will run again")

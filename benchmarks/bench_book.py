"""``book``: a cold ``jupyter-book build`` against a warm rebuild with nothing changed.

The book (``_config.yml``, ``_toc.yml``, ``book/``, ``notebooks/``, ``data/processed/``)
is copied into a temporary folder and built there with ``--path-output``, so the
repository's own ``_build`` is never touched. Cold: no build folder and no notebook
cache. Warm: the same command again; Sphinx should re-read nothing and the cached
notebooks should not execute again (target: at most 25 % of the cold time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from _util import BIN, ROOT

COPY_FILES = ("_config.yml", "_toc.yml", "CHANGELOG.md", "CITATION.cff")
COPY_DIRS = ("book", "notebooks", "data/processed")
TIMEOUT = 150  # seconds per build; make bench has ten minutes for everything


def _build(source: Path, output: Path) -> tuple[float, subprocess.CompletedProcess]:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    t0 = time.perf_counter()
    proc = subprocess.run(
        [str(BIN / "jupyter-book"), "build", str(source), "--path-output", str(output)],
        capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=source,
    )
    return time.perf_counter() - t0, proc


def _tail(proc: subprocess.CompletedProcess) -> str:
    lines = [ln.strip() for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower() or "exception" in ln.lower()]
    return (errors or lines or [f"exit {proc.returncode}"])[-1][:300]


def run() -> dict:
    missing = [f for f in COPY_FILES if not (ROOT / f).is_file()]
    if missing or not (ROOT / "book").is_dir():
        what = ", ".join(missing) or "book/"
        return {"book_warm_vs_cold": None, "reason": f"no book in the repository yet ({what})"}
    if not (BIN / "jupyter-book").exists():
        return {"book_warm_vs_cold": None, "reason": "jupyter-book is not installed"}
    with tempfile.TemporaryDirectory(prefix="baocao-bench-book-") as tmp:
        source = Path(tmp) / "repo"
        source.mkdir()
        for name in COPY_FILES:
            shutil.copy2(ROOT / name, source / name)
        for bib in ROOT.glob("*.bib"):
            shutil.copy2(bib, source / bib.name)
        for name in COPY_DIRS:
            if (ROOT / name).is_dir():
                shutil.copytree(ROOT / name, source / name,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_build"))
        output = Path(tmp) / "out"
        try:
            cold, proc = _build(source, output)
            if proc.returncode != 0:
                return {"book_warm_vs_cold": None,
                        "reason": f"cold build failed: {_tail(proc)}"}
            warm, proc = _build(source, output)
            if proc.returncode != 0:
                return {"book_warm_vs_cold": None,
                        "reason": f"warm build failed: {_tail(proc)}"}
        except subprocess.TimeoutExpired:
            return {"book_warm_vs_cold": None,
                    "reason": f"a build took longer than {TIMEOUT} s"}
        pages = len(list((output / "_build" / "html").rglob("*.html")))
    return {
        "cold_seconds": round(cold, 2),
        "warm_seconds": round(warm, 2),
        "html_pages": pages,
        "book_warm_vs_cold": round(warm / cold, 3),
    }

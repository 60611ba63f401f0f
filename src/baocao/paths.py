"""Where a checkout keeps its data, for the book and the charts.

The notebooks, the chart helpers and the book pages read the reports' sidecars
(``data/raw/*.meta.json``), the reference catalogue (``data/reference/``) and the built
dataset (``data/processed/``) of one checkout. ``BAOCAO_ROOT`` names that checkout
explicitly (the tests point it at a modified copy); otherwise it is the nearest folder
above the working directory that holds ``data/raw`` and ``pyproject.toml``, else the
checkout this package was installed from (editable install).
"""

from __future__ import annotations

import os
from pathlib import Path


def repo_root(start: Path | None = None) -> Path:
    """The checkout holding ``data/`` (``BAOCAO_ROOT`` wins; else search upwards)."""
    if os.environ.get("BAOCAO_ROOT"):
        return Path(os.environ["BAOCAO_ROOT"])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir() and (folder / "pyproject.toml").is_file():
            return folder
    return Path(__file__).resolve().parents[2]


def processed_file(name: str) -> Path:
    """Path of a file written by ``baocao build`` (``data/processed/NAME``)."""
    return repo_root() / "data" / "processed" / name


def book_root(start: Path | None = None) -> Path:
    """The folder holding the book's ``_config.yml`` and ``_toc.yml``.

    A book built from a copy (``benchmarks/bench_book.py`` builds one in a temporary
    folder) writes its chart files there, not into the checkout the data came from.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "_config.yml").is_file() and (folder / "_toc.yml").is_file():
            return folder
    return repo_root(start)

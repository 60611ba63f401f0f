"""Paths: where a checkout keeps its data, and names from data that stay inside their folder.

Where: the notebooks, the chart helpers and the book pages read the reports' sidecars
(``data/raw/*.meta.json``), the reference catalogue (``data/reference/``) and the built
dataset (``data/processed/``) of one checkout. ``BAOCAO_ROOT`` names that checkout
explicitly (the tests point it at a modified copy); otherwise it is the nearest folder
above the working directory that holds ``data/raw`` and ``pyproject.toml``, else the
checkout this package was installed from (editable install).

Inside: sidecars are committed in ``data/raw/`` and a contributed one is data like any
other: a ``file`` of ``../../escaped.pdf`` or a ``report_id`` that is an absolute path once
made the fetcher write outside ``--dest``. Every name taken from a sidecar, a manifest or a
report id is checked here before it becomes a path: a plain file name (no folder part, no
``..``, not hidden, printable), and once joined to its folder, a path whose real location
(symlinks resolved) is inside that folder.
"""

from __future__ import annotations

import os
import re
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


_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class PathEscape(ValueError):
    """A name from data that would lead outside its folder; ``str()`` says why."""


def name_problem(name: object, what: str = "file") -> str | None:
    """Why ``name`` may not be used as a file name in a data folder (None if it may)."""
    if not isinstance(name, str) or not name:
        return f"{what} must be a non-empty string"
    if "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
        return f"{what} {name!r} must be a plain file name, without folders"
    if name.startswith("."):
        return f"{what} {name!r} must not be a hidden name"
    if not name.isprintable() or len(name) > 255:
        return f"{what} {name!r} is not a usable file name"
    return None


def id_problem(value: object, what: str = "report_id") -> str | None:
    """Why ``value`` may not be a report id or stem (letters, digits, ``. _ -``; it
    becomes part of file names)."""
    if not isinstance(value, str) or not _SAFE_ID.fullmatch(value) or ".." in value:
        return (f"{what} {value!r} must be letters, digits, '.', '_' or '-' "
                "(it becomes part of file names)")
    return None


def inside(folder: Path, name: str, what: str = "file") -> Path:
    """``folder / name``, checked: a plain name whose real location is in ``folder``;
    :class:`PathEscape` otherwise."""
    problem = name_problem(name, what)
    if problem is not None:
        raise PathEscape(problem)
    path = folder / name
    root = folder.resolve()
    real = path.resolve()
    if not real.is_relative_to(root):
        raise PathEscape(f"{what} {name!r} leads outside {folder} (to {real})")
    return path

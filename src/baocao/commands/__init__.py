"""Subcommands of the ``baocao`` CLI, one module each (see :mod:`baocao.cli`)."""

from __future__ import annotations

import argparse


def add_parallel_options(p: argparse.ArgumentParser) -> None:
    """``--jobs``, ``--executor`` and ``--scheduler``: how the reports are spread over
    workers (see :mod:`baocao.parallel`), the same for every command that reads reports."""
    from ..parallel import EXECUTORS

    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="worker processes (0: one per CPU; default 1)")
    p.add_argument("--executor", choices=EXECUTORS, default="process",
                   help="run reports in a local process pool or on a Dask cluster")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address")

"""The ``baocao`` command: one subcommand per stage, each in :mod:`baocao.commands`.

A subcommand module exposes ``add_parser(subparsers)`` and ``run(args) -> int``.
Bad input never shows a traceback: readers raise :class:`baocao.ingest.InputError`,
which the subcommands report as one line ``baocao: PATH: reason``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

SUBCOMMANDS = ("extract", "build", "fetch")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baocao",
        description="Turn Vietnamese provincial socio-economic reports into citable time series.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"baocao {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"baocao.commands.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"baocao.commands.{name}":
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("baocao: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

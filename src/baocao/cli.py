"""The ``baocao`` command: one subcommand per stage, each in :mod:`baocao.commands`.

A subcommand module exposes ``add_parser(subparsers)`` and ``run(args) -> int``.
Bad input never shows a traceback: readers raise :class:`baocao.ingest.InputError`,
which the subcommands report as one line ``baocao: PATH: reason``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import signal
import sys
import threading
from collections.abc import Iterator

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


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind like Ctrl-C, so that every ``finally`` runs (no
    temporary file is left, worker processes are killed), then exit 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_unwind() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Terminated` while a command runs (only where
    they would otherwise kill the process outright: an ignored SIGHUP, under ``nohup``,
    stays ignored; and only in the main thread, where Python delivers signals)."""
    saved = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
            if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                saved[signum] = signal.signal(signum, _terminate)
    try:
        yield
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


# multiprocessing's resource tracker, a process of its own, cleans up after a batch whose
# caller was killed and says so on the caller's stderr ("leaked semaphore objects"): the
# cleanup is its job, the message is noise. It takes its warning filters from this list.
_QUIET_TRACKER = "ignore::UserWarning:multiprocessing.resource_tracker"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .ingest.quiet import silence_library_loggers

    silence_library_loggers()
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)
    try:
        with _signals_unwind():
            return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("baocao: interrupted", file=sys.stderr)
        return 130
    except Terminated as stop:
        print(f"baocao: stopped by {signal.Signals(stop.signum).name}", file=sys.stderr)
        return 128 + stop.signum
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

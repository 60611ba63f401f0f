"""``baocao extract PATH... [--format jsonl|csv|parquet] [-o OUT]``: figures of reports."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from ..api import empty_frame
from ..output import FORMATS, write_frame


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="extract every figure of one or more reports as observations",
        description="Extract every figure of the given reports as observations "
        "(shared/spec/observations.md). Bad inputs are reported as one line each on "
        "stderr; the others are still processed, and the exit code is then 2.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files (.pdf .html .md .txt)")
    p.add_argument("--format", choices=FORMATS, default="jsonl", help="output format")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    p.add_argument(
        "--executor", choices=("process", "dask"), default="process",
        help="run reports in a local process pool or on a Dask cluster",
    )
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..parallel import run_reports

    results = run_reports(
        args.paths,
        jobs=args.jobs,
        executor=args.executor,
        scheduler=args.scheduler,
        password=args.password,
    )
    frames = []
    failed = False
    for result in results:
        if result.error is not None:
            failed = True
            print(f"baocao: {result.source}: {result.error}", file=sys.stderr)
        elif result.frame is not None and len(result.frame):
            frames.append(result.frame)
    if failed and all(r.error is not None for r in results) and args.output not in (None, "-"):
        return 2  # nothing was read: leave no output file behind
    frame = pd.concat(frames, ignore_index=True) if frames else empty_frame()
    try:
        write_frame(frame, args.output, args.format)
    except (OSError, ValueError) as err:
        print(f"baocao: {args.output or '-'}: cannot write output ({err})", file=sys.stderr)
        return 2
    return 2 if failed else 0
